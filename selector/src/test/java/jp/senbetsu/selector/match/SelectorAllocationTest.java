package jp.senbetsu.selector.match;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.signature.TestVerification;
import jp.senbetsu.selector.table.AddressClass;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.TableEntry;
import jp.senbetsu.selector.table.TestTables;
import jp.senbetsu.selector.trie.Cidr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Deciding allocates nothing per flow, on either path: after a warm-up, deciding and writing the records of
 * 100 000 flows in batches and the same flows one at a time (every eligible and ineligible category but unknown,
 * selected and discarded, both families) allocates far less than one byte per flow on the deciding thread. The
 * JMH benchmark reports the same as B/op; this keeps it from regressing unnoticed.
 */
class SelectorAllocationTest
{
    private static final int FLOWS = 100_000;
    private static final long DECISION_NS = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    @Test
    void decidingOneAtATimeAndInBatchesAllocatesNothingPerFlow()
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean &&
            bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
            "per-thread allocation counter not available");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final DomesticTable table = TestTables.small();
        final SelectionHolder holder = new SelectionHolder();
        holder.activate(TestVerification.signedAndVerified(DomesticLeakTest.matchEverything()), table);
        final Selector selector = new Selector(holder);

        // pre-built flows between random domestic and foreign ends, both families: every category but unknown
        final SplittableRandom random = new SplittableRandom(7);
        final List<Cidr> space = new ArrayList<>();
        for (final int family : new int[] {4, 6})
        {
            for (final int addressClass : new int[] {AddressClass.DOMESTIC, AddressClass.FOREIGN})
            {
                TestTables.entries(table, family, addressClass).stream().map(TableEntry::cidr).forEach(space::add);
            }
        }
        final int distinct = 4096;
        final UnsafeBuffer flowMemory = new UnsafeBuffer(new byte[distinct * FlowRecord.LENGTH]);
        final FlowFixture fixture = new FlowFixture();
        for (int i = 0; i < distinct; i++)
        {
            final Cidr src = space.get(random.nextInt(space.size()));
            final List<Cidr> sameFamily = space.stream().filter(c -> c.family() == src.family()).toList();
            final Cidr dst = sameFamily.get(random.nextInt(sameFamily.size()));
            fixture.set(src.family(), TestTables.randomInside(random, src), TestTables.randomInside(random, dst), 6,
                1024 + random.nextInt(60_000), random.nextInt(1024), 0x12, 0x12, DECISION_NS, true);
            flowMemory.putBytes(i * FlowRecord.LENGTH, fixture.buffer, 0, FlowRecord.LENGTH);
        }

        final FlowRecord[] flows = new FlowRecord[DecisionBatch.CAPACITY];
        for (int j = 0; j < flows.length; j++)
        {
            flows[j] = new FlowRecord();
        }
        final FlowRecord one = new FlowRecord();
        final DecisionBatch batch = new DecisionBatch();
        final SelectedFlowRecord record =
            new SelectedFlowRecord().wrap(new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]), 0);
        final long[] selected = new long[1];
        final Runnable decideAll = () ->
        {
            for (int i = 0; i < FLOWS; i += DecisionBatch.CAPACITY)
            {
                for (int j = 0; j < flows.length; j++)
                {
                    flows[j].wrap(flowMemory, ((i + j) % distinct) * FlowRecord.LENGTH);
                }
                selector.decide(flows, flows.length, batch);
                for (int j = 0; j < flows.length; j++)
                {
                    selected[0] += selector.select(batch, j, flows[j], record) ? 1 : 0;
                }
                batch.clear();
                // the same flows once more, one at a time
                for (int j = 0; j < flows.length; j++)
                {
                    one.wrap(flowMemory, ((i + j) % distinct) * FlowRecord.LENGTH);
                    selected[0] += selector.select(one, record) ? 1 : 0;
                }
            }
        };
        for (int warmUp = 0; warmUp < 5; warmUp++)
        {
            decideAll.run();
        }
        // the least of three measurements: a compilation finishing late on a busy machine costs one of them
        long allocated = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && allocated >= FLOWS / 10; attempt++)
        {
            selected[0] = 0;
            final long before = threads.getCurrentThreadAllocatedBytes();
            decideAll.run();
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
        }
        // each flow decided twice, in a batch and alone
        assertTrue(selected[0] > 2 * FLOWS / 10 && selected[0] < 2 * FLOWS, "a mix of selected and discarded " +
            "flows: " + selected[0]);
        assertTrue(allocated < FLOWS / 10, FLOWS + " decisions allocated " + allocated + " bytes on the heap");
    }
}
