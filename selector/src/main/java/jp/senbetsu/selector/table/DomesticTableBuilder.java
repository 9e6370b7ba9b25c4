package jp.senbetsu.selector.table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jp.senbetsu.selector.trie.Cidr;
import jp.senbetsu.selector.trie.IntervalMap;
import jp.senbetsu.selector.trie.PrefixSweep;
import jp.senbetsu.selector.trie.RangeSplitter;

/**
 * Compiles delegated-statistics files, operator overrides and the special-purpose ranges into a
 * {@link DomesticTable}. Layers resolve per address: special-purpose (always unknown) beats overrides, overrides
 * beat delegated entries, and within a layer the longest prefix wins. The result is re-cut into the fewest
 * non-overlapping prefixes, so the same inputs always give the same table and the same version.
 */
public final class DomesticTableBuilder
{
    private final String domesticCountry;
    private final DelegatedStatisticsReader delegatedReader;
    private final List<TableSource> sources = new ArrayList<>(SpecialPurposeRanges.sources());
    private final DelegatedStatisticsReader.Counts delegatedCounts = new DelegatedStatisticsReader.Counts();
    private long overrideLines;

    /** @param domesticCountry ISO 3166 alpha-2 code, {@code JP} for this law. */
    public DomesticTableBuilder(final String domesticCountry)
    {
        this.domesticCountry = domesticCountry;
        this.delegatedReader = new DelegatedStatisticsReader(domesticCountry);
    }

    public DomesticTableBuilder addDelegated(final Path file)
    {
        sources.addAll(delegatedReader.read(file, delegatedCounts));
        return this;
    }

    public DomesticTableBuilder addOverrides(final Path file)
    {
        final List<TableSource> overrides = OverrideFileReader.read(file, CountryCode.pack(domesticCountry));
        overrideLines += overrides.size();
        sources.addAll(overrides);
        return this;
    }

    /** Adds prefixes directly (tests and tools). */
    public DomesticTableBuilder add(final TableSource source)
    {
        sources.add(source);
        return this;
    }

    public DelegatedStatisticsReader.Counts delegatedCounts()
    {
        return delegatedCounts;
    }

    public long overrideLines()
    {
        return overrideLines;
    }

    public DomesticTable build()
    {
        final List<TableEntry> entries = new ArrayList<>();
        for (final int family : new int[] {4, 6})
        {
            final List<TableSource> ofFamily = sources.stream().filter(s -> s.cidr().family() == family).toList();
            // meaning 0 is unknown; equal meanings share an index so adjacent ranges coalesce canonically
            final java.util.Map<TableEntry, Integer> meaningIndex = new java.util.HashMap<>();
            final List<TableEntry> meanings = new ArrayList<>();
            meanings.add(new TableEntry(null, AddressClass.UNKNOWN, CountryCode.NONE, 0));
            meaningIndex.put(meanings.getFirst(), 0);
            final List<Indexed> indexed = new ArrayList<>(ofFamily.size());
            for (final TableSource s : ofFamily)
            {
                final TableEntry meaning = s.addressClass() == AddressClass.UNKNOWN ? meanings.getFirst() :
                    new TableEntry(null, s.addressClass(), s.country(), s.asn());
                final int index = meaningIndex.computeIfAbsent(meaning, m ->
                {
                    meanings.add(m);
                    return meanings.size() - 1;
                });
                indexed.add(new Indexed(s, index));
            }
            final IntervalMap map = PrefixSweep.sweep(indexed, x -> x.source().cidr(), DomesticTableBuilder::winner);
            for (int k = 0; k < map.size(); k++)
            {
                final TableEntry source = meanings.get(map.value(k));
                if (source.addressClass() == AddressClass.UNKNOWN)
                {
                    continue;
                }
                final long endHi;
                final long endLo;
                if (k + 1 < map.size())
                {
                    // the next interval's start minus one
                    final long nHi = map.startHi(k + 1);
                    final long nLo = map.startLo(k + 1);
                    endLo = nLo - 1;
                    endHi = nLo == 0 ? nHi - 1 : nHi;
                }
                else
                {
                    endHi = -1L;
                    endLo = -1L;
                }
                RangeSplitter.split(family, map.startHi(k), map.startLo(k), endHi, endLo,
                    cidr -> entries.add(new TableEntry(withFamily(cidr, family), source.addressClass(),
                        source.country(), source.asn())));
            }
        }
        return DomesticTable.of(entries);
    }

    private static Cidr withFamily(final Cidr cidr, final int family)
    {
        return cidr.family() == family ? cidr : new Cidr(family, cidr.hi(), cidr.lo(), cidr.length());
    }

    /** Meaning index of the source deciding the current point, 0 (unknown) if none. */
    private static int winner(final List<Indexed> stack)
    {
        // the stack runs outermost first: a later entry of the same or higher layer is at least as specific
        Indexed best = null;
        for (final Indexed s : stack)
        {
            if (best == null || s.source().layer() >= best.source().layer())
            {
                best = s;
            }
        }
        return best == null ? 0 : best.index();
    }

    private record Indexed(TableSource source, int index)
    {
    }
}
