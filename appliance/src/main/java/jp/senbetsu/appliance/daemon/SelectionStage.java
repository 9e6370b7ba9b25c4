package jp.senbetsu.appliance.daemon;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import jp.senbetsu.capture.flow.FlowEndHandler;
import jp.senbetsu.capture.memory.DirectRegion;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.match.DecisionBatch;
import jp.senbetsu.selector.match.SelectionHolder;
import jp.senbetsu.selector.match.Selector;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * flows → select → (queue) → seal: runs automatic selection on every ended flow, on the flow shard's own thread,
 * and hands each selected record to the store writer through a many-to-one ring. A discarded flow leaves only the
 * selector's counters.
 *
 * <p>Each flow shard gets its own {@link Shard} ({@link #newShard()}, called by the pipeline once per shard): its
 * selector, batch and buffers, used only on that shard's thread, so the per-flow path takes no lock and looks
 * nothing up. Flows are decided in batches of up to {@link DecisionBatch#CAPACITY} through the selector's batch
 * API, whose memory reads overlap across flows: each ended flow is copied into the shard's batch buffer (reused,
 * zeroed once its batch is decided: the flow table's record is valid only during the call), and the batch is
 * decided when it is full and whenever the shard has no more ended flows for now ({@link Shard#onFlowsEnded()}:
 * after each batch the shard takes from the ring and after the shutdown flush), so no flow waits for more traffic
 * and none is left behind. The copies, mostly of flows that will not be selected, live in confidential memory
 * (locked, kept out of core dumps, like the flow table's own records), freed by {@link #close()}. A selected record
 * is written straight into the space it claims in the queue (no scratch copy). A failure while deciding reaches
 * the flow shard from the call that decided the batch (counted there as one stage error, however many flows the
 * batch held); a failure while writing or queueing one selected record costs that record (counted in
 * {@link #lost()}), not the rest of the batch. The whole batch is decided by the rule set active when it is decided: a flow that
 * ended just before a reload (SIGHUP) may be decided by the new set, as a flow ending just after it would be.
 *
 * <p>When the queue is full the shard waits for the store writer rather than drop a selected record: the
 * back-pressure reaches the capture ring, where a live source drops and counts ({@code ring.full}) and a file source
 * simply waits. If the store writer has failed, waiting would never end: the record is counted as lost instead
 * (the appliance is then stopping with an error, and everything acknowledged before the failure is safe).
 */
public final class SelectionStage implements AutoCloseable
{
    /** Message type of a selected record on the queue. */
    public static final int SELECTED_RECORD = 1;

    private final SelectionHolder holder;
    private final ManyToOneRingBuffer queue;
    private final StoreWriter writer;
    private final List<Shard> shards = new CopyOnWriteArrayList<>();
    private final AtomicLong lost = new AtomicLong();

    public SelectionStage(final SelectionHolder holder, final ManyToOneRingBuffer queue, final StoreWriter writer)
    {
        this.holder = holder;
        this.queue = queue;
        this.writer = writer;
    }

    /** The handler of one more flow shard; use it on that shard's thread only. Its counters join the stage's. */
    public Shard newShard()
    {
        final Shard shard = new Shard(new Selector(holder));
        shards.add(shard);
        return shard;
    }

    /** Selected flows over every shard. */
    public long totalSelected()
    {
        long total = 0;
        for (final Shard shard : shards)
        {
            total += shard.selector.counters().totalSelected();
        }
        return total;
    }

    /**
     * Selected flows that were never queued for the store: the store writer had failed, or writing or queueing
     * that one record failed.
     */
    public long lost()
    {
        return lost.get();
    }

    /** The per-shard selectors, for counters and metrics. */
    public List<Selector> selectors()
    {
        return shards.stream().map(shard -> shard.selector).toList();
    }

    /**
     * Frees every shard's flow copies; call once the pipeline has stopped (its shutdown flush decides the last
     * batch). The counters stay readable.
     */
    @Override
    public void close()
    {
        for (final Shard shard : shards)
        {
            shard.flowMemory.close();
        }
    }

    /** Selection on one flow shard's thread: that shard's selector, decision batch and copies of its ended flows. */
    public final class Shard implements FlowEndHandler
    {
        private final Selector selector;
        private final SelectedFlowRecord record = new SelectedFlowRecord();
        private final IdleStrategy idle = new YieldingIdleStrategy();
        /** Copies of the ended flows not yet decided, {@link #count} of them: confidential, like the table. */
        private final DirectRegion flowMemory = new DirectRegion(DecisionBatch.CAPACITY * FlowRecord.LENGTH, true);
        private final UnsafeBuffer flowBuffer = flowMemory.buffer();
        private final FlowRecord[] flows = new FlowRecord[DecisionBatch.CAPACITY];
        private final DecisionBatch batch = new DecisionBatch();
        private int count;

        private Shard(final Selector selector)
        {
            this.selector = selector;
            for (int i = 0; i < flows.length; i++)
            {
                flows[i] = new FlowRecord().wrap(flowBuffer, i * FlowRecord.LENGTH);
            }
        }

        @Override
        public void onFlowEnd(final FlowRecord flow)
        {
            flowBuffer.putBytes(count * FlowRecord.LENGTH, flow.buffer(), flow.offset(), FlowRecord.LENGTH);
            if (++count == DecisionBatch.CAPACITY)
            {
                decide();
            }
        }

        @Override
        public void onFlowsEnded()
        {
            if (count > 0)
            {
                decide();
            }
        }

        private void decide()
        {
            final int decided = count;
            // reset first: whatever fails below, the batch is never decided twice
            count = 0;
            RuntimeException failure = null;
            try
            {
                // a failed decision costs the whole batch (no flow of it is counted): the error reaches the shard
                if (selector.decide(flows, decided, batch) == 0)
                {
                    return;
                }
                for (int i = 0; i < decided; i++)
                {
                    if (!batch.selected(i))
                    {
                        continue;
                    }
                    try
                    {
                        enqueue(i);
                    }
                    catch (final RuntimeException ex)
                    {
                        // counted as selected but never queued: lost, and the rest of the batch still goes on
                        lost.incrementAndGet();
                        if (failure == null)
                        {
                            failure = ex;
                        }
                        else
                        {
                            failure.addSuppressed(ex);
                        }
                    }
                }
            }
            finally
            {
                // the copies of the flows, and all the selector's batch holds of them, go at once, like the table's
                // own records: only what the rules selected outlives the decision
                flowBuffer.setMemory(0, decided * FlowRecord.LENGTH, (byte)0);
                batch.clear();
            }
            if (failure != null)
            {
                throw failure;
            }
        }

        /** Writes selected flow {@code i} of the batch into queue space it claims, waiting while the queue is full. */
        private void enqueue(final int i)
        {
            final int length = selector.recordLength(batch, i);
            int index;
            while ((index = queue.tryClaim(SELECTED_RECORD, length)) < 0)
            {
                if (writer.failure() != null)
                {
                    // the appliance is stopping with an error; count what can no longer be sealed
                    lost.incrementAndGet();
                    idle.reset();
                    return;
                }
                idle.idle();
            }
            idle.reset();
            boolean written = false;
            try
            {
                // the record fills all of its claimed bytes, so nothing of an earlier message stays in between
                written = selector.select(batch, i, flows[i], record.wrap(queue.buffer(), index));
            }
            finally
            {
                if (written)
                {
                    queue.commit(index);
                }
                else
                {
                    queue.abort(index);
                }
            }
        }

        /**
         * For tests: whether this shard holds nothing of any flow (every flow decided, its copy zeroed and the
         * selector's batch cleared).
         */
        boolean batchBufferEmpty()
        {
            for (int i = 0; i < flowBuffer.capacity(); i++)
            {
                if (flowBuffer.getByte(i) != 0)
                {
                    return false;
                }
            }
            return count == 0 && batch.cleared();
        }
    }
}
