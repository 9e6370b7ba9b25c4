package jp.senbetsu.capture.ring;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.flow.FlowEndFailure;
import jp.senbetsu.capture.flow.FlowEndHandler;
import jp.senbetsu.capture.flow.FlowKey;
import jp.senbetsu.capture.flow.FlowMetrics;
import jp.senbetsu.capture.flow.FlowTable;
import jp.senbetsu.capture.metrics.Counter;
import jp.senbetsu.capture.record.FlowEndReason;

/**
 * One flow-meter thread: meters the packets of its shard into its own {@link FlowTable}, advances the table's
 * clock with every slot's time (its own packets, other shards' packets and wall-clock ticks alike, so a quiet
 * shard still expires its flows), and at shutdown ends every open flow with reason forced end. Packets are
 * metered in small batches, in order: first every packet's index slot and entry are touched, then each is
 * updated, so the cache misses of a batch overlap; other slots' times advance the clock after the batch.
 */
final class FlowShardHandler implements EventHandler<PacketSlot>
{
    /** Packets metered together: their cache misses overlap (see {@link FlowTable#touch(long)}). */
    static final int BATCH = 32;

    private final StageStart started = new StageStart();
    private final int shard;
    private final FlowTable table;
    private final FlowEndHandler handler;
    private final RingBuffer<PacketSlot> ring;
    private final Counter occupancyHighWater;
    private final FlowKey[] keys = new FlowKey[BATCH];
    private final PacketSlot[] pending = new PacketSlot[BATCH];
    private final long[] indexSlots = new long[BATCH];
    private int pendingCount;
    private long latestOtherNs = Long.MIN_VALUE;
    private long lastSequence = -1;
    /** Consumes {@link FlowTable#touch(long)} results so the loads stay. */
    long touched;

    FlowShardHandler(
        final int shard,
        final FlowConfiguration configuration,
        final FlowEndHandler handler,
        final FlowMetrics metrics,
        final RingBuffer<PacketSlot> ring,
        final Counter occupancyHighWater)
    {
        this.shard = shard;
        this.table = new FlowTable(configuration, handler, metrics);
        this.handler = handler;
        for (int i = 0; i < BATCH; i++)
        {
            keys[i] = new FlowKey(configuration);
        }
        this.ring = ring;
        this.occupancyHighWater = occupancyHighWater;
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        // slots published but not yet metered by this shard (every shard reads every slot, so the ring holds what
        // the shard furthest behind has not read): all shards raise one mark, the largest of them
        occupancyHighWater.maxAtomic(ring.getCursor() - lastSequence);
    }

    @Override
    public void onEvent(final PacketSlot slot, final long sequence, final boolean endOfBatch)
    {
        lastSequence = sequence;
        if (slot.kind == PacketSlot.PACKET && slot.metered && slot.shard == shard)
        {
            pending[pendingCount++] = slot;
        }
        else if (slot.timestampNs > latestOtherNs)
        {
            latestOtherNs = slot.timestampNs;
        }
        // slots stay ours until the batch ends, so metering may wait for it
        if (endOfBatch || pendingCount == BATCH)
        {
            meterPending();
        }
    }

    private void meterPending()
    {
        final int n = pendingCount;
        // reset first: whatever fails below, the batch is never metered twice
        pendingCount = 0;
        // three short passes, so that the loads of many packets are in flight at once: keys and hashes (the
        // records), index slots, then entries (each depends on its index slot, but not on other packets)
        final long[] slots = indexSlots;
        for (int i = 0; i < n; i++)
        {
            slots[i] = keys[i].read(pending[i].record).hash();
        }
        for (int i = 0; i < n; i++)
        {
            slots[i] = table.indexSlot(slots[i]);
        }
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += table.touchEntry(slots[i]);
        }
        touched += sum;
        FlowEndFailure failure = null;
        for (int i = 0; i < n; i++)
        {
            try
            {
                table.update(keys[i], pending[i].record);
            }
            catch (final RuntimeException ex)
            {
                // costs this packet (or the flows its update ended), not the rest of the batch
                failure = FlowEndFailure.join(failure, ex);
            }
            finally
            {
                // the table has what it keeps of the packet: the reused key holds nothing of it
                keys[i].wipe();
            }
        }
        if (latestOtherNs != Long.MIN_VALUE)
        {
            final long now = latestOtherNs;
            latestOtherNs = Long.MIN_VALUE;
            try
            {
                table.advance(now);
            }
            catch (final RuntimeException ex)
            {
                failure = FlowEndFailure.join(failure, ex);
            }
        }
        failure = flowsEnded(failure);
        if (failure != null)
        {
            throw failure;  // counted by StageErrors: per failed packet, flow end, or batch the handler decided
        }
    }

    /** Tells the handler that no more flows end for now; what it throws joins the failures so far. */
    private FlowEndFailure flowsEnded(final FlowEndFailure failure)
    {
        try
        {
            handler.onFlowsEnded();
            return failure;
        }
        catch (final RuntimeException ex)
        {
            return FlowEndFailure.join(failure, ex);
        }
    }

    @Override
    public void onStart()
    {
        started.arrive();
    }

    void awaitStart()
    {
        started.await();
    }

    @Override
    public void onShutdown()
    {
        try
        {
            FlowEndFailure failure = null;
            try
            {
                table.flush(FlowEndReason.FORCED_END);
            }
            catch (final RuntimeException ex)
            {
                failure = FlowEndFailure.join(null, ex);
            }
            // whatever the flush threw, what the handler still holds is handled
            failure = flowsEnded(failure);
            if (failure != null)
            {
                throw failure;
            }
        }
        finally
        {
            table.close();
        }
    }

    FlowTable table()
    {
        return table;
    }
}
