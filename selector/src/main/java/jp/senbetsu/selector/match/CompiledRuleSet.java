package jp.senbetsu.selector.match;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.rules.Criteria;
import jp.senbetsu.selector.rules.PortRange;
import jp.senbetsu.selector.rules.Rule;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.trie.Cidr;
import jp.senbetsu.selector.trie.IntervalMap;
import jp.senbetsu.selector.trie.Poptrie;
import jp.senbetsu.selector.trie.PrefixSweep;

/**
 * A rule set compiled for matching whose per-record cost does not grow with the number of rules.
 *
 * <p>Each address dimension (source, destination, either end) of each family is a {@link Poptrie} whose leaves
 * name an interned, sorted set of the rule ordinals whose prefixes cover that address. A match looks up the four
 * sets for a flow (source, destination, either-by-source, either-by-destination) and merges them with the short
 * list of rules that have no address criterion; a candidate passes when every address dimension it constrains
 * produced it (the AND of the dimension sets), then its remaining criteria are checked from flat per-rule
 * arrays: category and window bits, a 256-bit protocol bitmap, port ranges, TCP flag mask, and the foreign end's
 * country and AS from the domestic table. The work is proportional to the rules that cover the flow's addresses,
 * not to the size of the set.
 *
 * <p>Immutable after compilation; one instance is shared by all pipeline threads.
 */
public final class CompiledRuleSet
{
    static final int NEEDS_SRC = 1;
    static final int NEEDS_DST = 2;
    static final int NEEDS_EITHER = 4;

    static final int CHECK_PROTOCOL = 1;
    static final int CHECK_SRC_PORTS = 1 << 1;
    static final int CHECK_DST_PORTS = 1 << 2;
    static final int CHECK_PORTS = 1 << 3;
    static final int CHECK_FLAGS = 1 << 4;
    static final int CHECK_COUNTRY = 1 << 5;
    static final int CHECK_ASN = 1 << 6;

    private static final int SRC = 0;
    private static final int DST = 1;
    private static final int EITHER = 2;

    private final RuleSet ruleSet;
    private final int ruleCount;
    private final Poptrie[] tries4 = new Poptrie[3];
    private final Poptrie[] tries6 = new Poptrie[3];
    private final int[] setStart;
    private final int[] setLength;
    private final int[] setPool;
    private final int[] unaddressed;

    private final byte[] needs;
    private final int[] checks;
    private final int[] categoryMask;
    private final long[] validFromNs;
    private final long[] validUntilNs;
    private final long[] protocolBits;
    private final int[] portIndex;
    private final int[] portPool;
    private final int[] flagMask;
    private final int[] flagValue;
    private final int[] countryIndex;
    private final int[] countryPool;
    private final int[] asnIndex;
    private final long[] asnPool;
    private final int[] keepMask;
    private final byte[][] ruleIdBytes;
    private final byte[][] approvalIdBytes;
    private final byte[] ruleSetIdBytes;

    private CompiledRuleSet(final RuleSet ruleSet)
    {
        this.ruleSet = ruleSet;
        final List<Rule> rules = ruleSet.rules();
        ruleCount = rules.size();
        needs = new byte[ruleCount];
        checks = new int[ruleCount];
        categoryMask = new int[ruleCount];
        validFromNs = new long[ruleCount];
        validUntilNs = new long[ruleCount];
        protocolBits = new long[ruleCount * 4];
        portIndex = new int[ruleCount * 3 + 1];
        flagMask = new int[ruleCount];
        flagValue = new int[ruleCount];
        countryIndex = new int[ruleCount + 1];
        asnIndex = new int[ruleCount + 1];
        keepMask = new int[ruleCount];
        ruleIdBytes = new byte[ruleCount][];
        approvalIdBytes = new byte[ruleCount][];
        ruleSetIdBytes = padded(ruleSet.id());

        final IntPool ports = new IntPool();
        final IntPool countries = new IntPool();
        final List<Long> asns = new ArrayList<>();
        final List<Integer> noAddress = new ArrayList<>();
        for (final Rule rule : rules)
        {
            final int r = rule.ordinal();
            final Criteria c = rule.criteria();
            needs[r] = (byte)((c.src().isEmpty() ? 0 : NEEDS_SRC) | (c.dst().isEmpty() ? 0 : NEEDS_DST) |
                (c.either().isEmpty() ? 0 : NEEDS_EITHER));
            if (needs[r] == 0)
            {
                noAddress.add(r);
            }
            categoryMask[r] = rule.categoryMask();
            validFromNs[r] = nanos(rule.validFrom());
            validUntilNs[r] = nanos(rule.validUntil());
            int check = 0;
            if (!c.protocols().isEmpty())
            {
                check |= CHECK_PROTOCOL;
                for (final int p : c.protocols())
                {
                    protocolBits[r * 4 + (p >>> 6)] |= 1L << (p & 63);
                }
            }
            final List<List<PortRange>> portLists = List.of(c.srcPorts(), c.dstPorts(), c.ports());
            final int[] portChecks = {CHECK_SRC_PORTS, CHECK_DST_PORTS, CHECK_PORTS};
            for (int d = 0; d < 3; d++)
            {
                portIndex[r * 3 + d] = ports.size();
                if (!portLists.get(d).isEmpty())
                {
                    check |= portChecks[d];
                    for (final PortRange range : merged(portLists.get(d)))
                    {
                        ports.add(range.from() << 16 | range.to());
                    }
                }
            }
            if (c.tcpFlags() != null)
            {
                check |= CHECK_FLAGS;
                flagMask[r] = c.tcpFlags().mask();
                flagValue[r] = c.tcpFlags().value();
            }
            countryIndex[r] = countries.size();
            if (!c.foreignCountries().isEmpty())
            {
                check |= CHECK_COUNTRY;
                c.foreignCountries().stream().sorted().distinct().forEach(countries::add);
            }
            asnIndex[r] = asns.size();
            if (!c.foreignAsns().isEmpty())
            {
                check |= CHECK_ASN;
                c.foreignAsns().stream().sorted().distinct().forEach(asns::add);
            }
            checks[r] = check;
            keepMask[r] = rule.keepMask();
            ruleIdBytes[r] = padded(rule.id());
            approvalIdBytes[r] = padded(rule.approval());
        }
        portIndex[ruleCount * 3] = ports.size();
        countryIndex[ruleCount] = countries.size();
        asnIndex[ruleCount] = asns.size();
        portPool = ports.toArray();
        countryPool = countries.toArray();
        asnPool = asns.stream().mapToLong(Long::longValue).toArray();
        unaddressed = noAddress.stream().mapToInt(Integer::intValue).toArray();

        final SetInterner interner = new SetInterner();
        for (final int family : new int[] {4, 6})
        {
            final Poptrie[] tries = family == 4 ? tries4 : tries6;
            for (int d = SRC; d <= EITHER; d++)
            {
                final Map<Cidr, List<Integer>> byPrefix = new LinkedHashMap<>();
                for (final Rule rule : rules)
                {
                    final List<Cidr> list = d == SRC ? rule.criteria().src() : d == DST ? rule.criteria().dst() :
                        rule.criteria().either();
                    for (final Cidr cidr : list)
                    {
                        if (cidr.family() == family)
                        {
                            final List<Integer> ordinals = byPrefix.computeIfAbsent(cidr, k -> new ArrayList<>());
                            if (ordinals.isEmpty() || ordinals.getLast() != rule.ordinal())
                            {
                                ordinals.add(rule.ordinal());
                            }
                        }
                    }
                }
                final List<Map.Entry<Cidr, List<Integer>>> entries = new ArrayList<>(byPrefix.entrySet());
                final IntervalMap map = PrefixSweep.sweep(entries, Map.Entry::getKey, interner::intern);
                tries[d] = Poptrie.build(map);
            }
        }
        setStart = interner.starts();
        setLength = interner.lengths();
        setPool = interner.pool();
    }

    public static CompiledRuleSet compile(final RuleSet ruleSet)
    {
        return new CompiledRuleSet(ruleSet);
    }

    public RuleSet ruleSet()
    {
        return ruleSet;
    }

    public int ruleCount()
    {
        return ruleCount;
    }

    /** Distinct rule sets the address tries refer to: a measure of how much the compilation shares. */
    public int internedSetCount()
    {
        return setStart.length;
    }

    /**
     * Finds every rule that matches the flow, in priority order.
     *
     * @param flow        the flow; its end time is the decision time that rule windows are checked against.
     * @param category    its category code (eligible categories only reach here).
     * @param srcAttribute domestic-table attribute of the source address.
     * @param dstAttribute domestic-table attribute of the destination address.
     * @param table       the table the attributes came from (country and AS of the foreign end).
     * @param result      filled with the matching ordinals.
     * @return the number of matching rules.
     */
    public int match(
        final FlowRecord flow,
        final int category,
        final int srcAttribute,
        final int dstAttribute,
        final DomesticTable table,
        final MatchResult result)
    {
        result.reset(ruleCount);
        final var buffer = flow.buffer();
        final int srcOffset = flow.srcAddressOffset();
        final int dstOffset = flow.dstAddressOffset();
        final int srcSet;
        final int dstSet;
        final int eitherSrcSet;
        final int eitherDstSet;
        final int version = flow.ipVersion();
        if (version == 4)
        {
            final int s = buffer.getInt(srcOffset, ByteOrder.BIG_ENDIAN);
            final int t = buffer.getInt(dstOffset, ByteOrder.BIG_ENDIAN);
            srcSet = tries4[SRC].lookup4(s);
            dstSet = tries4[DST].lookup4(t);
            eitherSrcSet = tries4[EITHER].lookup4(s);
            eitherDstSet = tries4[EITHER].lookup4(t);
        }
        else if (version == 6)
        {
            final long sHi = buffer.getLong(srcOffset, ByteOrder.BIG_ENDIAN);
            final long sLo = buffer.getLong(srcOffset + 8, ByteOrder.BIG_ENDIAN);
            final long tHi = buffer.getLong(dstOffset, ByteOrder.BIG_ENDIAN);
            final long tLo = buffer.getLong(dstOffset + 8, ByteOrder.BIG_ENDIAN);
            srcSet = tries6[SRC].lookup6(sHi, sLo);
            dstSet = tries6[DST].lookup6(tHi, tLo);
            eitherSrcSet = tries6[EITHER].lookup6(sHi, sLo);
            eitherDstSet = tries6[EITHER].lookup6(tHi, tLo);
        }
        else
        {
            return 0;
        }

        final int[] pool = setPool;
        int a = setStart[srcSet];
        final int aEnd = a + setLength[srcSet];
        int b = setStart[dstSet];
        final int bEnd = b + setLength[dstSet];
        int c = setStart[eitherSrcSet];
        final int cEnd = c + setLength[eitherSrcSet];
        int e = setStart[eitherDstSet];
        final int eEnd = e + setLength[eitherDstSet];
        final int[] unaddressed = this.unaddressed;
        int w = 0;
        final int wEnd = unaddressed.length;
        final long timeNs = flow.endNs();
        final int categoryBit = 1 << category;

        while (true)
        {
            int r = Integer.MAX_VALUE;
            if (a < aEnd)
            {
                r = pool[a];
            }
            if (b < bEnd && pool[b] < r)
            {
                r = pool[b];
            }
            if (c < cEnd && pool[c] < r)
            {
                r = pool[c];
            }
            if (e < eEnd && pool[e] < r)
            {
                r = pool[e];
            }
            if (w < wEnd && unaddressed[w] < r)
            {
                r = unaddressed[w];
            }
            if (r == Integer.MAX_VALUE)
            {
                break;
            }
            int present = 0;
            if (a < aEnd && pool[a] == r)
            {
                present |= NEEDS_SRC;
                a++;
            }
            if (b < bEnd && pool[b] == r)
            {
                present |= NEEDS_DST;
                b++;
            }
            if (c < cEnd && pool[c] == r)
            {
                present |= NEEDS_EITHER;
                c++;
            }
            if (e < eEnd && pool[e] == r)
            {
                present |= NEEDS_EITHER;
                e++;
            }
            if (w < wEnd && unaddressed[w] == r)
            {
                w++;
            }
            if ((needs[r] & ~present) == 0 &&
                (categoryMask[r] & categoryBit) != 0 &&
                timeNs >= validFromNs[r] && timeNs < validUntilNs[r] &&
                (checks[r] == 0 || passesChecks(r, flow, category, srcAttribute, dstAttribute, table)))
            {
                result.add(r);
            }
        }
        return result.count();
    }

    private boolean passesChecks(
        final int r, final FlowRecord flow, final int category, final int srcAttribute, final int dstAttribute,
        final DomesticTable table)
    {
        final int check = checks[r];
        if ((check & CHECK_PROTOCOL) != 0)
        {
            final int protocol = flow.protocol();
            if (((protocolBits[r * 4 + (protocol >>> 6)] >>> (protocol & 63)) & 1) == 0)
            {
                return false;
            }
        }
        if ((check & (CHECK_SRC_PORTS | CHECK_DST_PORTS | CHECK_PORTS)) != 0)
        {
            if (!flow.hasFlag(FlowRecord.FLAG_HAS_PORTS))
            {
                return false;
            }
            final int srcPort = flow.srcPort();
            final int dstPort = flow.dstPort();
            if ((check & CHECK_SRC_PORTS) != 0 && !inPorts(r * 3 + SRC, srcPort))
            {
                return false;
            }
            if ((check & CHECK_DST_PORTS) != 0 && !inPorts(r * 3 + DST, dstPort))
            {
                return false;
            }
            if ((check & CHECK_PORTS) != 0 && !inPorts(r * 3 + EITHER, srcPort) && !inPorts(r * 3 + EITHER, dstPort))
            {
                return false;
            }
        }
        if ((check & CHECK_FLAGS) != 0)
        {
            final int flags = flow.tcpFlags() | flow.reverseTcpFlags();
            if (flow.protocol() != 6 || (flags & flagMask[r]) != flagValue[r])
            {
                return false;
            }
        }
        if ((check & (CHECK_COUNTRY | CHECK_ASN)) != 0)
        {
            final boolean srcForeign = category != Category.DOMESTIC_FOREIGN.code();
            final boolean dstForeign = category != Category.FOREIGN_DOMESTIC.code();
            if ((check & CHECK_COUNTRY) != 0 &&
                !(srcForeign && inCountries(r, table.country(srcAttribute))) &&
                !(dstForeign && inCountries(r, table.country(dstAttribute))))
            {
                return false;
            }
            if ((check & CHECK_ASN) != 0 &&
                !(srcForeign && inAsns(r, table.asn(srcAttribute))) &&
                !(dstForeign && inAsns(r, table.asn(dstAttribute))))
            {
                return false;
            }
        }
        return true;
    }

    private boolean inPorts(final int index, final int port)
    {
        for (int i = portIndex[index], end = portIndex[index + 1]; i < end; i++)
        {
            final int range = portPool[i];
            if (port < (range >>> 16))
            {
                return false;
            }
            if (port <= (range & 0xFFFF))
            {
                return true;
            }
        }
        return false;
    }

    private boolean inCountries(final int r, final int country)
    {
        return country != 0 &&
            Arrays.binarySearch(countryPool, countryIndex[r], countryIndex[r + 1], country) >= 0;
    }

    private boolean inAsns(final int r, final long asn)
    {
        return asn != 0 && Arrays.binarySearch(asnPool, asnIndex[r], asnIndex[r + 1], asn) >= 0;
    }

    /** Writes the selection trailer of a selected flow: rule set, deciding rule, approval, the other matches. */
    void writeTrailer(final SelectedFlowRecord out, final MatchResult result, final int category,
        final long tableVersion)
    {
        final var buffer = out.buffer();
        final int offset = out.offset();
        final int decidingRule = result.ordinal(0);
        out.category(category)
            .matchedRuleCount(result.count())
            .keepMask(keepMask[decidingRule])
            .ruleSetVersion(ruleSet.version())
            .tableVersion(tableVersion);
        buffer.putBytes(offset + SelectedFlowRecord.RULE_SET_ID_OFFSET, ruleSetIdBytes);
        buffer.putBytes(offset + SelectedFlowRecord.APPROVAL_ID_OFFSET, approvalIdBytes[decidingRule]);
        buffer.putBytes(offset + SelectedFlowRecord.RULE_ID_OFFSET, ruleIdBytes[decidingRule]);
        out.otherRuleOrdinal(0, result.count() > 1 ? result.ordinal(1) : -1);
        out.otherRuleOrdinal(1, result.count() > 2 ? result.ordinal(2) : -1);
    }

    public String ruleId(final int ordinal)
    {
        return ruleSet.rules().get(ordinal).id();
    }

    public String approvalId(final int ordinal)
    {
        return ruleSet.rules().get(ordinal).approval();
    }

    private static byte[] padded(final String id)
    {
        return Arrays.copyOf(id.getBytes(StandardCharsets.US_ASCII), SelectedFlowRecord.MAX_ID_LENGTH);
    }

    private static long nanos(final java.time.Instant instant)
    {
        try
        {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final ArithmeticException ex)
        {
            return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static List<PortRange> merged(final List<PortRange> ranges)
    {
        final List<PortRange> sorted = new ArrayList<>(ranges);
        sorted.sort((x, y) -> Integer.compare(x.from(), y.from()));
        final List<PortRange> out = new ArrayList<>();
        for (final PortRange r : sorted)
        {
            if (!out.isEmpty() && r.from() <= out.getLast().to() + 1)
            {
                final PortRange last = out.removeLast();
                out.add(new PortRange(last.from(), Math.max(last.to(), r.to())));
            }
            else
            {
                out.add(r);
            }
        }
        return out;
    }

    /** Growable int list used while compiling. */
    private static final class IntPool
    {
        private int[] values = new int[64];
        private int size;

        void add(final int value)
        {
            if (size == values.length)
            {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int size()
        {
            return size;
        }

        int[] toArray()
        {
            return Arrays.copyOf(values, size);
        }
    }

    /** Interns sorted ordinal sets: equal sets share one slice of the pool; set 0 is the empty set. */
    private static final class SetInterner
    {
        private final Map<IntArrayKey, Integer> ids = new HashMap<>();
        private final IntPool pool = new IntPool();
        private final IntPool starts = new IntPool();
        private final IntPool lengths = new IntPool();

        SetInterner()
        {
            intern(List.of());
        }

        int intern(final List<Map.Entry<Cidr, List<Integer>>> stack)
        {
            int total = 0;
            for (final Map.Entry<Cidr, List<Integer>> entry : stack)
            {
                total += entry.getValue().size();
            }
            final int[] union = new int[total];
            int n = 0;
            for (final Map.Entry<Cidr, List<Integer>> entry : stack)
            {
                for (final int ordinal : entry.getValue())
                {
                    union[n++] = ordinal;
                }
            }
            Arrays.sort(union);
            int distinct = 0;
            for (int i = 0; i < n; i++)
            {
                if (distinct == 0 || union[distinct - 1] != union[i])
                {
                    union[distinct++] = union[i];
                }
            }
            final int[] set = Arrays.copyOf(union, distinct);
            return ids.computeIfAbsent(new IntArrayKey(set), key ->
            {
                starts.add(pool.size());
                lengths.add(set.length);
                for (final int v : set)
                {
                    pool.add(v);
                }
                return starts.size() - 1;
            });
        }

        int[] starts()
        {
            return starts.toArray();
        }

        int[] lengths()
        {
            return lengths.toArray();
        }

        int[] pool()
        {
            return pool.toArray();
        }
    }

    private record IntArrayKey(int[] values)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof IntArrayKey other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(values);
        }
    }
}
