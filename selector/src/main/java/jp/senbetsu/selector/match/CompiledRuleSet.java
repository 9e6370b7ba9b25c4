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
import jp.senbetsu.selector.table.TableEntry;
import jp.senbetsu.selector.trie.Cidr;
import jp.senbetsu.selector.trie.IntervalMap;
import jp.senbetsu.selector.trie.Poptrie;
import jp.senbetsu.selector.trie.PrefixSweep;

/**
 * A rule set compiled against a domestic table for deciding flows at a cost that does not grow with the number
 * of rules.
 *
 * <p>Per family there is one {@link Poptrie} over the domestic table's prefixes and every rule prefix together.
 * Its leaf for an address carries a four-long payload: the address's table attribute (domestic, foreign or
 * unknown, country, AS) and three interned, sorted sets of rules whose source, destination and either-end
 * prefixes cover the address (a set of one rule is inlined in the leaf, larger ones live in a shared pool). A decision is two trie lookups (source and destination address), the
 * category from the two attributes (内内 and unknown stop here), then a merge of the four sets that can hold
 * candidates (source, destination, either-by-source, either-by-destination) with the short list of rules that
 * have no address criterion. Each set entry packs the rule's ordinal, categories and needed address dimensions, so
 * a candidate passes when every address dimension it constrains produced it (the AND of the dimension sets) and
 * its categories allow the flow's, without reading anything else. Only rules with a window narrower than the
 * set's or further criteria run their compiled program: window, a 256-bit protocol bitmap, port ranges, a TCP
 * flag mask, and the foreign end's country and AS. The work is proportional to the rules that cover the flow's addresses, not
 * to the size of the set.
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

    /**
     * Rule program word 0: ordinal (bits 0-31), address dimensions it needs (32-39), further checks (40-47) and
     * categories (48-55); word 1 valid-from ns; word 2 valid-until ns; then, only if checked, the protocol bitmap
     * (4 words), port ranges per dimension (a count, then one word per range) and the TCP flag condition.
     */
    static final int NEEDS_SHIFT = 32;
    static final int CHECKS_SHIFT = 40;
    static final int CATEGORIES_SHIFT = 48;
    static final long NEEDS_MASK = 0xFFL << NEEDS_SHIFT;
    static final long CHECKS_MASK = 0xFFL << CHECKS_SHIFT;

    /**
     * Set-pool entry: rule ordinal (bits 32-63, so entries order by priority), categories (16-23), address
     * dimensions needed (8-15), and bit 0 set when the rule needs its program (own window or further checks).
     * A rule with neither is decided from the entry alone, without touching its program.
     */
    static final int ORDINAL_SHIFT = 32;
    static final int ENTRY_CATEGORIES_SHIFT = 16;
    static final int ENTRY_NEEDS_SHIFT = 8;
    static final long ENTRY_NEEDS_MASK = 0xFFL << ENTRY_NEEDS_SHIFT;
    static final long ENTRY_SLOW = 1;
    /** Set in every pool entry, never in a pool reference: tells an inlined one-rule set from a reference. */
    static final long ENTRY_TAG = 2;

    /**
     * Longs of payload per trie leaf: the table attribute, then the source, destination and either-end rule
     * sets, each either 0 (empty), one pool entry itself (a set of one rule, tagged {@link #ENTRY_TAG}), or a
     * reference {@code start << 32 | length << 2} into the set pool. The payload sits in the trie's own leaf
     * array, so a lookup ends on the data the decision needs.
     */
    static final int LEAF_LONGS = 4;

    private static final int SRC = 0;
    private static final int DST = 1;
    private static final int EITHER = 2;
    private static final boolean[] ELIGIBLE = new boolean[Category.values().length];

    static
    {
        for (final Category c : Category.values())
        {
            ELIGIBLE[c.code()] = c.eligible();
        }
    }

    private final RuleSet ruleSet;
    private final DomesticTable table;
    private final int ruleCount;
    private final Poptrie trie4;
    private final Poptrie trie6;
    private final long[] setPool;
    private final int internedSets;
    private final long[] unaddressed;
    private final long setFromNs;
    private final long setUntilNs;

    private final long[] code;
    private final int[] codeOffset;
    private final int[] countryIndex;
    private final int[] countryPool;
    private final int[] asnIndex;
    private final long[] asnPool;
    private final int[] keepMask;
    private final byte[][] ruleIdBytes;
    private final byte[][] approvalIdBytes;
    private final byte[] ruleSetIdBytes;

    private CompiledRuleSet(final RuleSet ruleSet, final DomesticTable table)
    {
        this.ruleSet = ruleSet;
        this.table = table;
        final List<Rule> rules = ruleSet.rules();
        ruleCount = rules.size();
        codeOffset = new int[ruleCount];
        countryIndex = new int[ruleCount + 1];
        asnIndex = new int[ruleCount + 1];
        keepMask = new int[ruleCount];
        ruleIdBytes = new byte[ruleCount][];
        approvalIdBytes = new byte[ruleCount][];
        ruleSetIdBytes = padded(ruleSet.id());

        final LongPool program = new LongPool();
        final IntPool countries = new IntPool();
        final List<Long> asns = new ArrayList<>();
        final LongPool noAddress = new LongPool();
        final long[] entries = new long[ruleCount];
        setFromNs = nanos(ruleSet.validFrom());
        setUntilNs = nanos(ruleSet.validUntil());
        for (final Rule rule : rules)
        {
            final int r = rule.ordinal();
            final Criteria c = rule.criteria();
            final int needs = (c.src().isEmpty() ? 0 : NEEDS_SRC) | (c.dst().isEmpty() ? 0 : NEEDS_DST) |
                (c.either().isEmpty() ? 0 : NEEDS_EITHER);
            final List<List<PortRange>> portLists = List.of(merged(c.srcPorts()), merged(c.dstPorts()),
                merged(c.ports()));
            final int check = (c.protocols().isEmpty() ? 0 : CHECK_PROTOCOL) |
                (portLists.get(SRC).isEmpty() ? 0 : CHECK_SRC_PORTS) |
                (portLists.get(DST).isEmpty() ? 0 : CHECK_DST_PORTS) |
                (portLists.get(EITHER).isEmpty() ? 0 : CHECK_PORTS) |
                (c.tcpFlags() == null ? 0 : CHECK_FLAGS) |
                (c.foreignCountries().isEmpty() ? 0 : CHECK_COUNTRY) |
                (c.foreignAsns().isEmpty() ? 0 : CHECK_ASN);
            codeOffset[r] = program.size();
            program.add((r & 0xFFFF_FFFFL) | (long)needs << NEEDS_SHIFT | (long)check << CHECKS_SHIFT |
                (long)rule.categoryMask() << CATEGORIES_SHIFT);
            // a rule's window is narrowed to the set's; a rule valid for the whole set needs no time check of its own
            final long from = Math.max(nanos(rule.validFrom()), setFromNs);
            final long until = Math.min(nanos(rule.validUntil()), setUntilNs);
            program.add(from);
            program.add(until);
            final boolean slow = check != 0 || from != setFromNs || until != setUntilNs;
            entries[r] = (long)r << ORDINAL_SHIFT | (long)rule.categoryMask() << ENTRY_CATEGORIES_SHIFT |
                (long)needs << ENTRY_NEEDS_SHIFT | (slow ? ENTRY_SLOW : 0) | ENTRY_TAG;
            if ((check & CHECK_PROTOCOL) != 0)
            {
                final long[] bitmap = new long[4];
                for (final int p : c.protocols())
                {
                    bitmap[p >>> 6] |= 1L << (p & 63);
                }
                for (final long word : bitmap)
                {
                    program.add(word);
                }
            }
            for (int d = SRC; d <= EITHER; d++)
            {
                final List<PortRange> ranges = portLists.get(d);
                if (!ranges.isEmpty())
                {
                    program.add(ranges.size());
                    for (final PortRange range : ranges)
                    {
                        program.add((long)range.from() << 16 | range.to());
                    }
                }
            }
            if (c.tcpFlags() != null)
            {
                program.add((long)c.tcpFlags().mask() << 32 | c.tcpFlags().value());
            }
            if (needs == 0)
            {
                noAddress.add(entries[r]);
            }
            countryIndex[r] = countries.size();
            c.foreignCountries().stream().sorted().distinct().forEach(countries::add);
            asnIndex[r] = asns.size();
            c.foreignAsns().stream().sorted().distinct().forEach(asns::add);
            keepMask[r] = rule.keepMask();
            ruleIdBytes[r] = padded(rule.id());
            approvalIdBytes[r] = padded(rule.approval());
        }
        code = program.toArray();
        countryIndex[ruleCount] = countries.size();
        asnIndex[ruleCount] = asns.size();
        countryPool = countries.toArray();
        asnPool = asns.stream().mapToLong(Long::longValue).toArray();
        unaddressed = noAddress.toArray();

        final SetInterner sets = new SetInterner(entries);
        final LeafInterner leaves = new LeafInterner();
        final IntervalMap map4 = PrefixSweep.sweep(prefixes(4), Prefix::cidr, stack -> leaf(stack, sets, leaves));
        final IntervalMap map6 = PrefixSweep.sweep(prefixes(6), Prefix::cidr, stack -> leaf(stack, sets, leaves));
        final long[] records = leaves.records();
        trie4 = Poptrie.build(map4, records, LEAF_LONGS);
        trie6 = Poptrie.build(map6, records, LEAF_LONGS);
        setPool = sets.pool();
        internedSets = sets.count();
    }

    /** Compiles a rule set against the table it will run with; both are then used together. */
    public static CompiledRuleSet compile(final RuleSet ruleSet, final DomesticTable table)
    {
        return new CompiledRuleSet(ruleSet, table);
    }

    /** One distinct prefix of a family: what the table says of it and which rules name it in which dimension. */
    private record Prefix(Cidr cidr, int[] attribute, List<List<Integer>> ordinals)
    {
    }

    private List<Prefix> prefixes(final int family)
    {
        final Map<Cidr, Prefix> byCidr = new LinkedHashMap<>();
        for (final TableEntry entry : table.entries())
        {
            if (entry.cidr().family() == family)
            {
                final int attribute = table.trie(family).lookup(entry.cidr().hi(), entry.cidr().lo());
                byCidr.put(entry.cidr(), new Prefix(entry.cidr(), new int[] {attribute},
                    List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>())));
            }
        }
        for (final Rule rule : ruleSet.rules())
        {
            final Criteria c = rule.criteria();
            final List<List<Cidr>> dimensions = List.of(c.src(), c.dst(), c.either());
            for (int d = SRC; d <= EITHER; d++)
            {
                for (final Cidr cidr : dimensions.get(d))
                {
                    if (cidr.family() != family)
                    {
                        continue;
                    }
                    final Prefix prefix = byCidr.computeIfAbsent(cidr, k -> new Prefix(k, new int[] {-1},
                        List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>())));
                    final List<Integer> ordinals = prefix.ordinals().get(d);
                    if (ordinals.isEmpty() || ordinals.getLast() != rule.ordinal())
                    {
                        ordinals.add(rule.ordinal());
                    }
                }
            }
        }
        return new ArrayList<>(byCidr.values());
    }

    /** Leaf record for the covering prefixes: innermost table attribute, and the unions of rule ordinals. */
    private static int leaf(final List<Prefix> stack, final SetInterner sets, final LeafInterner leaves)
    {
        int attribute = 0;
        for (final Prefix p : stack)
        {
            if (p.attribute()[0] >= 0)
            {
                attribute = p.attribute()[0];
            }
        }
        return leaves.intern(attribute, sets.intern(stack, SRC), sets.intern(stack, DST), sets.intern(stack, EITHER));
    }

    public RuleSet ruleSet()
    {
        return ruleSet;
    }

    /** The table this set was compiled with: the one every decision of it uses. */
    public DomesticTable table()
    {
        return table;
    }

    public int ruleCount()
    {
        return ruleCount;
    }

    /** Distinct rule sets the leaves refer to: a measure of how much the compilation shares. */
    public int internedSetCount()
    {
        return internedSets;
    }

    /**
     * Classifies the flow and, if its category is eligible, finds every rule that matches it, in priority order.
     * The flow's end time is the decision time that rule windows are checked against.
     *
     * @return the category code; {@code result} holds the attributes, category and matching ordinals.
     */
    public int decide(final FlowRecord flow, final MatchResult result)
    {
        result.reset(ruleCount);
        final var buffer = flow.buffer();
        final int srcOffset = flow.srcAddressOffset();
        final int dstOffset = flow.dstAddressOffset();
        final int srcLeaf;
        final int dstLeaf;
        final long[] leaves;
        final int version = flow.ipVersion();
        if (version == 4)
        {
            srcLeaf = trie4.leafIndex4(buffer.getInt(srcOffset, ByteOrder.BIG_ENDIAN)) * LEAF_LONGS;
            dstLeaf = trie4.leafIndex4(buffer.getInt(dstOffset, ByteOrder.BIG_ENDIAN)) * LEAF_LONGS;
            leaves = trie4.payload();
        }
        else if (version == 6)
        {
            srcLeaf = trie6.leafIndex6(buffer.getLong(srcOffset, ByteOrder.BIG_ENDIAN),
                buffer.getLong(srcOffset + 8, ByteOrder.BIG_ENDIAN)) * LEAF_LONGS;
            dstLeaf = trie6.leafIndex6(buffer.getLong(dstOffset, ByteOrder.BIG_ENDIAN),
                buffer.getLong(dstOffset + 8, ByteOrder.BIG_ENDIAN)) * LEAF_LONGS;
            leaves = trie6.payload();
        }
        else
        {
            result.classified(0, 0, Category.UNKNOWN.code());
            return Category.UNKNOWN.code();
        }
        final int srcAttribute = (int)leaves[srcLeaf];
        final int dstAttribute = (int)leaves[dstLeaf];
        final int category = table.category(srcAttribute, dstAttribute);
        result.classified(srcAttribute, dstAttribute, category);
        if (!ELIGIBLE[category])
        {
            return category;
        }

        // each candidate source is a run of entries: in the pool, or the one entry inlined in the leaf
        final long[] pool = setPool;
        final long srcRef = leaves[srcLeaf + 1];
        final long[] aSet = (srcRef & ENTRY_TAG) != 0 ? leaves : pool;
        int a = (srcRef & ENTRY_TAG) != 0 ? srcLeaf + 1 : (int)(srcRef >>> 32);
        final int aEnd = (srcRef & ENTRY_TAG) != 0 ? a + 1 : a + ((int)srcRef >>> 2);
        final long dstRef = leaves[dstLeaf + 2];
        final long[] bSet = (dstRef & ENTRY_TAG) != 0 ? leaves : pool;
        int b = (dstRef & ENTRY_TAG) != 0 ? dstLeaf + 2 : (int)(dstRef >>> 32);
        final int bEnd = (dstRef & ENTRY_TAG) != 0 ? b + 1 : b + ((int)dstRef >>> 2);
        final long eitherSrcRef = leaves[srcLeaf + 3];
        final long[] cSet = (eitherSrcRef & ENTRY_TAG) != 0 ? leaves : pool;
        int c = (eitherSrcRef & ENTRY_TAG) != 0 ? srcLeaf + 3 : (int)(eitherSrcRef >>> 32);
        final int cEnd = (eitherSrcRef & ENTRY_TAG) != 0 ? c + 1 : c + ((int)eitherSrcRef >>> 2);
        final long eitherDstRef = leaves[dstLeaf + 3];
        final long[] eSet = (eitherDstRef & ENTRY_TAG) != 0 ? leaves : pool;
        int e = (eitherDstRef & ENTRY_TAG) != 0 ? dstLeaf + 3 : (int)(eitherDstRef >>> 32);
        final int eEnd = (eitherDstRef & ENTRY_TAG) != 0 ? e + 1 : e + ((int)eitherDstRef >>> 2);
        final long[] unaddressed = this.unaddressed;
        int w = 0;
        final int wEnd = unaddressed.length;
        final long[] code = this.code;
        final long timeNs = flow.endNs();
        if (timeNs < setFromNs || timeNs >= setUntilNs)
        {
            return category;
        }
        final long categoryBit = 1L << (ENTRY_CATEGORIES_SHIFT + category);

        while (true)
        {
            // pool entries order by rule ordinal: merging the sets visits candidates in priority order
            long o = Long.MAX_VALUE;
            if (a < aEnd)
            {
                o = aSet[a];
            }
            if (b < bEnd && bSet[b] < o)
            {
                o = bSet[b];
            }
            if (c < cEnd && cSet[c] < o)
            {
                o = cSet[c];
            }
            if (e < eEnd && eSet[e] < o)
            {
                o = eSet[e];
            }
            if (w < wEnd && unaddressed[w] < o)
            {
                o = unaddressed[w];
            }
            if (o == Long.MAX_VALUE)
            {
                break;
            }
            long present = 0;
            if (a < aEnd && aSet[a] == o)
            {
                present |= NEEDS_SRC;
                a++;
            }
            if (b < bEnd && bSet[b] == o)
            {
                present |= NEEDS_DST;
                b++;
            }
            if (c < cEnd && cSet[c] == o)
            {
                present |= NEEDS_EITHER;
                c++;
            }
            if (e < eEnd && eSet[e] == o)
            {
                present |= NEEDS_EITHER;
                e++;
            }
            if (w < wEnd && unaddressed[w] == o)
            {
                w++;
            }
            if ((o & ~(present << ENTRY_NEEDS_SHIFT) & ENTRY_NEEDS_MASK) == 0 &&
                (o & categoryBit) != 0 &&
                ((o & ENTRY_SLOW) == 0 ||
                    passesProgram(codeOffset[(int)(o >>> ORDINAL_SHIFT)], timeNs, flow, category, srcAttribute,
                        dstAttribute)))
            {
                result.add((int)(o >>> ORDINAL_SHIFT));
            }
        }
        return category;
    }

    private boolean passesProgram(
        final int offset, final long timeNs, final FlowRecord flow, final int category, final int srcAttribute,
        final int dstAttribute)
    {
        final long[] code = this.code;
        if (timeNs < code[offset + 1] || timeNs >= code[offset + 2])
        {
            return false;
        }
        final long word = code[offset];
        final int check = (int)(word >>> CHECKS_SHIFT) & 0xFF;
        int at = offset + 3;
        if ((check & CHECK_PROTOCOL) != 0)
        {
            final int protocol = flow.protocol();
            if (((code[at + (protocol >>> 6)] >>> (protocol & 63)) & 1) == 0)
            {
                return false;
            }
            at += 4;
        }
        if ((check & (CHECK_SRC_PORTS | CHECK_DST_PORTS | CHECK_PORTS)) != 0)
        {
            if (!flow.hasFlag(FlowRecord.FLAG_HAS_PORTS))
            {
                return false;
            }
            final int srcPort = flow.srcPort();
            final int dstPort = flow.dstPort();
            if ((check & CHECK_SRC_PORTS) != 0)
            {
                if (!inPorts(code, at, srcPort))
                {
                    return false;
                }
                at += 1 + (int)code[at];
            }
            if ((check & CHECK_DST_PORTS) != 0)
            {
                if (!inPorts(code, at, dstPort))
                {
                    return false;
                }
                at += 1 + (int)code[at];
            }
            if ((check & CHECK_PORTS) != 0)
            {
                if (!inPorts(code, at, srcPort) && !inPorts(code, at, dstPort))
                {
                    return false;
                }
                at += 1 + (int)code[at];
            }
        }
        if ((check & CHECK_FLAGS) != 0)
        {
            final int flags = flow.tcpFlags() | flow.reverseTcpFlags();
            final long condition = code[at];
            if (flow.protocol() != 6 || (flags & (int)(condition >>> 32)) != (int)condition)
            {
                return false;
            }
        }
        if ((check & (CHECK_COUNTRY | CHECK_ASN)) != 0)
        {
            final int r = (int)word;
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

    /** Port in the sorted, merged ranges at {@code at}: a count, then one {@code from << 16 | to} per range. */
    private static boolean inPorts(final long[] code, final int at, final int port)
    {
        for (int i = at + 1, end = at + 1 + (int)code[at]; i < end; i++)
        {
            final long range = code[i];
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

    /** Growable long list used while compiling. */
    private static final class LongPool
    {
        private long[] values = new long[64];
        private int size;

        void add(final long value)
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

        long[] toArray()
        {
            return Arrays.copyOf(values, size);
        }
    }

    /**
     * Interns sorted sets of rules: equal sets share one slice of the pool, whose entries are the rules' pool
     * entries (see {@link #ORDINAL_SHIFT}). The empty set is start 0, length 0.
     */
    private static final class SetInterner
    {
        private final long[] entries;
        private final Map<IntArrayKey, Integer> starts = new HashMap<>();
        private final LongPool pool = new LongPool();

        SetInterner(final long[] entries)
        {
            this.entries = entries;
        }

        /** @return 0 for the empty set, the entry itself for a set of one, else {@code start << 32 | length << 2}. */
        long intern(final List<Prefix> stack, final int dimension)
        {
            int total = 0;
            for (final Prefix prefix : stack)
            {
                total += prefix.ordinals().get(dimension).size();
            }
            if (total == 0)
            {
                return 0;
            }
            final int[] union = new int[total];
            int n = 0;
            for (final Prefix prefix : stack)
            {
                for (final int ordinal : prefix.ordinals().get(dimension))
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
            if (distinct == 1)
            {
                return entries[union[0]];
            }
            final int[] set = Arrays.copyOf(union, distinct);
            final int start = starts.computeIfAbsent(new IntArrayKey(set), key ->
            {
                final int at = pool.size();
                for (final int ordinal : set)
                {
                    pool.add(entries[ordinal]);
                }
                return at;
            });
            return (long)start << 32 | (long)set.length << 2;
        }

        int count()
        {
            return starts.size() + 1;
        }

        long[] pool()
        {
            return pool.toArray();
        }
    }

    /** Interns leaf payloads: the table attribute and the three set references. */
    private static final class LeafInterner
    {
        private final Map<LongArrayKey, Integer> ids = new HashMap<>();
        private final LongPool records = new LongPool();

        int intern(final int attribute, final long src, final long dst, final long either)
        {
            final long[] record = {attribute, src, dst, either};
            return ids.computeIfAbsent(new LongArrayKey(record), key ->
            {
                for (final long v : record)
                {
                    records.add(v);
                }
                return records.size() / LEAF_LONGS - 1;
            });
        }

        long[] records()
        {
            return records.toArray();
        }
    }

    private record LongArrayKey(long[] values)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof LongArrayKey other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(values);
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
