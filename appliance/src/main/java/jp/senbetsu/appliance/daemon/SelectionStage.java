package jp.senbetsu.appliance.daemon;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import jp.senbetsu.capture.flow.FlowEndHandler;
import jp.senbetsu.capture.record.FlowRecord;
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
 * selector's counters; nothing of it is copied anywhere.
 *
 * <p>When the queue is full the shard waits for the store writer rather than drop a selected record: the
 * back-pressure reaches the capture ring, where a live source drops and counts ({@code ring.full}) and a file source
 * simply waits. If the store writer has failed, waiting would never end: the record is counted as lost instead
 * (the appliance is then stopping with an error, and everything acknowledged before the failure is safe). Each shard thread gets its own {@link Selector} and record buffer on first use.
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
        if (shard.selector.select(flow, shard.record))
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

    /** Selected flows that could not be queued because the store writer had failed. */
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

        ShardState(final Selector selector)
        {
            this.selector = selector;
        }
    }
}
