package jp.senbetsu.selector.match;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.rules.Criteria;
import jp.senbetsu.selector.rules.DestinationPortIndex;
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
import org.agrona.MutableDirectBuffer;

/**
 * A rule set compiled against a domestic table for deciding flows at a cost that does not grow with the number of
 * rules.
 *
 * <p>Per family there is one {@link Poptrie} over the domestic table's prefixes and every rule prefix together. Its
 * leaf for an address holds the index of an interned two-long leaf record ({@link #records}): the address's table
 * attribute (domestic, foreign or unknown, country, AS) and the pool starts of two interned, sorted candidate sets: the
 * rules that name a prefix covering the address as source or either end (the address's set as a flow's source), and as
 * destination or either end (as a flow's destination). Each set is a run of pool entries closed by an end mark. A
 * decision is two trie lookups (source and destination address), the category from the two attributes (内内 and unknown
 * stop here), then a merge of the source's source set, the destination's destination set and the run of the rules
 * without an address criterion that fit the flow's destination port (a rule naming {@code dst_ports} is only in the
 * runs of its ports; see {@link #unaddressed}). Each set entry packs the rule's ordinal, categories, needed address
 * dimensions, the dimensions this end provides and the offset of its program, so a candidate passes when the two ends
 * together provide every dimension it needs and its categories allow the flow's, without reading anything else. Only
 * rules with a window narrower than the set's or further criteria run their compiled program, whose first four words
 * (window, one protocol, up to two port ranges of one dimension) decide most rules without a branch; only rules with
 * more (several protocols or port dimensions, a TCP flag mask, the foreign end's country or AS) read further. The work
 * is proportional to the rules that cover the flow's addresses or its destination port (and the rules with neither an
 * address nor a destination port, which fit every flow), not to the size of the set. A batch of flows ({@link
 * #decide(FlowRecord[], int, DecisionBatch)}) gives the same answers with the flows' memory reads overlapping.
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
    /** The rule has checks the four pre-check words cannot express: only its full program decides it. */
    static final int CHECK_COMPLEX = 1 << 7;
    static final int CHECK_ANY_PORTS = CHECK_SRC_PORTS | CHECK_DST_PORTS | CHECK_PORTS;

    /**
     * Program of a rule that needs one (a "slow" rule: own window or further checks). Four fixed words, the
     * pre-check, that decide most rules without a branch:
     * <pre>
     *   word 0  bits  0-31 ordinal, 32-39 address dimensions it needs, 40-47 checks ({@link #CHECK_PROTOCOL} ..
     *           {@link #CHECK_COMPLEX}), 48-55 categories, 56-63 the one protocol it allows (with CHECK_PROTOCOL)
     *   word 1  valid-from ns (the rule's window narrowed to the set's)
     *   word 2  valid-until ns, exclusive
     *   word 3  bits 48-63 / 32-47 first port range from / to, 16-31 / 0-15 second range from / to (the first
     *           again if there is one) of the one port dimension it checks
     * </pre>
     * A rule is simple when it allows at most one protocol, checks ports in at most one dimension with at most two
     * ranges (after merging), and has no TCP flag, country or AS condition; the pre-check then decides it alone.
     * Any other rule has {@link #CHECK_COMPLEX}, the pre-check passes it, and its full program follows: the
     * protocol bitmap (4 words) if protocols are checked, port ranges per checked dimension (a count, then one
     * word per range) and the TCP flag condition. Program 0 ({@link #PASS_ALL}) passes every flow: the entries
     * of fast rules point to it, so the batch path can touch every candidate's pre-check without a branch.
     */
    static final int NEEDS_SHIFT = 32;
    static final int CHECKS_SHIFT = 40;
    static final int CATEGORIES_SHIFT = 48;
    static final int PROTOCOL_SHIFT = 56;
    static final long NEEDS_MASK = 0xFFL << NEEDS_SHIFT;
    static final long COMPLEX = (long)CHECK_COMPLEX << CHECKS_SHIFT;
    /** Words of the pre-check at the start of every program. */
    static final int PRE_CHECK_LONGS = 4;
    /** Offset of the program every fast rule points to: no checks, any time. */
    static final int PASS_ALL = 0;

    /**
     * Set-pool entry, one long:
     * <pre>
     *   bit  63      0
     *   bits 40-62   rule ordinal (so entries order by priority; at most {@value #MAX_RULES} rules)
     *   bits 16-39   offset of the rule's program in {@code code} (at most {@value #MAX_CODE} longs), or
     *                {@link #PASS_ALL} for a rule without one
     *   bits  8-15   categories the rule allows
     *   bits  5-7    in a leaf's candidate set: the dimensions this end provides (the rule names a prefix
     *                covering this address as source or destination, as this end requires, or as either end)
     *   bits  2-4    address dimensions the rule needs ({@link #NEEDS_SRC}, {@link #NEEDS_DST}, {@link #NEEDS_EITHER})
     *   bit   1      0 (reserved)
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
    /** Ordinal field of {@link Long#MAX_VALUE}: the end of a run, never a rule (ordinals stay below it). */
    private static final long NO_ORDINAL = Long.MAX_VALUE >>> ORDINAL_SHIFT;
    /**
     * Ends every set in the pool (and the unaddressed rules): ordinal field all ones, so it sorts after every
     * rule, and no categories, so it never passes; its program is {@link #PASS_ALL}. Pool slot 0 holds one alone:
     * the empty set.
     */
    static final long RUN_END = NO_ORDINAL << ORDINAL_SHIFT;
    /** Most rules a set may have: the ordinal field of a pool entry. */
    static final int MAX_RULES = (1 << 23) - 1;
    /** Most longs of rule programs: the code-offset field of a pool entry. */
    static final int MAX_CODE = (1 << 24) - 1;

    /**
     * Longs of a leaf record (16 bytes, so a record rarely straddles two cache lines):
     * <pre>
     *   word 0  bits  0-31 the address's table attribute
     *           bits 32-63 start in the set pool of its candidate set as a flow's source (rules naming a covering
     *                      prefix as source or either end)
     *   word 1  bits  0-31 start of its candidate set as a flow's destination (as destination or either end)
     *           bits 32-47 / 48-63 length of the source / destination set, at most 65 535 (only a hint, for
     *                      the batch path to start the misses of a whole set early; the merge stops at the end)
     * </pre>
     * Every set, even of one rule, is a run of pool entries closed by {@link #RUN_END} (the empty set is slot 0),
     * so a merge step reads the pool without checking where a run ends, and without branching on how a set is
     * stored. A flow's candidates are the merge of two sorted runs (its source's source set and its destination's
     * destination set) plus the run of the rules without an address that fit its destination port. A trie's leaves
     * hold the index of their record (a leaf of the direct-pointing array holds it itself): records are interned,
     * so a set of 100 000 indicators has ≈ 100 000 of them against ≈ 550 000 leaves, and the two arrays a lookup
     * reads (leaf values and records) take less than half of what a copy of the record in every leaf took.
     */
    static final int LEAF_LONGS = 2;
    private static final int START_SHIFT = 32;
    private static final int SRC_LENGTH_SHIFT = 32;
    private static final int DST_LENGTH_SHIFT = 48;
    /** Candidates of each run whose pre-check misses the batch path starts before merging. */
    private static final int PREFETCH_AHEAD = 4;
    /** Bit of a batch flow's facts: the flow has ports (its protocol is in the low 8 bits). */
    private static final int HAS_PORTS_FACT = 1 << 8;

    /** Longs of a rule's ID in {@link #trailers}, and of its whole trailer entry. */
    private static final int ID_LONGS = SelectedFlowRecord.MAX_ID_LENGTH / Long.BYTES;
    private static final int TRAILER_LONGS = ID_LONGS + 1;

    private static final int SRC = 0;
    private static final int DST = 1;
    private static final int EITHER = 2;
    /** Eligibility by category code (the codes a decision returns are always in range); the selector uses it too. */
    static final boolean[] ELIGIBLE = new boolean[Category.values().length];

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
    /** Leaf records by value, {@link #LEAF_LONGS} each: a trie lookup's value indexes them. */
    private final long[] records;
    private final long[] setPool;
    private final int internedSets;
    /**
     * The rules without an address criterion, as runs closed by {@link #RUN_END} (slot 0: the empty run). A flow's
     * run is found by its destination port ({@link #unaddressedByDstPort}) or, without ports,
     * {@link #unaddressedPortless}: a rule with {@code dst_ports} is only in the runs of the ports it names, so
     * such rules cost a flow nothing unless they name its port. Rules with other port criteria, or none, are in
     * every run a flow with (or, without port criteria, without) ports can get.
     */
    private final long[] unaddressed;
    /** Start in {@link #unaddressed} of the run for each destination port, for flows with ports. */
    private final int[] unaddressedByDstPort;
    /** Start in {@link #unaddressed} of the run for flows without ports. */
    private final int unaddressedPortless;
    /** Whether the set has any rule without an address criterion (most sets have none: the merge skips them). */
    private final boolean hasUnaddressed;
    /** Whether those rules are found by destination port, not one run for every port ({@link DestinationPortIndex}). */
    private final boolean unaddressedIndexed;
    private final long setFromNs;
    private final long setUntilNs;

    private final long[] code;
    private final int[] countryIndex;
    private final int[] countryPool;
    private final int[] asnIndex;
    private final long[] asnPool;
    /**
     * What a selected record's trailer needs of its deciding rule, {@value #TRAILER_LONGS} longs per rule so that
     * writing it reads one place: the rule's ID (zero-padded to {@link SelectedFlowRecord#MAX_ID_LENGTH} bytes, as
     * little-endian longs), then its keep mask (low 32 bits) and the index of its approval (high 32 bits).
     */
    private final long[] trailers;
    /** Approval IDs, zero-padded, by approval index (a rule set names few approvals: these stay cached). */
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
        if (ruleCount > MAX_RULES)
        {
            throw new RuleSetException("rule set " + ruleSet.id() + ": " + ruleCount + " rules, at most " + MAX_RULES +
                " can be compiled");
        }
        trailers = new long[ruleCount * TRAILER_LONGS];
        final Map<String, Integer> approvals = new LinkedHashMap<>();
        ruleSetIdBytes = padded(ruleSet.id());

        final LongPool program = new LongPool();
        final IntPool countries = new IntPool();
        final List<Long> asns = new ArrayList<>();
        final UnaddressedRuns noAddress = new UnaddressedRuns();
        final long[] entries = new long[ruleCount];
        setFromNs = nanos(ruleSet.validFrom());
        setUntilNs = nanos(ruleSet.validUntil());
        program.add(0);
        program.add(Long.MIN_VALUE);
        program.add(Long.MAX_VALUE);
        program.add(0);
        for (final Rule rule : rules)
        {
            final int r = rule.ordinal();
            final Criteria c = rule.criteria();
            final int needs = (c.src().isEmpty() ? 0 : NEEDS_SRC) | (c.dst().isEmpty() ? 0 : NEEDS_DST) |
                (c.either().isEmpty() ? 0 : NEEDS_EITHER);
            final List<List<PortRange>> portLists = List.of(PortRange.merged(c.srcPorts()),
                PortRange.merged(c.dstPorts()), PortRange.merged(c.ports()));
            final List<Integer> protocols = c.protocols().stream().distinct().toList();
            int check = (protocols.isEmpty() ? 0 : CHECK_PROTOCOL) |
                (portLists.get(SRC).isEmpty() ? 0 : CHECK_SRC_PORTS) |
                (portLists.get(DST).isEmpty() ? 0 : CHECK_DST_PORTS) |
                (portLists.get(EITHER).isEmpty() ? 0 : CHECK_PORTS) |
                (c.tcpFlags() == null ? 0 : CHECK_FLAGS) |
                (c.foreignCountries().isEmpty() ? 0 : CHECK_COUNTRY) |
                (c.foreignAsns().isEmpty() ? 0 : CHECK_ASN);
            final List<PortRange> preRanges = portLists.stream().filter(l -> !l.isEmpty()).findFirst()
                .orElse(List.of());
            final boolean simple = protocols.size() <= 1 && Integer.bitCount(check & CHECK_ANY_PORTS) <= 1 &&
                preRanges.size() <= 2 && (check & (CHECK_FLAGS | CHECK_COUNTRY | CHECK_ASN)) == 0;
            check |= simple ? 0 : CHECK_COMPLEX;
            // a rule's window is narrowed to the set's; a rule valid for the whole set needs no time check of its own
            final long from = Math.max(nanos(rule.validFrom()), setFromNs);
            final long until = Math.min(nanos(rule.validUntil()), setUntilNs);
            final boolean slow = check != 0 || from != setFromNs || until != setUntilNs;
            final int codeOffset = slow ? program.size() : PASS_ALL;
            if (codeOffset > MAX_CODE)
            {
                throw new RuleSetException("rule set " + ruleSet.id() + ", rule " + rule.id() + ": compiled rules " +
                    "exceed " + MAX_CODE + " program words");
            }
            entries[r] = (long)r << ORDINAL_SHIFT | (long)codeOffset << ENTRY_CODE_SHIFT |
                (long)(rule.categoryMask() & 0xFF) << ENTRY_CATEGORIES_SHIFT |
                (long)needs << ENTRY_NEEDS_SHIFT | (slow ? ENTRY_SLOW : 0);
            if (needs == 0)
            {
                noAddress.add(entries[r], portLists.get(DST), !portLists.get(SRC).isEmpty() ||
                    !portLists.get(EITHER).isEmpty());
            }
            countryIndex[r] = countries.size();
            c.foreignCountries().stream().sorted().distinct().forEach(countries::add);
            asnIndex[r] = asns.size();
            c.foreignAsns().stream().sorted().distinct().forEach(asns::add);
            final ByteBuffer id = ByteBuffer.wrap(padded(rule.id())).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < ID_LONGS; j++)
            {
                trailers[r * TRAILER_LONGS + j] = id.getLong(j * Long.BYTES);
            }
            final int approval = approvals.computeIfAbsent(rule.approval(), k -> approvals.size());
            trailers[r * TRAILER_LONGS + ID_LONGS] = (rule.keepMask() & 0xFFFF_FFFFL) | (long)approval << 32;
            if (!slow)
            {
                continue;
            }
            program.add((r & 0xFFFF_FFFFL) | (long)needs << NEEDS_SHIFT | (long)check << CHECKS_SHIFT |
                (long)(rule.categoryMask() & 0xFF) << CATEGORIES_SHIFT |
                (protocols.size() == 1 ? (long)protocols.getFirst() << PROTOCOL_SHIFT : 0));
            program.add(from);
            program.add(until);
            program.add(preRanges.isEmpty() ? 0 :
                rangeWord(preRanges.getFirst()) << 32 | rangeWord(preRanges.getLast()));
            if (simple)
            {
                continue;
            }
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
        }
        approvalIdBytes = approvals.keySet().stream().map(CompiledRuleSet::padded).toArray(byte[][]::new);
        code = program.toArray();
        countryIndex[ruleCount] = countries.size();
        asnIndex[ruleCount] = asns.size();
        countryPool = countries.toArray();
        asnPool = asns.stream().mapToLong(Long::longValue).toArray();
        hasUnaddressed = noAddress.any();
        // read only when the set has rules without an address: most sets need no 256 KiB table
        unaddressedByDstPort = hasUnaddressed ? new int[1 << 16] : new int[0];
        unaddressedIndexed = hasUnaddressed && DestinationPortIndex.fits(rules);
        if (hasUnaddressed)
        {
            noAddress.build(unaddressedByDstPort, unaddressedIndexed);
        }
        unaddressed = noAddress.pool();
        unaddressedPortless = noAddress.portlessStart();

        final SetInterner sets = new SetInterner(entries);
        final LeafInterner leaves = new LeafInterner();
        final IntervalMap map4 = PrefixSweep.sweep(prefixes(4), Prefix::cidr, stack -> leaf(stack, sets, leaves));
        final IntervalMap map6 = PrefixSweep.sweep(prefixes(6), Prefix::cidr, stack -> leaf(stack, sets, leaves));
        records = leaves.records();
        // 20-bit direct arrays: most IPv4 lookups of a large set end there, IPv6 walks start a level deeper
        trie4 = Poptrie.build(map4, 4, Poptrie.WIDE_DIRECT_BITS);
        trie6 = Poptrie.build(map6, 6, Poptrie.WIDE_DIRECT_BITS);
        setPool = sets.pool();
        internedSets = sets.count();
    }

    private static long rangeWord(final PortRange range)
    {
        return (long)range.from() << 16 | range.to();
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
        final int src = sets.intern(stack, SRC);
        final int dst = sets.intern(stack, DST);
        return leaves.intern(attribute, src, sets.length(src), dst, sets.length(dst));
    }

    /**
     * The lookup structure of a family (4 or 6): the table's and the rules' prefixes, each leaf the index of a leaf
     * record. For benchmarks and reports; it is immutable.
     */
    public Poptrie trie(final int family)
    {
        if (family != 4 && family != 6)
        {
            throw new IllegalArgumentException("address family " + family + ": 4 or 6");
        }
        return family == 4 ? trie4 : trie6;
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

    /** Whether the rules without an address are found by destination port (false: tried for every flow). */
    boolean unaddressedIndexedByPort()
    {
        return unaddressedIndexed;
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
        final int srcLeaf;
        final int dstLeaf;
        final int version = flow.ipVersion();
        if (version == 4)
        {
            srcLeaf = trie4.lookup4(flow.srcIpv4()) * LEAF_LONGS;
            dstLeaf = trie4.lookup4(flow.dstIpv4()) * LEAF_LONGS;
        }
        else if (version == 6)
        {
            srcLeaf = trie6.lookup6(flow.srcIpv6High(), flow.srcIpv6Low()) * LEAF_LONGS;
            dstLeaf = trie6.lookup6(flow.dstIpv6High(), flow.dstIpv6Low()) * LEAF_LONGS;
        }
        else
        {
            result.classified(0, 0, Category.UNKNOWN.code());
            return Category.UNKNOWN.code();
        }
        final long srcWord = records[srcLeaf];
        final int srcAttribute = (int)srcWord;
        final int dstAttribute = (int)records[dstLeaf];
        final int category = table.category(srcAttribute, dstAttribute);
        result.classified(srcAttribute, dstAttribute, category);
        if (!ELIGIBLE[category])
        {
            return category;
        }

        match(flow, result, (int)(srcWord >>> START_SHIFT), (int)records[dstLeaf + 1], category, srcAttribute,
            dstAttribute);
        return category;
    }

    /**
     * Decides up to {@link DecisionBatch#CAPACITY} flows together: the same answers as {@link #decide(FlowRecord,
     * MatchResult)} for each, but the memory reads of the flows overlap instead of queueing. First every address of the
     * batch walks the trie, level by level ({@link Poptrie#lookups4}, {@link Poptrie#lookups6}), to its leaf value,
     * then the first word of every address's record is read, all without branching on the data; then every flow's
     * records are read and its category computed; then the first and last line of every candidate run are read, and the
     * pre-checks of each run's first {@value #PREFETCH_AHEAD} candidates (only so that their cache lines are on their
     * way while the others are requested; none of these reads branches on the data it fetches); last all flows are
     * merged together, one candidate of every unfinished flow per round, so that the steps of different flows overlap
     * instead of each flow's merge waiting on its own previous step.
     */
    void decide(final FlowRecord[] flows, final int count, final DecisionBatch batch)
    {
        final long[] unaddressed = this.unaddressed;
        final int[] addresses4 = batch.addresses4;
        final long[] addresses6 = batch.addresses6;
        final int[] versions = batch.versions;
        int n4 = 0;
        int n6 = 0;
        for (int i = 0; i < count; i++)
        {
            final FlowRecord flow = flows[i];
            final int version = flow.ipVersion();
            versions[i] = version;
            if (version == 4)
            {
                addresses4[n4++] = flow.srcIpv4();
                addresses4[n4++] = flow.dstIpv4();
            }
            else if (version == 6)
            {
                addresses6[n6++] = flow.srcIpv6High();
                addresses6[n6++] = flow.srcIpv6Low();
                addresses6[n6++] = flow.dstIpv6High();
                addresses6[n6++] = flow.dstIpv6Low();
            }
        }
        trie4.lookups4(addresses4, batch.values4, n4, batch.pending);
        trie6.lookups6(addresses6, batch.values6, n6 / 2, batch.pending, batch.positions);

        // the first word of every address's record, all together and without a branch, so their misses overlap
        // before the loop that reads them flow by flow
        final long[] records = this.records;
        long touched = 0;
        for (int i = 0; i < n4; i++)
        {
            touched += records[batch.values4[i] * LEAF_LONGS];
        }
        for (int i = 0; i < n6 / 2; i++)
        {
            touched += records[batch.values6[i] * LEAF_LONGS];
        }

        // classify every flow; a flow that may match keeps its two candidate-set references and its facts
        final int[] categories = batch.categories;
        final long[] times = batch.times;
        final int[] facts = batch.facts;
        final long[] categoryBits = batch.categoryBits;
        final int[] runA = batch.runA;
        final int[] runB = batch.runB;
        final int[] runU = batch.runU;
        final int[] endA = batch.endA;
        final int[] endB = batch.endB;
        final int[] matched = batch.matched;
        final int[] pending = batch.pending;
        n4 = 0;
        n6 = 0;
        int active = 0;
        final boolean withUnaddressed = hasUnaddressed;
        final int[] unaddressedByDstPort = this.unaddressedByDstPort;
        for (int i = 0; i < count; i++)
        {
            final FlowRecord flow = flows[i];
            final MatchResult result = batch.results[i];
            result.reset(ruleCount);
            final int version = versions[i];
            final int src;
            final int dst;
            if (version == 4)
            {
                src = batch.values4[n4++] * LEAF_LONGS;
                dst = batch.values4[n4++] * LEAF_LONGS;
            }
            else if (version == 6)
            {
                src = batch.values6[n6++] * LEAF_LONGS;
                dst = batch.values6[n6++] * LEAF_LONGS;
            }
            else
            {
                result.classified(0, 0, Category.UNKNOWN.code());
                categories[i] = Category.UNKNOWN.code();
                matched[i] = 0;
                continue;
            }
            final long srcWord = records[src];
            final int srcAttribute = (int)srcWord;
            final int dstAttribute = (int)records[dst];
            final int category = table.category(srcAttribute, dstAttribute);
            result.classified(srcAttribute, dstAttribute, category);
            categories[i] = category;
            final long timeNs = flow.endNs();
            final boolean mayMatch = ELIGIBLE[category] & timeNs >= setFromNs & timeNs < setUntilNs;
            final long dstWord = records[dst + 1];
            final int a = (int)(srcWord >>> START_SHIFT);
            final int b = (int)dstWord;
            runA[i] = a;
            runB[i] = b;
            endA[i] = a + ((int)(records[src + 1] >>> SRC_LENGTH_SHIFT) & 0xFFFF);
            endB[i] = b + ((int)(dstWord >>> DST_LENGTH_SHIFT));
            // the flow's run of the rules without an address: by its destination port (slot 0, empty, if none)
            final int u = !withUnaddressed ? 0 : flow.hasFlag(FlowRecord.FLAG_HAS_PORTS) ?
                unaddressedByDstPort[flow.dstPort()] : unaddressedPortless;
            runU[i] = u;
            matched[i] = 0;
            // only a flow that may match and has a candidate takes part in the merge
            pending[active] = i;
            active += mayMatch & ((endA[i] - a | endB[i] - b) != 0 | unaddressed[u] != RUN_END) ? 1 : 0;
        }
        final int live = active;
        for (int j = 0; j < live; j++)
        {
            final int i = pending[j];
            final FlowRecord flow = flows[i];
            times[i] = flow.endNs();
            facts[i] = flow.protocol() | (flow.hasFlag(FlowRecord.FLAG_HAS_PORTS) ? HAS_PORTS_FACT : 0);
            batch.ports[i] = flow.srcPort() << 16 | flow.dstPort();
            categoryBits[i] = 1L << (ENTRY_CATEGORIES_SHIFT + categories[i]);
        }

        // start the misses of every flow's two runs together (first and last line: most runs are one or two),
        // then of the pre-checks of their first candidates; all without a branch on the data being fetched
        final long[] pool = setPool;
        final long[] code = this.code;
        for (int j = 0; j < live; j++)
        {
            final int i = pending[j];
            touched += pool[runA[i]] + pool[endA[i]] + pool[runB[i]] + pool[endB[i]];
        }
        for (int j = 0; j < live; j++)
        {
            final int i = pending[j];
            final int a = runA[i];
            final int b = runB[i];
            final int aEnd = endA[i];
            final int bEnd = endB[i];
            for (int ahead = 0; ahead < PREFETCH_AHEAD; ahead++)
            {
                touched += preCheckLines(code, pool[Math.min(a + ahead, aEnd)]) +
                    preCheckLines(code, pool[Math.min(b + ahead, bEnd)]);
            }
        }

        // merge all flows together, one candidate of every unfinished flow per round: the steps of a round do
        // not depend on each other, so they overlap instead of each flow's merge waiting on its own last step
        final MatchResult[] results = batch.results;
        final int[][] slots = batch.slots;
        for (int j = 0; j < active; j++)
        {
            final int i = pending[j];
            slots[i] = results[i].ordinals();
        }
        // most rule sets have no rule without an address: their merge never reads that list (the loop unswitches)
        while (active > 0)
        {
            int still = 0;
            for (int j = 0; j < active; j++)
            {
                final int i = pending[j];
                final int a = runA[i];
                final int b = runB[i];
                final int w = withUnaddressed ? runU[i] : 0;
                final long x = pool[a];
                final long y = pool[b];
                final long z = withUnaddressed ? unaddressed[w] : RUN_END;
                final long kx = x >>> ORDINAL_SHIFT;
                final long ky = y >>> ORDINAL_SHIFT;
                final long kz = z >>> ORDINAL_SHIFT;
                final long k = Math.min(kx, Math.min(ky, kz));
                final long fromA = kx == k ? x : 0;
                final long fromB = ky == k ? y : 0;
                final long o = fromA | fromB | (kz == k ? z : 0);
                runA[i] = a + (kx == k ? 1 : 0);
                runB[i] = b + (ky == k ? 1 : 0);
                if (withUnaddressed)
                {
                    runU[i] = w + (kz == k ? 1 : 0);
                }
                final long present = ((fromA | fromB) >>> ENTRY_PROVIDES_SHIFT) << ENTRY_NEEDS_SHIFT;
                boolean pass = (o & ~present & ENTRY_NEEDS_MASK) == 0 & (o & categoryBits[i]) != 0;
                if ((o & ENTRY_SLOW) != 0)
                {
                    final int fact = facts[i];
                    final int ports = batch.ports[i];
                    pass = pass && passesProgram((int)(o >>> ENTRY_CODE_SHIFT) & MAX_CODE, times[i], fact & 0xFF,
                        (fact & HAS_PORTS_FACT) != 0, ports >>> 16, ports & 0xFFFF, flows[i], categories[i],
                        results[i]);
                }
                final int n = matched[i];
                slots[i][n] = (int)k;
                matched[i] = n + (pass ? 1 : 0);
                pending[still] = i;
                still += k != NO_ORDINAL ? 1 : 0;
            }
            active = still;
        }
        for (int i = 0; i < count; i++)
        {
            final MatchResult result = results[i];
            final int n = matched[i];
            result.count(n);
            // start the miss of the deciding rule's trailer, which a selected record is written from; only for a flow
            // with a match (without one, slot 0 may hold the merge's end mark, not a rule)
            final int first = result.ordinals()[0];
            touched += n > 0 ? trailers[first * TRAILER_LONGS + ID_LONGS] : 0;
        }
        batch.touched = touched;
    }

    /** Reads both ends of an entry's pre-check (a fast rule's is the always-cached pass-all program). */
    private static long preCheckLines(final long[] code, final long entry)
    {
        final int at = (int)(entry >>> ENTRY_CODE_SHIFT) & MAX_CODE;
        return code[at] + code[at + PRE_CHECK_LONGS - 1];
    }

    /**
     * Merges the candidate sets of a classified, eligible flow (its source's run as source and its destination's
     * as destination, at the given pool starts) and the unaddressed rules into {@code result}, in priority order.
     */
    private void match(final FlowRecord flow, final MatchResult result, final int srcStart, final int dstStart,
        final int category, final int srcAttribute, final int dstAttribute)
    {
        final long timeNs = flow.endNs();
        if (timeNs < setFromNs || timeNs >= setUntilNs)
        {
            return;
        }
        final long[] pool = setPool;
        final long[] unaddressed = this.unaddressed;
        int a = srcStart;
        int b = dstStart;
        final long categoryBit = 1L << (ENTRY_CATEGORIES_SHIFT + category);
        final int protocol = flow.protocol();
        final boolean hasPorts = flow.hasFlag(FlowRecord.FLAG_HAS_PORTS);
        final int srcPort = flow.srcPort();
        final int dstPort = flow.dstPort();
        int w = !hasUnaddressed ? 0 : hasPorts ? unaddressedByDstPort[dstPort] : unaddressedPortless;
        final long[] code = this.code;
        final int[] ordinals = result.ordinals();
        int n = 0;

        // entries order by rule ordinal: merging the runs visits candidates in priority order; each step chooses
        // by conditional moves, and only a slow rule branches off to its (branch-free) pre-check
        while (true)
        {
            final long x = pool[a];
            final long y = pool[b];
            final long z = unaddressed[w];
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
            boolean pass = (o & ~present & ENTRY_NEEDS_MASK) == 0 & (o & categoryBit) != 0;
            if ((o & ENTRY_SLOW) != 0)
            {
                pass = pass && passesProgram((int)(o >>> ENTRY_CODE_SHIFT) & MAX_CODE, timeNs, protocol, hasPorts,
                    srcPort, dstPort, flow, category, result);
            }
            ordinals[n] = (int)k;
            n += pass ? 1 : 0;
        }
        result.count(n);
    }

    /**
     * The pre-check of a program ({@link #PRE_CHECK_LONGS} words, see {@link #NEEDS_SHIFT}) without its window:
     * the one protocol and the port ranges of the one checked dimension. Branch-free. A complex rule passes it.
     */
    static boolean passesPreCheck(final long head, final long ranges, final int protocol, final boolean hasPorts,
        final int srcPort, final int dstPort)
    {
        final int checks = (int)(head >>> CHECKS_SHIFT) & 0xFF;
        final int pre = (checks & CHECK_COMPLEX) != 0 ? 0 : checks;
        final boolean protocolOk = (pre & CHECK_PROTOCOL) == 0 | (int)(head >>> PROTOCOL_SHIFT) == protocol;
        return protocolOk & passesPrePorts(pre, ranges, hasPorts, srcPort, dstPort);
    }

    /**
     * The port part of a pre-check, for the checks {@code pre} it applies. (A method of its own, as are the parts of
     * {@link #passesProgram}, so each stays small enough to be inlined under the executable's JVM flags.)
     */
    private static boolean passesPrePorts(final int pre, final long ranges, final boolean hasPorts, final int srcPort,
        final int dstPort)
    {
        // the port checks each end's port satisfies: its own dimension's, and that of either port
        final int satisfied = (inPreRanges(ranges, srcPort) ? CHECK_SRC_PORTS | CHECK_PORTS : 0) |
            (inPreRanges(ranges, dstPort) ? CHECK_DST_PORTS | CHECK_PORTS : 0);
        final int wanted = pre & CHECK_ANY_PORTS;
        return wanted == 0 | hasPorts & (wanted & satisfied) != 0;
    }

    /** Port in the first or second range of a pre-check range word. */
    private static boolean inPreRanges(final long ranges, final int port)
    {
        final int first = (int)(ranges >>> 32);
        final int second = (int)ranges;
        return port >= first >>> 16 & port <= (first & 0xFFFF) | port >= second >>> 16 & port <= (second & 0xFFFF);
    }

    /**
     * Whether a flow passes a slow rule's program: its window and pre-check (branch-free), then, only for a
     * {@link #CHECK_COMPLEX} rule, the checks that follow the pre-check words. The flow's facts come in as
     * arguments so that the batch path reads them from its scratch, not from the record.
     */
    private boolean passesProgram(final int offset, final long timeNs, final int protocol, final boolean hasPorts,
        final int srcPort, final int dstPort, final FlowRecord flow, final int category, final MatchResult result)
    {
        final long head = code[offset];
        return inWindow(code, offset, timeNs) &
            passesPreCheck(head, code[offset + 3], protocol, hasPorts, srcPort, dstPort) &&
            ((head & COMPLEX) == 0 || passesFullProgram(offset, flow, category, result));
    }

    /** Whether a flow's time lies in the window of the program at {@code offset}. */
    private static boolean inWindow(final long[] code, final int offset, final long timeNs)
    {
        return timeNs >= code[offset + 1] & timeNs < code[offset + 2];
    }

    /** The checks of a {@link #CHECK_COMPLEX} rule after its pre-check words. */
    private boolean passesFullProgram(
        final int offset, final FlowRecord flow, final int category, final MatchResult result)
    {
        final int srcAttribute = result.srcAttribute();
        final int dstAttribute = result.dstAttribute();
        final long[] code = this.code;
        final long word = code[offset];
        final int check = (int)(word >>> CHECKS_SHIFT) & 0xFF;
        int at = offset + PRE_CHECK_LONGS;
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

    /**
     * Writes the selection trailer of a selected flow: rule set, deciding rule, approval, the number of matching
     * rules and the IDs of the further ones. The record's bytes must have room for
     * {@link SelectedFlowRecord#lengthFor(int) lengthFor(result.count())}.
     */
    void writeTrailer(final SelectedFlowRecord out, final MatchResult result, final int category,
        final long tableVersion)
    {
        final var buffer = out.buffer();
        final int offset = out.offset();
        final int at = result.ordinal(0) * TRAILER_LONGS;
        final long word = trailers[at + ID_LONGS];
        out.category(category)
            .matchedRuleCount(result.count())
            .keepMask((int)word)
            .ruleSetVersion(ruleSet.version())
            .tableVersion(tableVersion);
        buffer.putBytes(offset + SelectedFlowRecord.RULE_SET_ID_OFFSET, ruleSetIdBytes);
        buffer.putBytes(offset + SelectedFlowRecord.APPROVAL_ID_OFFSET, approvalIdBytes[(int)(word >>> 32)]);
        putRuleId(buffer, offset + SelectedFlowRecord.RULE_ID_OFFSET, at);
        final int further = SelectedFlowRecord.furtherRulesFor(result.count());
        for (int i = 0; i < further; i++)
        {
            putRuleId(buffer, offset + SelectedFlowRecord.FURTHER_RULES_OFFSET + i * SelectedFlowRecord.MAX_ID_LENGTH,
                result.ordinal(i + 1) * TRAILER_LONGS);
        }
    }

    /** Copies the padded ID that starts at {@code trailers[at]} to {@code index}. */
    private void putRuleId(final MutableDirectBuffer buffer, final int index, final int at)
    {
        for (int j = 0; j < ID_LONGS; j++)
        {
            buffer.putLong(index + j * Long.BYTES, trailers[at + j], ByteOrder.LITTLE_ENDIAN);
        }
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

        long get(final int index)
        {
            return values[index];
        }

        long[] toArray()
        {
            return Arrays.copyOf(values, size);
        }
    }

    /**
     * Pool entries in runs closed by {@link #RUN_END}, equal runs stored once; slot 0 holds the empty run. Both kinds
     * of candidate run (the addresses' sets and the rules without an address) are built in one of these.
     */
    private static final class RunPool
    {
        private final Map<LongArrayKey, Integer> starts = new HashMap<>();
        private final LongPool pool = new LongPool();

        RunPool()
        {
            pool.add(RUN_END);
        }

        /** The start of a run of these entries (already in ascending order, so by rule ordinal); 0 for none. */
        int intern(final long[] run)
        {
            if (run.length == 0)
            {
                return 0;
            }
            return starts.computeIfAbsent(new LongArrayKey(run), key ->
            {
                final int at = pool.size();
                for (final long entry : run)
                {
                    pool.add(entry);
                }
                pool.add(RUN_END);
                return at;
            });
        }

        /** Distinct runs, the empty one included. */
        int count()
        {
            return starts.size() + 1;
        }

        long get(final int index)
        {
            return pool.get(index);
        }

        long[] toArray()
        {
            return pool.toArray();
        }
    }

    /**
     * Interns sorted sets of rules: equal sets share one slice of the pool, whose entries are the rules' pool
     * entries (see {@link #ORDINAL_SHIFT}). The empty set is start 0, length 0.
     */
    private static final class SetInterner
    {
        private final long[] entries;
        private final RunPool pool = new RunPool();

        SetInterner(final long[] entries)
        {
            this.entries = entries;
        }

        /**
         * The candidate set of an address as one end ({@link #SRC} or {@link #DST}): the rules naming a covering
         * prefix in that end's dimension or as either end, each entry marked with the dimensions it provides.
         *
         * @return the set's start in the pool, where its entries follow each other up to a {@link #RUN_END}; 0 for
         *     the empty set.
         */
        int intern(final List<Prefix> stack, final int end)
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
            final long[] set = new long[provides.size()];
            int n = 0;
            for (final Map.Entry<Integer, Integer> e : provides.entrySet())
            {
                set[n++] = entries[e.getKey()] | (long)e.getValue() << ENTRY_PROVIDES_SHIFT;
            }
            return pool.intern(set);
        }

        int count()
        {
            return pool.count();
        }

        /** Entries of the set starting at {@code start}, up to its {@link #RUN_END}. */
        int length(final int start)
        {
            int end = start;
            while (pool.get(end) != RUN_END)
            {
                end++;
            }
            return end - start;
        }

        long[] pool()
        {
            return pool.toArray();
        }
    }

    /**
     * Builds the runs of the rules without an address criterion ({@link #unaddressed}): one for flows without
     * ports (the rules without port criteria), and one per span of destination ports in which the same
     * {@code dst_ports} rules apply (those, the rules with only source or either-end port criteria, and the rules
     * without port criteria), equal runs sharing their entries. A set whose runs would exceed
     * {@link DestinationPortIndex#MAX_ENTRIES} (tens of thousands of one-port rules together with more than ≈ 64
     * rules that fit every span, or with as many wide ranges such as 1024-65535) gets one run of all such rules for
     * every port instead, as if none were indexed: the answers are the same, only slower.
     */
    private static final class UnaddressedRuns
    {
        private final List<Long> portless = new ArrayList<>();
        private final List<Long> anyDstPort = new ArrayList<>();
        /** Per {@code dst_ports} range of a rule: its entry, the range's first and last port. */
        private final List<long[]> dstRanges = new ArrayList<>();
        private final RunPool pool = new RunPool();
        private int portlessStart;

        /**
         * A rule without an address criterion: its pool entry, its merged {@code dst_ports} ranges, and whether it
         * has other port criteria.
         */
        void add(final long entry, final List<PortRange> dstPorts, final boolean otherPortCriteria)
        {
            if (!dstPorts.isEmpty())
            {
                for (final PortRange range : dstPorts)
                {
                    dstRanges.add(new long[] {entry, range.from(), range.to()});
                }
            }
            else if (otherPortCriteria)
            {
                anyDstPort.add(entry);
            }
            else
            {
                portless.add(entry);
            }
        }

        boolean any()
        {
            return !portless.isEmpty() || !anyDstPort.isEmpty() || !dstRanges.isEmpty();
        }

        int portlessStart()
        {
            return portlessStart;
        }

        long[] pool()
        {
            return pool.toArray();
        }

        /** Fills the start of every destination port's run. */
        /**
         * Fills the start of every destination port's run: its span's run if {@code indexed}, else one run of all
         * the rules without an address for every port.
         */
        void build(final int[] byDstPort, final boolean indexed)
        {
            portlessStart = intern(new TreeSet<>(portless));
            final TreeSet<Long> always = new TreeSet<>(portless);
            always.addAll(anyDstPort);
            if (indexed)
            {
                index(always, byDstPort);
                return;
            }
            final TreeSet<Long> all = new TreeSet<>(always);
            dstRanges.forEach(range -> all.add(range[0]));
            Arrays.fill(byDstPort, intern(all));
        }

        /**
         * Sweeps the destination ports: at each range's first port its rule joins the active ones, after its last
         * it leaves, and every span between two such boundaries gets the run of the always-present rules and the
         * active ones ({@link DestinationPortIndex#entries} bounds their size).
         */
        private void index(final TreeSet<Long> always, final int[] byDstPort)
        {
            final TreeMap<Integer, List<long[]>> joining = new TreeMap<>();
            final TreeMap<Integer, List<long[]>> leaving = new TreeMap<>();
            final TreeSet<Integer> bounds = new TreeSet<>(List.of(0, 1 << 16));
            for (final long[] range : dstRanges)
            {
                joining.computeIfAbsent((int)range[1], k -> new ArrayList<>()).add(range);
                leaving.computeIfAbsent((int)range[2] + 1, k -> new ArrayList<>()).add(range);
                bounds.add((int)range[1]);
                bounds.add((int)range[2] + 1);
            }
            final Map<Long, Integer> active = new TreeMap<>();
            final List<Integer> edges = new ArrayList<>(bounds);
            for (int e = 0; e + 1 < edges.size(); e++)
            {
                final int from = edges.get(e);
                for (final long[] range : leaving.getOrDefault(from, List.of()))
                {
                    active.merge(range[0], -1, (x, y) -> x + y == 0 ? null : x + y);
                }
                for (final long[] range : joining.getOrDefault(from, List.of()))
                {
                    active.merge(range[0], 1, Integer::sum);
                }
                final TreeSet<Long> run = new TreeSet<>(always);
                run.addAll(active.keySet());
                Arrays.fill(byDstPort, from, edges.get(e + 1), intern(run));
            }
        }

        private int intern(final TreeSet<Long> entries)
        {
            return pool.intern(entries.stream().mapToLong(Long::longValue).toArray());
        }
    }

    /** Interns leaf records: the table attribute and the two sets' pool starts ({@link #LEAF_LONGS}). */
    private static final class LeafInterner
    {
        private final Map<LongArrayKey, Integer> ids = new HashMap<>();
        private final LongPool records = new LongPool();

        int intern(final int attribute, final int srcStart, final int srcLength, final int dstStart,
            final int dstLength)
        {
            final long[] record = {(attribute & 0xFFFF_FFFFL) | (long)srcStart << START_SHIFT,
                dstStart & 0xFFFF_FFFFL | (long)Math.min(srcLength, 0xFFFF) << SRC_LENGTH_SHIFT |
                    (long)Math.min(dstLength, 0xFFFF) << DST_LENGTH_SHIFT};
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
