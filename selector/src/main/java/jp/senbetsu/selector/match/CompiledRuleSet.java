package jp.senbetsu.selector.match;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.rules.Criteria;
import jp.senbetsu.selector.rules.PortRange;
import jp.senbetsu.selector.rules.Rule;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetException;
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
 * Its leaf for an address carries a three-long payload: the address's table attribute (domestic, foreign or
 * unknown, country, AS) and two interned, sorted candidate sets: the rules that name a prefix covering the address
 * as source or either end (the address's set as a flow's source), and as destination or either end (as a flow's
 * destination). A set of one rule is inlined in the leaf, larger ones live in a shared pool. A decision is two
 * trie lookups (source and destination address), the category from the two attributes (内内 and unknown stop
 * here), then a merge of the source's source set, the destination's destination set and the short list of rules
 * that have no address criterion. Each set entry packs the rule's ordinal, categories, needed address dimensions,
 * the dimensions this end provides and the offset of its program, so a candidate passes when the two ends together
 * provide every dimension it needs and its categories allow the flow's, without reading anything else. Only rules
 * with a window narrower than the set's or further criteria run their compiled program: window, a 256-bit
 * protocol bitmap, port ranges, a TCP flag mask, and the foreign end's country and AS. The work is proportional
 * to the rules that cover the flow's addresses, not to the size of the set. A batch of flows
 * ({@link #decide(FlowRecord[], int, DecisionBatch)}) gives the same answers with the flows' memory reads
 * overlapping.
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
     * Set-pool entry, one long:
     * <pre>
     *   bit  63      0
     *   bits 40-62   rule ordinal (so entries order by priority; at most {@value #MAX_RULES} rules)
     *   bits 16-39   offset of the rule's program in {@code code} (at most {@value #MAX_CODE} longs)
     *   bits  8-15   categories the rule allows
     *   bits  5-7    in a leaf's candidate set: the dimensions this end provides (the rule names a prefix
     *                covering this address as source or destination, as this end requires, or as either end)
     *   bits  2-4    address dimensions the rule needs ({@link #NEEDS_SRC}, {@link #NEEDS_DST}, {@link #NEEDS_EITHER})
     *   bit   1      {@link #ENTRY_TAG}
     *   bit   0      {@link #ENTRY_SLOW}: the rule needs its program (own window or further checks)
     * </pre>
     * A rule without {@link #ENTRY_SLOW} is decided from the entry alone; one with it jumps straight to its
     * program, without a dependent read of a per-rule offset table.
     */
    static final int ORDINAL_SHIFT = 40;
    static final int ENTRY_CODE_SHIFT = 16;
    static final int ENTRY_CATEGORIES_SHIFT = 8;
    static final int ENTRY_NEEDS_SHIFT = 2;
    static final long ENTRY_NEEDS_MASK = 0x7L << ENTRY_NEEDS_SHIFT;
    static final int ENTRY_PROVIDES_SHIFT = 5;
    static final long ENTRY_SLOW = 1;
    /** Set in every pool entry, never in a pool reference: tells an inlined one-rule set from a reference. */
    static final long ENTRY_TAG = 2;
    /** Ordinal field of {@link Long#MAX_VALUE}: the end of a run, never a rule (ordinals stay below it). */
    private static final long NO_ORDINAL = Long.MAX_VALUE >>> ORDINAL_SHIFT;
    /** Most rules a set may have: the ordinal field of a pool entry. */
    static final int MAX_RULES = (1 << 23) - 1;
    /** Most longs of rule programs: the code-offset field of a pool entry. */
    static final int MAX_CODE = (1 << 24) - 1;

    /**
     * Longs of payload per trie leaf: the table attribute, then the candidate set of the address as a flow's
     * source (rules naming a covering prefix as source or either end) and as a flow's destination (as
     * destination or either end). Each set is 0 (empty), one pool entry itself (a set of one rule, tagged
     * {@link #ENTRY_TAG}), or a reference {@code start << 32 | length << 2} into the set pool; its entries carry
     * the dimensions they provide. A flow's candidates are then the merge of just two sorted runs (its source's
     * source set and its destination's destination set) plus the rules without an address. The payload sits in
     * the trie's own leaf array, so a lookup ends on the data the decision needs.
     */
    static final int LEAF_LONGS = 3;

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
        countryIndex = new int[ruleCount + 1];
        asnIndex = new int[ruleCount + 1];
        keepMask = new int[ruleCount];
        if (ruleCount > MAX_RULES)
        {
            throw new RuleSetException("rule set " + ruleSet.id() + ": " + ruleCount + " rules, at most " + MAX_RULES +
                " can be compiled");
        }
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
            final int codeOffset = program.size();
            if (codeOffset > MAX_CODE)
            {
                throw new RuleSetException("rule set " + ruleSet.id() + ", rule " + rule.id() + ": compiled rules " +
                    "exceed " + MAX_CODE + " program words");
            }
            program.add((r & 0xFFFF_FFFFL) | (long)needs << NEEDS_SHIFT | (long)check << CHECKS_SHIFT |
                (long)rule.categoryMask() << CATEGORIES_SHIFT);
            // a rule's window is narrowed to the set's; a rule valid for the whole set needs no time check of its own
            final long from = Math.max(nanos(rule.validFrom()), setFromNs);
            final long until = Math.min(nanos(rule.validUntil()), setUntilNs);
            program.add(from);
            program.add(until);
            final boolean slow = check != 0 || from != setFromNs || until != setUntilNs;
            entries[r] = (long)r << ORDINAL_SHIFT | (long)codeOffset << ENTRY_CODE_SHIFT |
                (long)(rule.categoryMask() & 0xFF) << ENTRY_CATEGORIES_SHIFT |
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
        // 20-bit direct arrays: most IPv4 lookups of a large set end there, IPv6 walks start a level deeper
        trie4 = Poptrie.build(map4, records, LEAF_LONGS, Poptrie.WIDE_DIRECT_BITS);
        trie6 = Poptrie.build(map6, records, LEAF_LONGS, Poptrie.WIDE_DIRECT_BITS);
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
        return leaves.intern(attribute, sets.intern(stack, SRC), sets.intern(stack, DST));
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

        match(flow, result, leaves, srcLeaf, dstLeaf, category, srcAttribute, dstAttribute);
        return category;
    }

    /**
     * Decides up to {@link DecisionBatch#CAPACITY} flows together: the same answers as {@link #decide(FlowRecord,
     * MatchResult)} for each, but the memory reads of the flows overlap instead of queueing. First every address
     * of the batch walks the trie, level by level ({@link Poptrie#leafIndices4}); then every flow's leaf payload
     * is read and its category computed; then the first entry of every candidate set is read, and then the
     * program of every slow rule in those sets (only so that their cache lines are on their way while the others
     * are requested); last each flow is merged as in the one-flow path, by then on data already in cache.
     */
    void decide(final FlowRecord[] flows, final int count, final DecisionBatch batch)
    {
        final int[] addresses4 = batch.addresses4;
        final long[] his = batch.his;
        final long[] los = batch.los;
        final int[] versions = batch.versions;
        int n4 = 0;
        int n6 = 0;
        for (int i = 0; i < count; i++)
        {
            final FlowRecord flow = flows[i];
            final var buffer = flow.buffer();
            final int version = flow.ipVersion();
            versions[i] = version;
            if (version == 4)
            {
                addresses4[n4++] = buffer.getInt(flow.srcAddressOffset(), ByteOrder.BIG_ENDIAN);
                addresses4[n4++] = buffer.getInt(flow.dstAddressOffset(), ByteOrder.BIG_ENDIAN);
            }
            else if (version == 6)
            {
                final int src = flow.srcAddressOffset();
                final int dst = flow.dstAddressOffset();
                his[n6] = buffer.getLong(src, ByteOrder.BIG_ENDIAN);
                los[n6++] = buffer.getLong(src + 8, ByteOrder.BIG_ENDIAN);
                his[n6] = buffer.getLong(dst, ByteOrder.BIG_ENDIAN);
                los[n6++] = buffer.getLong(dst + 8, ByteOrder.BIG_ENDIAN);
            }
        }
        trie4.leafIndices4(addresses4, batch.leaves4, n4, batch.pending);
        trie6.leafIndices6(his, los, batch.leaves6, n6, batch.pending);

        final long[] payload4 = trie4.payload();
        final long[] payload6 = trie6.payload();
        final int[] srcLeaves = batch.srcLeaves;
        final int[] dstLeaves = batch.dstLeaves;
        final int[] categories = batch.categories;
        final long[] refs = batch.refs;
        n4 = 0;
        n6 = 0;
        for (int i = 0; i < count; i++)
        {
            final int version = versions[i];
            final long[] leaves;
            if (version == 4)
            {
                srcLeaves[i] = batch.leaves4[n4++] * LEAF_LONGS;
                dstLeaves[i] = batch.leaves4[n4++] * LEAF_LONGS;
                leaves = payload4;
            }
            else if (version == 6)
            {
                srcLeaves[i] = batch.leaves6[n6++] * LEAF_LONGS;
                dstLeaves[i] = batch.leaves6[n6++] * LEAF_LONGS;
                leaves = payload6;
            }
            else
            {
                categories[i] = -1;
                refs[2 * i] = 0;
                refs[2 * i + 1] = 0;
                continue;
            }
            final int src = srcLeaves[i];
            final int dst = dstLeaves[i];
            final int category = table.category((int)leaves[src], (int)leaves[dst]);
            categories[i] = category;
            final long keep = ELIGIBLE[category] ? -1L : 0;
            refs[2 * i] = leaves[src + 1] & keep;
            refs[2 * i + 1] = leaves[dst + 2] & keep;
        }

        // start the misses of every candidate set's pool slice, then (on slices now cached) of slow rules' programs
        final long[] pool = setPool;
        final long[] code = this.code;
        long touched = 0;
        if (pool.length > 0)
        {
            for (int k = 0; k < 2 * count; k++)
            {
                final long ref = refs[k];
                touched += pool[(ref & ENTRY_TAG) != 0 ? 0 : (int)(ref >>> 32)];
            }
        }
        for (int k = 0; k < 2 * count; k++)
        {
            final long ref = refs[k];
            if ((ref & ENTRY_TAG) != 0)
            {
                touched += (ref & ENTRY_SLOW) != 0 ? code[(int)(ref >>> ENTRY_CODE_SHIFT) & MAX_CODE] : 0;
            }
            else
            {
                for (int at = (int)(ref >>> 32), end = at + ((int)ref >>> 2); at < end; at++)
                {
                    final long entry = pool[at];
                    touched += (entry & ENTRY_SLOW) != 0 ? code[(int)(entry >>> ENTRY_CODE_SHIFT) & MAX_CODE] : 0;
                }
            }
        }
        batch.touched = touched;

        for (int i = 0; i < count; i++)
        {
            final FlowRecord flow = flows[i];
            final MatchResult result = batch.results[i];
            result.reset(ruleCount);
            final int category = categories[i];
            if (category < 0)
            {
                result.classified(0, 0, Category.UNKNOWN.code());
                categories[i] = Category.UNKNOWN.code();
                continue;
            }
            final long[] leaves = versions[i] == 4 ? payload4 : payload6;
            final int srcAttribute = (int)leaves[srcLeaves[i]];
            final int dstAttribute = (int)leaves[dstLeaves[i]];
            result.classified(srcAttribute, dstAttribute, category);
            if (ELIGIBLE[category])
            {
                match(flow, result, leaves, srcLeaves[i], dstLeaves[i], category, srcAttribute, dstAttribute);
            }
        }
    }

    /**
     * Merges the candidate sets of a classified, eligible flow (source and destination leaves at the given
     * payload offsets) into {@code result}, in priority order.
     */
    private void match(final FlowRecord flow, final MatchResult result, final long[] leaves, final int srcLeaf,
        final int dstLeaf, final int category, final int srcAttribute, final int dstAttribute)
    {
        final long timeNs = flow.endNs();
        if (timeNs < setFromNs || timeNs >= setUntilNs)
        {
            return;
        }
        // each candidate run is in the pool, or the one entry inlined in the leaf
        final long[] pool = setPool;
        final long srcRef = leaves[srcLeaf + 1];
        final boolean srcInline = (srcRef & ENTRY_TAG) != 0;
        final long[] aSet = srcInline ? leaves : pool;
        int a = srcInline ? srcLeaf + 1 : (int)(srcRef >>> 32);
        final int aEnd = srcInline ? a + 1 : a + ((int)srcRef >>> 2);
        final long dstRef = leaves[dstLeaf + 2];
        final boolean dstInline = (dstRef & ENTRY_TAG) != 0;
        final long[] bSet = dstInline ? leaves : pool;
        int b = dstInline ? dstLeaf + 2 : (int)(dstRef >>> 32);
        final int bEnd = dstInline ? b + 1 : b + ((int)dstRef >>> 2);
        final long[] unaddressed = this.unaddressed;
        int w = 0;
        final int wEnd = unaddressed.length;
        final long categoryBit = 1L << (ENTRY_CATEGORIES_SHIFT + category);

        // entries order by rule ordinal: merging the runs visits candidates in priority order; each step chooses
        // by conditional moves, so the only branches left are the loop's and a candidate's own checks
        while (true)
        {
            final long x = a < aEnd ? aSet[a] : Long.MAX_VALUE;
            final long y = b < bEnd ? bSet[b] : Long.MAX_VALUE;
            final long z = w < wEnd ? unaddressed[w] : Long.MAX_VALUE;
            final long kx = x >>> ORDINAL_SHIFT;
            final long ky = y >>> ORDINAL_SHIFT;
            final long kz = z >>> ORDINAL_SHIFT;
            final long k = Math.min(kx, Math.min(ky, kz));
            if (k == NO_ORDINAL)
            {
                break;
            }
            final long fromA = kx == k ? x : 0;
            final long fromB = ky == k ? y : 0;
            final long o = fromA | fromB | (kz == k ? z : 0);
            a += kx == k ? 1 : 0;
            b += ky == k ? 1 : 0;
            w += kz == k ? 1 : 0;
            // the provided dimensions of both ends, moved onto the needed ones
            final long present = ((fromA | fromB) >>> ENTRY_PROVIDES_SHIFT) << ENTRY_NEEDS_SHIFT;
            if ((o & ~present & ENTRY_NEEDS_MASK) == 0 && (o & categoryBit) != 0 &&
                ((o & ENTRY_SLOW) == 0 ||
                    passesProgram((int)(o >>> ENTRY_CODE_SHIFT) & MAX_CODE, timeNs, flow, category, srcAttribute,
                        dstAttribute)))
            {
                result.add((int)k);
            }
        }
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
        private final Map<LongArrayKey, Integer> starts = new HashMap<>();
        private final LongPool pool = new LongPool();

        SetInterner(final long[] entries)
        {
            this.entries = entries;
        }

        /**
         * The candidate set of an address as one end ({@link #SRC} or {@link #DST}): the rules naming a covering
         * prefix in that end's dimension or as either end, each entry marked with the dimensions it provides.
         *
         * @return 0 for the empty set, the entry itself for a set of one, else {@code start << 32 | length << 2}.
         */
        long intern(final List<Prefix> stack, final int end)
        {
            final Map<Integer, Integer> provides = new TreeMap<>();
            for (final Prefix prefix : stack)
            {
                for (final int ordinal : prefix.ordinals().get(end))
                {
                    provides.merge(ordinal, end == SRC ? NEEDS_SRC : NEEDS_DST, (x, y) -> x | y);
                }
                for (final int ordinal : prefix.ordinals().get(EITHER))
                {
                    provides.merge(ordinal, NEEDS_EITHER, (x, y) -> x | y);
                }
            }
            if (provides.isEmpty())
            {
                return 0;
            }
            final long[] set = new long[provides.size()];
            int n = 0;
            for (final Map.Entry<Integer, Integer> e : provides.entrySet())
            {
                set[n++] = entries[e.getKey()] | (long)e.getValue() << ENTRY_PROVIDES_SHIFT;
            }
            if (set.length == 1)
            {
                return set[0];
            }
            final int start = starts.computeIfAbsent(new LongArrayKey(set), key ->
            {
                final int at = pool.size();
                for (final long entry : set)
                {
                    pool.add(entry);
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

    /** Interns leaf payloads: the table attribute and the two set references. */
    private static final class LeafInterner
    {
        private final Map<LongArrayKey, Integer> ids = new HashMap<>();
        private final LongPool records = new LongPool();

        int intern(final int attribute, final long src, final long dst)
        {
            final long[] record = {attribute, src, dst};
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
}
