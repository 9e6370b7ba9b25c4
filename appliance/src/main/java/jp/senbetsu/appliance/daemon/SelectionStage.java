package jp.senbetsu.appliance.daemon;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import jp.senbetsu.capture.flow.FlowEndHandler;
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
 * <p>Flows are decided in batches of up to {@link DecisionBatch#CAPACITY} through the selector's batch API, whose
 * memory reads overlap across flows: each ended flow is copied into the shard's batch buffer (in memory, reused,
 * zeroed once its batch is decided: the flow table's record is valid only during the call), and the batch is
 * decided when it is full and whenever the shard has no more ended flows for now ({@link #onFlowsEnded()}: after
 * each metered batch of packets and after the shutdown flush), so no flow waits for more traffic and none is left
 * behind. A failure while deciding reaches the flow shard from the call that decided the batch; a failure while
 * writing or queueing one selected record costs that record (counted in {@link #lost()}), not the rest of the
 * batch. The whole batch is decided by the rule set active when it is decided: a flow that ended just before a
 * reload (SIGHUP) may be decided by the new set, as a flow ending just after it would be.
 *
 * <p>When the queue is full the shard waits for the store writer rather than drop a selected record: the
 * back-pressure reaches the capture ring, where a live source drops and counts ({@code ring.full}) and a file source
 * simply waits. If the store writer has failed, waiting would never end: the record is counted as lost instead
 * (the appliance is then stopping with an error, and everything acknowledged before the failure is safe). Each
 * shard thread gets its own {@link Selector} and record buffer on first use.
 */
public final class SelectionStage implements FlowEndHandler
{
    /** Message type of a selected record on the queue. */
    public static final int SELECTED_RECORD = 1;

    private final SelectionHolder holder;
    private final ManyToOneRingBuffer queue;
    private final StoreWriter writer;
    private final List<Selector> selectors = new CopyOnWriteArrayList<>();
    private final ThreadLocal<ShardState> shards = ThreadLocal.withInitial(this::newShard);
    private final AtomicLong lost = new AtomicLong();

    public SelectionStage(final SelectionHolder holder, final ManyToOneRingBuffer queue, final StoreWriter writer)
    {
        this.holder = holder;
        this.queue = queue;
        this.writer = writer;
    }

    @Override
    public void onFlowEnd(final FlowRecord flow)
    {
        final ShardState shard = shards.get();
        shard.flowBuffer.putBytes(shard.count * FlowRecord.LENGTH, flow.buffer(), flow.offset(), FlowRecord.LENGTH);
        if (++shard.count == DecisionBatch.CAPACITY)
        {
            decide(shard);
        }
    }

    @Override
    public void onFlowsEnded()
    {
        final ShardState shard = shards.get();
        if (shard.count > 0)
        {
            decide(shard);
        }
    }

    private void decide(final ShardState shard)
    {
        final int count = shard.count;
        // reset first: whatever fails below, the batch is never decided twice
        shard.count = 0;
        RuntimeException failure = null;
        try
        {
            // a failed decision costs the whole batch (no flow of it is counted): the error reaches the flow shard
            if (shard.selector.decide(shard.flows, count, shard.batch) == 0)
            {
                return;
            }
            for (int i = 0; i < count; i++)
            {
                if (!shard.batch.selected(i))
                {
                    continue;
                }
                try
                {
                    shard.selector.select(shard.batch, i, shard.flows[i], shard.record);
                    enqueue(shard);
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
            // the copies of the flows, and all the selector's batch holds of them, go at once, like the table's own
            // records: only what the rules selected outlives the decision
            shard.flowBuffer.setMemory(0, count * FlowRecord.LENGTH, (byte)0);
            shard.batch.clear();
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    /**
     * For tests: whether this thread's batch holds nothing of any flow (every flow decided, its copy zeroed and the
     * selector's batch cleared).
     */
    boolean batchBufferEmpty()
    {
        final ShardState shard = shards.get();
        for (int i = 0; i < shard.flowBuffer.capacity(); i++)
        {
            if (shard.flowBuffer.getByte(i) != 0)
            {
                return false;
            }
        }
        return shard.count == 0 && shard.batch.cleared();
    }

    private void enqueue(final ShardState shard)
    {
        while (!queue.write(SELECTED_RECORD, shard.buffer, 0, SelectedFlowRecord.LENGTH))
        {
            if (writer.failure() != null)
            {
                // the appliance is stopping with an error; count what can no longer be sealed
                lost.incrementAndGet();
                break;
            }
            shard.idle.idle();
        }
        shard.idle.reset();
    }

    /** Selected flows over every shard. */
    public long totalSelected()
    {
        long total = 0;
        for (final Selector selector : selectors)
        {
            total += selector.counters().totalSelected();
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
        return selectors;
    }

    private ShardState newShard()
    {
        final ShardState state = new ShardState(new Selector(holder));
        selectors.add(state.selector);
        return state;
    }

    private static final class ShardState
    {
        final Selector selector;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.LENGTH]);
        final SelectedFlowRecord record = new SelectedFlowRecord().wrap(buffer, 0);
        final IdleStrategy idle = new YieldingIdleStrategy();
        /** Copies of the ended flows not yet decided, {@link #count} of them. */
        final UnsafeBuffer flowBuffer = new UnsafeBuffer(new byte[DecisionBatch.CAPACITY * FlowRecord.LENGTH]);
        final FlowRecord[] flows = new FlowRecord[DecisionBatch.CAPACITY];
        final DecisionBatch batch = new DecisionBatch();
        int count;

        ShardState(final Selector selector)
        {
            this.selector = selector;
            for (int i = 0; i < flows.length; i++)
            {
                flows[i] = new FlowRecord().wrap(flowBuffer, i * FlowRecord.LENGTH);
            }
        }
    }
}
