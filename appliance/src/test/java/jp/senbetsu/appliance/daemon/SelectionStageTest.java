package jp.senbetsu.appliance.daemon;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.match.SelectionHolder;
import jp.senbetsu.selector.match.Selector;
import jp.senbetsu.selector.record.SelectedFlowRecord;
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
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The selection stage decides ended flows in batches: it must queue exactly the records, in exactly the order,
 * that deciding each flow on its own would, hold no flow past the end of a metered batch, and count the same.
 */
class SelectionStageTest
{
    private static final long END_NS = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final String[] PREFIXES = {"133.0.0.0/8", "8.8.0.0/16", "1.0.0.0/16", "60.0.0.0/8"};

    private final List<SelectionStage> stages = new ArrayList<>();

    /** A stage over this queue with a store writer that never writes; its flow memory is freed after the test. */
    private SelectionStage stage(final SelectionHolder holder, final ManyToOneRingBuffer queue)
    {
        final SelectionStage stage = new SelectionStage(holder, queue, new StoreWriter(queue, null));
        stages.add(stage);
        return stage;
    }

    @AfterEach
    void freeFlowMemory()
    {
        stages.forEach(SelectionStage::close);
    }

    @Test
    void batchedSelectionQueuesWhatOneFlowAtATimeWouldInTheSameOrder()
    {
        final SelectionHolder holder = holder();
        final ManyToOneRingBuffer queue = queue();
        final SelectionStage stage = stage(holder, queue);
        final SelectionStage.Shard shard = stage.newShard();
        final Selector reference = new Selector(holder);
        final SelectedFlowRecord expectedRecord =
            new SelectedFlowRecord().wrap(new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]), 0);
        final List<byte[]> expected = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(32);
        final UnsafeBuffer flowBuffer = new UnsafeBuffer(new byte[FlowRecord.LENGTH]);
        final FlowRecord flow = new FlowRecord().wrap(flowBuffer, 0);
        int ended = 0;
        for (int round = 0; round < 40; round++)
        {
            // meter batches of 0 to 80 ended flows: fewer than, exactly and more than one decision batch
            final int flows = round == 0 ? 32 : random.nextInt(81);
            for (int i = 0; i < flows; i++)
            {
                randomFlow(random, flow);
                if (reference.select(flow, expectedRecord))
                {
                    expected.add(Arrays.copyOf(expectedRecord.buffer().byteArray(), expectedRecord.length()));
                }
                shard.onFlowEnd(flow);
                // the flow table reuses its record at once: the stage must have copied it
                flow.buffer().setMemory(0, FlowRecord.LENGTH, (byte)0x5A);
                ended++;
            }
            if (flows > 0)
            {
                assertEquals(flows % 32 == 0, shard.batchBufferEmpty(), "flows not yet decided are held");
            }
            shard.onFlowsEnded();
            // after the end of a metered batch nothing is held back, and no copy of a flow is left behind
            assertTrue(shard.batchBufferEmpty(), "round " + round);
            final List<byte[]> queued = drain(queue);
            assertEquals(expected.size(), queued.size(), "round " + round);
            for (int i = 0; i < queued.size(); i++)
            {
                assertArrayEquals(expected.get(i), queued.get(i), "round " + round + ", record " + i);
            }
            expected.clear();
        }
        final Selector batched = stage.selectors().getFirst();
        assertEquals(reference.counters().totalSelected(), stage.totalSelected());
        assertTrue(stage.totalSelected() > 100 && stage.totalSelected() < ended, "selected " + stage.totalSelected());
        assertEquals(reference.counters().totalDiscarded(), batched.counters().totalDiscarded());
        for (final Category category : Category.values())
        {
            assertEquals(reference.counters().selected(category), batched.counters().selected(category));
        }
        for (int r = 0; r < 3; r++)
        {
            assertEquals(reference.counters().ruleMatches(r), batched.counters().ruleMatches(r));
            assertEquals(reference.counters().ruleDecisions(r), batched.counters().ruleDecisions(r));
        }
        assertEquals(0, stage.lost());
    }

    @Test
    void flowsWaitOnlyUntilTheBatchIsFullOrTheShardHasNoMoreEndedFlows()
    {
        final SelectionHolder holder = holder();
        final ManyToOneRingBuffer queue = queue();
        final SelectionStage stage = stage(holder, queue);
        final SelectionStage.Shard shard = stage.newShard();
        final FlowRecord flow = new FlowRecord().wrap(new UnsafeBuffer(new byte[FlowRecord.LENGTH]), 0);
        // every flow from the foreign 8.8.0.0/16 to the domestic 133.0.0.0/8 on 443 is selected by rule r0
        for (int i = 0; i < 31; i++)
        {
            write(flow, "8.8.1." + i, "133.1.1." + i, 443);
            shard.onFlowEnd(flow);
        }
        assertEquals(0, drain(queue).size(), "held until the batch is full or the meter batch ends");
        write(flow, "8.8.1.31", "133.1.1.31", 443);
        shard.onFlowEnd(flow);
        assertEquals(32, drain(queue).size(), "a full batch is decided at once");
        write(flow, "8.8.2.1", "133.1.2.1", 443);
        shard.onFlowEnd(flow);
        assertEquals(0, drain(queue).size());
        shard.onFlowsEnded();
        final List<byte[]> last = drain(queue);
        assertEquals(1, last.size());
        final SelectedFlowRecord record = new SelectedFlowRecord().wrap(new UnsafeBuffer(last.getFirst()), 0);
        assertEquals("r0", record.ruleId());
        assertEquals(Category.FOREIGN_DOMESTIC.code(), record.category());
        // an empty end of batch decides nothing
        shard.onFlowsEnded();
        assertEquals(0, drain(queue).size());
        assertEquals(33, stage.totalSelected());
    }

    @Test
    void aRecordThatCannotBeQueuedIsCountedLostAndTheRestOfTheBatchStillGoesOn()
    {
        final SelectionHolder holder = holder();
        // a queue whose largest message is far smaller than a selected record: every write is refused
        final ManyToOneRingBuffer tiny = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(1024 + RingBufferDescriptor.TRAILER_LENGTH)));
        final SelectionStage stage = stage(holder, tiny);
        final SelectionStage.Shard shard = stage.newShard();
        final Selector reference = new Selector(holder);
        final SelectedFlowRecord record =
            new SelectedFlowRecord().wrap(new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]), 0);
        final SplittableRandom random = new SplittableRandom(5);
        final FlowRecord flow = new FlowRecord().wrap(new UnsafeBuffer(new byte[FlowRecord.LENGTH]), 0);
        long expectedSelected = 0;
        for (int i = 0; i < 20; i++)
        {
            randomFlow(random, flow);
            expectedSelected += reference.select(flow, record) ? 1 : 0;
            shard.onFlowEnd(flow);
        }
        assertTrue(expectedSelected >= 2, "selected " + expectedSelected);
        final RuntimeException failure = assertThrows(RuntimeException.class, shard::onFlowsEnded);
        assertEquals(expectedSelected - 1, failure.getSuppressed().length, "every failed record is reported");
        assertEquals(expectedSelected, stage.lost(), "each selected record that could not be queued is lost");
        assertEquals(expectedSelected, stage.totalSelected());
        assertTrue(shard.batchBufferEmpty(), "the failed batch leaves nothing of its flows behind");
        assertEquals(0, drain(tiny).size());
    }

    private static void randomFlow(final SplittableRandom random, final FlowRecord flow)
    {
        final String src = PREFIXES[random.nextInt(PREFIXES.length)];
        final String dst = PREFIXES[random.nextInt(PREFIXES.length)];
        write(flow, inside(random, src), inside(random, dst), random.nextInt(4) == 0 ? 443 : random.nextInt(1024));
    }

    private static String inside(final SplittableRandom random, final String prefix)
    {
        final String[] parts = prefix.split("[./]");
        final int length = Integer.parseInt(parts[4]);
        final StringBuilder out = new StringBuilder();
        for (int octet = 0; octet < 4; octet++)
        {
            out.append(octet > 0 ? "." : "").append(octet * 8 < length ? parts[octet] : random.nextInt(256));
        }
        return out.toString();
    }

    private static void write(final FlowRecord flow, final String src, final String dst, final int dstPort)
    {
        flow.clear();
        flow.ipVersion(4).protocol(6).srcPort(40_000).dstPort(dstPort).tcpFlags(0x12).reverseTcpFlags(0x12)
            .startNs(END_NS - 1_000_000).endNs(END_NS).flowFlags(FlowRecord.FLAG_HAS_PORTS);
        flow.buffer().putInt(flow.offset() + FlowRecord.SRC_ADDRESS_OFFSET, address(src), ByteOrder.BIG_ENDIAN);
        flow.buffer().putInt(flow.offset() + FlowRecord.DST_ADDRESS_OFFSET, address(dst), ByteOrder.BIG_ENDIAN);
    }

    private static int address(final String dotted)
    {
        return (int)(Cidr.parse(dotted + "/32").hi() >>> 32);
    }

    private static List<byte[]> drain(final ManyToOneRingBuffer queue)
    {
        final List<byte[]> out = new ArrayList<>();
        queue.read((type, buffer, index, length) ->
        {
            assertEquals(SelectionStage.SELECTED_RECORD, type);
            final byte[] bytes = new byte[length];
            buffer.getBytes(index, bytes);
            out.add(bytes);
        }, Integer.MAX_VALUE);
        return out;
    }

    private static ManyToOneRingBuffer queue()
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /** 133/8 domestic, the rest foreign; r0 on any 443 flow from 8.8/16, r1 on 1.0/16, r2 to 60/8 from anywhere. */
    private static SelectionHolder holder()
    {
        final DomesticTableBuilder builder = new DomesticTableBuilder("JP");
        builder.add(new TableSource(Cidr.parse("133.0.0.0/8"), TableSource.LAYER_DELEGATED, AddressClass.DOMESTIC,
            CountryCode.pack("JP"), 0, "test"));
        for (final String foreign : List.of("8.0.0.0/8", "1.0.0.0/8", "60.0.0.0/8"))
        {
            builder.add(new TableSource(Cidr.parse(foreign), TableSource.LAYER_DELEGATED, AddressClass.FOREIGN,
                CountryCode.pack("US"), 0, "test"));
        }
        final DomesticTable table = builder.build();
        final int all = (1 << Category.FOREIGN_FOREIGN.code()) | (1 << Category.FOREIGN_DOMESTIC.code()) |
            (1 << Category.DOMESTIC_FOREIGN.code());
        final Instant from = Instant.parse("2026-01-01T00:00:00Z");
        final Instant until = Instant.parse("2027-01-01T00:00:00Z");
        final List<Cidr> none = List.of();
        final List<Rule> rules = List.of(
            new Rule(0, "r0", "APP-0", all, from, until, new Criteria(List.of(Cidr.parse("8.8.0.0/16")), none, none,
                List.of(), List.of(new PortRange(443, 443)), List.of(), List.of(6), null, List.of(), List.of()), 0, 0),
            new Rule(1, "r1", "APP-0", all, from, until, new Criteria(List.of(Cidr.parse("1.0.0.0/16")), none, none,
                List.of(), List.of(), List.of(), List.of(), null, List.of(), List.of()), 0, 0),
            new Rule(2, "r2", "APP-0", all, from, until, new Criteria(none, List.of(Cidr.parse("60.0.0.0/8")), none,
                List.of(), List.of(), List.of(), List.of(), null, List.of(), List.of()), 0, 0));
        final RuleSet set = new RuleSet("rs-stage", 1, "test", from, until, all, table.versionHex(),
            List.of(new Approval("APP-0", Approval.DEFAULT_RETENTION, 0)), rules, new byte[0], "stage");
        final SelectionHolder holder = new SelectionHolder();
        holder.activate(TestVerification.signedAndVerified(set), table);
        return holder;
    }
}
