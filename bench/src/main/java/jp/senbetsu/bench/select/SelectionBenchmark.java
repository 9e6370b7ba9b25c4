package jp.senbetsu.bench.select;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import jp.senbetsu.appliance.daemon.SelectionStage;
import jp.senbetsu.appliance.daemon.StoreWriter;
import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.match.DecisionBatch;
import jp.senbetsu.selector.match.SelectionHolder;
import jp.senbetsu.selector.match.Selector;
import jp.senbetsu.selector.rules.Approval;
import jp.senbetsu.selector.rules.Criteria;
import jp.senbetsu.selector.rules.PortRange;
import jp.senbetsu.selector.rules.Rule;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.signature.TestVerification;
import jp.senbetsu.selector.table.AddressClass;
import jp.senbetsu.selector.table.CountryCode;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.DomesticTableBuilder;
import jp.senbetsu.selector.table.TableSource;
import jp.senbetsu.selector.trie.Cidr;
import jp.senbetsu.selector.trie.Key128;
import jp.senbetsu.selector.trie.Poptrie;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Classify + match cost per flow record as the rule count grows: 10, 1 000 and 100 000 CIDR rules over IPv4 or
 * IPv6, against a domestic table the size of the real Japanese one (≈ 3 000 domestic and 15 000 foreign prefixes
 * per family, generated deterministically so the benchmark needs no external file).
 *
 * <p>Each rule has one prefix (source, destination or either end, lengths spread like real selectors) and a
 * quarter of the rules add ports or protocols. Half the flows have an end inside some rule's prefix, the rest
 * are drawn from the table's space; records are pre-built in one buffer and decided in the order {@link #traffic}
 * says. {@code decide} is the full
 * per-flow decision of the pipeline (two trie lookups, category and the candidate merge); {@code decideBatch}
 * makes the same decisions 32 at a time through the batch API (time per flow); {@code stage} is what the
 * pipeline does with them: the appliance's selection stage fed 32 ended flows and the end of the meter batch,
 * copying each flow, deciding them as one batch and queueing the selected records (read back on the same thread,
 * where the store writer would read them on its own);
 * {@code lookupBatch} is the address lookups of {@code decideBatch} alone; {@code classify} is the table alone. Run
 * with {@code -prof gc} to see 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-XX:+UseParallelGC"})
public class SelectionBenchmark
{
    /** Flows pre-built for {@code uniform} and {@code zipf} traffic. */
    private static final int RECORDS = 1 << 14;
    /** Flows pre-built for {@code stream} traffic: as many as one pass of the decision order. */
    private static final int STREAM_RECORDS = 1 << 20;
    private static final int ORDER = 1 << 20;
    private static final long DECISION_NS = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    @Param({"10", "1000", "100000"})
    int rules;

    @Param({"4", "6"})
    int family;

    /**
     * Order in which the pre-built flows are decided: {@code uniform} cycles through all 16 384 of them in order, so
     * the trie lines their addresses need (at 10⁵ IPv6 rules about three per address, with the 2.6 MB of flow
     * records ≈ 9 MB a pass) partly stay cached from one pass to the next. {@code stream} decides 2²⁰ distinct flows
     * in order, each once per pass, as the pipeline decides every ended flow once: the trie is read at random, only
     * the parts of it many flows share stay cached, and at 10⁵ rules this is the harder case (docs/performance.md,
     * Selection). {@code zipf} draws the 16 384 with Zipf exponent 1 (a few flows, and the rules and trie paths they
     * touch, recur often), in random order, so the flow records themselves are read at random too.
     */
    @Param({"uniform", "zipf", "stream"})
    String traffic;

    /**
     * Shape of the rule prefixes and how often a flow's end falls inside one. {@code spread}: lengths drawn evenly
     * from IPv4 /12–/32 or IPv6 /24–/64, each flow end inside a random rule prefix half of the time (at 100 000
     * IPv4 rules the /12–/14 rules cover most of the space, so 93 % of flows are selected: the adversarial case).
     * {@code indicators}: rules shaped like the indicator lists automatic selection is written from (hosts and
     * small networks of attack infrastructure inside announced space: IPv4 60 % /32, 30 % /24, 10 % /16–/23;
     * IPv6 50 % /128, 30 % /64, 20 % /48; each inside a random table prefix), one flow end in twenty inside a
     * rule prefix, so most flows are decided without a match. {@code ports}: rules without an address, each naming
     * one destination port (1–65535), the stress case for the rules a flow's addresses cannot find (they are found
     * by its destination port instead).
     */
    @Param({"spread", "indicators", "ports"})
    String prefixes;

    private UnsafeBuffer buffer;
    private int records;
    private final FlowRecord flow = new FlowRecord();
    private final FlowRecord[] batchFlows = new FlowRecord[DecisionBatch.CAPACITY];
    private final DecisionBatch batch = new DecisionBatch();
    private Selector selector;
    private SelectionHolder selectorHolder;
    private SelectionStage selection;
    private SelectionStage.Shard stage;
    private ManyToOneRingBuffer queue;
    private final MessageHandler storeWriterRead = (type, source, index, length) -> { };
    private DomesticTable table;
    private final int[] order = new int[ORDER];
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(20261127L + family);
        records = "stream".equals(traffic) ? STREAM_RECORDS : RECORDS;
        buffer = new UnsafeBuffer(new byte[records * FlowRecord.LENGTH]);
        table = syntheticTable(random, family);
        final List<Cidr> rulePrefixes = new ArrayList<>();
        final boolean indicators = "indicators".equals(prefixes);
        final boolean ports = "ports".equals(prefixes);
        final RuleSet set = ruleSet(random, rules, family, table, rulePrefixes, indicators, ports);
        final int ruleEndsIn20 = ports ? 0 : indicators ? 1 : 10;
        final SelectionHolder holder = new SelectionHolder();
        holder.activate(TestVerification.signedAndVerified(set), table);
        selectorHolder = holder;
        selector = new Selector(holder);
        queue = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect((1 << 18) + RingBufferDescriptor.TRAILER_LENGTH)));
        selection = new SelectionStage(holder, queue, new StoreWriter(queue, null));
        stage = selection.newShard();
        for (int i = 0; i < records; i++)
        {
            flow.wrap(buffer, i * FlowRecord.LENGTH);
            final Cidr srcPrefix = random.nextInt(20) < ruleEndsIn20 ?
                pick(random, rulePrefixes) : tableSpace(random, table);
            final Cidr dstPrefix = random.nextInt(20) < ruleEndsIn20 ?
                pick(random, rulePrefixes) : tableSpace(random, table);
            flow.ipVersion(family).protocol(random.nextInt(4) == 0 ? 17 : 6)
                .srcPort(1024 + random.nextInt(60000)).dstPort(random.nextInt(4) == 0 ? 443 : random.nextInt(1024))
                .tcpFlags(0x12).reverseTcpFlags(0x12).startNs(DECISION_NS - 1000).endNs(DECISION_NS)
                .flowFlags(FlowRecord.FLAG_HAS_PORTS);
            write(flow.srcAddressOffset(), inside(random, srcPrefix));
            write(flow.dstAddressOffset(), inside(random, dstPrefix));
        }
        fillOrder(random);
        describeWorkload();
        for (int i = 0; i < batchFlows.length; i++)
        {
            batchFlows[i] = new FlowRecord();
        }
    }

    /** Prints what the flows do under the rules (once per trial), so that reported numbers say what they decided. */
    private void describeWorkload()
    {
        final Selector probe = new Selector(selectorHolder);
        int eligible = 0;
        int selected = 0;
        long matches = 0;
        for (int i = 0; i < records; i++)
        {
            flow.wrap(buffer, i * FlowRecord.LENGTH);
            selected += probe.decide(flow) ? 1 : 0;
            eligible += Category.ofCode(probe.category()).eligible() ? 1 : 0;
            matches += probe.result().count();
        }
        System.out.printf("workload: %d rules IPv%d %s, %.1f %% eligible, %.1f %% selected, %.2f matching rules per"
            + " flow%n", rules, family, prefixes, 100.0 * eligible / records, 100.0 * selected / records,
            (double)matches / records);
    }

    @TearDown(Level.Trial)
    public void freeFlowMemory()
    {
        selection.close();
    }

    private void fillOrder(final SplittableRandom random)
    {
        if (!"zipf".equals(traffic))
        {
            for (int i = 0; i < ORDER; i++)
            {
                order[i] = (i & (records - 1)) * FlowRecord.LENGTH;
            }
            return;
        }
        // inverse-CDF sampling of Zipf(1) over the records, with a random rank-to-record mapping
        final double[] cdf = new double[RECORDS];
        double sum = 0;
        for (int k = 0; k < RECORDS; k++)
        {
            sum += 1.0 / (k + 1);
            cdf[k] = sum;
        }
        final int[] recordOfRank = new int[RECORDS];
        for (int k = 0; k < RECORDS; k++)
        {
            recordOfRank[k] = k;
        }
        for (int k = RECORDS - 1; k > 0; k--)
        {
            final int j = random.nextInt(k + 1);
            final int t = recordOfRank[k];
            recordOfRank[k] = recordOfRank[j];
            recordOfRank[j] = t;
        }
        for (int i = 0; i < ORDER; i++)
        {
            int rank = java.util.Arrays.binarySearch(cdf, random.nextDouble() * sum);
            rank = rank < 0 ? Math.min(-rank - 1, RECORDS - 1) : rank;
            order[i] = recordOfRank[rank] * FlowRecord.LENGTH;
        }
    }

    @Benchmark
    public boolean decide()
    {
        flow.wrap(buffer, order[next++ & (ORDER - 1)]);
        return selector.decide(flow);
    }

    /**
     * The same decisions as {@link #decide}, {@link DecisionBatch#CAPACITY} flows per call through the batch API:
     * the time reported is per flow.
     */
    @Benchmark
    @OperationsPerInvocation(DecisionBatch.CAPACITY)
    public int decideBatch()
    {
        final FlowRecord[] flows = batchFlows;
        for (int i = 0; i < flows.length; i++)
        {
            flows[i].wrap(buffer, order[next++ & (ORDER - 1)]);
        }
        return selector.decide(flows, flows.length, batch);
    }

    /**
     * The selection stage as the flow shard drives it: {@link DecisionBatch#CAPACITY} ended flows, then the end of
     * the meter batch; time per flow, including the copy of each flow and the hand-off of the selected records.
     * This is the full-batch best case: in the pipeline the shard ends a batch after every batch of ring slots,
     * often with only a few ended flows, whose decisions overlap less.
     */
    @Benchmark
    @OperationsPerInvocation(DecisionBatch.CAPACITY)
    public int stage()
    {
        for (int i = 0; i < DecisionBatch.CAPACITY; i++)
        {
            flow.wrap(buffer, order[next++ & (ORDER - 1)]);
            stage.onFlowEnd(flow);
        }
        stage.onFlowsEnded();
        return queue.read(storeWriterRead, Integer.MAX_VALUE);
    }

    private final int[] lookupAddresses4 = new int[2 * DecisionBatch.CAPACITY];
    private final long[] lookupKeys6 = new long[4 * DecisionBatch.CAPACITY];
    private final int[] lookupValues = new int[2 * DecisionBatch.CAPACITY];
    private final int[] lookupPending = new int[2 * DecisionBatch.CAPACITY];
    private final int[] lookupPositions = new int[2 * DecisionBatch.CAPACITY];

    /**
     * The address lookups of {@link #decideBatch} alone: both ends of {@link DecisionBatch#CAPACITY} flows walked
     * together to their leaf record indices (time per flow), without reading the records. What {@code decideBatch}
     * takes beyond this is the rest of the decision: records, category, candidate merge.
     */
    @Benchmark
    @OperationsPerInvocation(DecisionBatch.CAPACITY)
    public int lookupBatch()
    {
        final Poptrie trie = selectorHolder.current().rules().trie(family);
        for (int i = 0; i < DecisionBatch.CAPACITY; i++)
        {
            flow.wrap(buffer, order[next++ & (ORDER - 1)]);
            if (family == 4)
            {
                lookupAddresses4[2 * i] = flow.srcIpv4();
                lookupAddresses4[2 * i + 1] = flow.dstIpv4();
            }
            else
            {
                lookupKeys6[4 * i] = flow.srcIpv6High();
                lookupKeys6[4 * i + 1] = flow.srcIpv6Low();
                lookupKeys6[4 * i + 2] = flow.dstIpv6High();
                lookupKeys6[4 * i + 3] = flow.dstIpv6Low();
            }
        }
        final int count = 2 * DecisionBatch.CAPACITY;
        if (family == 4)
        {
            trie.lookups4(lookupAddresses4, lookupValues, count, lookupPending);
        }
        else
        {
            trie.lookups6(lookupKeys6, lookupValues, count, lookupPending, lookupPositions);
        }
        return lookupValues[0] + lookupValues[count - 1];
    }

    @Benchmark
    public int classify()
    {
        final int offset = order[next++ & (ORDER - 1)];
        return table.classify(family, buffer, offset + FlowRecord.SRC_ADDRESS_OFFSET,
            offset + FlowRecord.DST_ADDRESS_OFFSET);
    }

    private void write(final int offset, final long[] key)
    {
        if (family == 4)
        {
            buffer.putInt(offset, (int)(key[0] >>> 32), ByteOrder.BIG_ENDIAN);
        }
        else
        {
            buffer.putLong(offset, key[0], ByteOrder.BIG_ENDIAN);
            buffer.putLong(offset + 8, key[1], ByteOrder.BIG_ENDIAN);
        }
    }

    /** A table shaped like the real one: thousands of domestic and foreign prefixes in the unicast space. */
    static DomesticTable syntheticTable(final SplittableRandom random, final int family)
    {
        final DomesticTableBuilder builder = new DomesticTableBuilder("JP");
        final int jp = CountryCode.pack("JP");
        final int[] foreignCountries = {CountryCode.pack("CN"), CountryCode.pack("US"), CountryCode.pack("KR")};
        for (int i = 0; i < 18_000; i++)
        {
            final boolean domestic = i % 6 == 0;
            final Cidr cidr = family == 4 ?
                randomPrefix(random, 4, 8 + random.nextInt(17)) : randomPrefix(random, 6, 19 + random.nextInt(30));
            builder.add(new TableSource(cidr, TableSource.LAYER_DELEGATED,
                domestic ? AddressClass.DOMESTIC : AddressClass.FOREIGN,
                domestic ? jp : foreignCountries[i % 3], 0, "synthetic"));
        }
        return builder.build();
    }

    static RuleSet ruleSet(final SplittableRandom random, final int count, final int family,
        final DomesticTable table, final List<Cidr> prefixes, final boolean indicators, final boolean ports)
    {
        final int all = (1 << Category.FOREIGN_FOREIGN.code()) | (1 << Category.FOREIGN_DOMESTIC.code()) |
            (1 << Category.DOMESTIC_FOREIGN.code());
        final Instant from = Instant.parse("2026-01-01T00:00:00Z");
        final Instant until = Instant.parse("2027-01-01T00:00:00Z");
        final List<Rule> rules = new ArrayList<>(count);
        for (int r = 0; r < count; r++)
        {
            final Cidr cidr = indicators ? indicator(random, family, table) :
                randomPrefix(random, family, family == 4 ? 12 + random.nextInt(21) : 24 + random.nextInt(41));
            prefixes.add(cidr);
            final int where = random.nextInt(3);
            final boolean extra = random.nextInt(4) == 0;
            final Criteria criteria = new Criteria(
                where == 0 ? List.of(cidr) : List.of(), where == 1 ? List.of(cidr) : List.of(),
                where == 2 ? List.of(cidr) : List.of(), List.of(),
                extra ? List.of(new PortRange(443, 443), new PortRange(8000, 8099)) : List.of(), List.of(),
                extra ? List.of(6) : List.of(), null, List.of(), List.of());
            final int port = 1 + random.nextInt(65535);
            rules.add(new Rule(r, "r" + r, "APP-" + (r % 16), all, from, until, ports ?
                new Criteria(List.of(), List.of(), List.of(), List.of(), List.of(new PortRange(port, port)), List.of(),
                    List.of(), null, List.of(), List.of()) : criteria, 0, 0));
        }
        final List<Approval> approvals = new ArrayList<>();
        for (int a = 0; a < 16; a++)
        {
            approvals.add(new Approval("APP-" + a, Approval.DEFAULT_RETENTION, 0));
        }
        return new RuleSet("rs-bench", 1, "bench", from, until, all, table.versionHex(), approvals, rules, new byte[0],
            "bench");
    }

    /**
     * An indicator-shaped prefix inside announced space, as real indicators are: within a random prefix of the
     * table (domestic or foreign), as long as the indicator's length allows.
     */
    private static Cidr indicator(final SplittableRandom random, final int family, final DomesticTable table)
    {
        final int percent = random.nextInt(100);
        final int length = family == 4 ? percent < 60 ? 32 : percent < 90 ? 24 : 16 + random.nextInt(8) :
            percent < 50 ? 128 : percent < 80 ? 64 : 48;
        final Cidr space = tableSpace(random, table);
        final long[] address = inside(random, space);
        final int bits = Math.max(length, space.length());
        return new Cidr(family, address[0] & Key128.maskHi(bits), address[1] & Key128.maskLo(bits), bits);
    }

    /** A prefix in global unicast space: IPv4 1.0.0.0 to 222.255.255.255, IPv6 2000::/4. */
    private static Cidr randomPrefix(final SplittableRandom random, final int family, final int length)
    {
        final long hi = family == 4 ?
            (0x0100_0000L + random.nextLong(0xDF00_0000L - 0x0100_0000L)) << 32 :
            (0x2000L + random.nextInt(0x1000)) << 48 | (random.nextLong() & 0xFFFF_FFFF_FFFFL);
        final long lo = family == 4 ? 0 : random.nextLong() & Key128.maskLo(length);
        return new Cidr(family, hi & Key128.maskHi(length), lo, length);
    }

    private static Cidr pick(final SplittableRandom random, final List<Cidr> prefixes)
    {
        return prefixes.get(random.nextInt(prefixes.size()));
    }

    private static Cidr tableSpace(final SplittableRandom random, final DomesticTable table)
    {
        return table.entries().get(random.nextInt(table.entries().size())).cidr();
    }

    private static long[] inside(final SplittableRandom random, final Cidr cidr)
    {
        final long hi = cidr.hi() | (random.nextLong() & ~Key128.maskHi(cidr.length()));
        final long lo = cidr.family() == 4 ? 0 : cidr.lo() | (random.nextLong() & ~Key128.maskLo(cidr.length()));
        return new long[] {cidr.family() == 4 ? hi & 0xFFFF_FFFF_0000_0000L : hi, lo};
    }
}
