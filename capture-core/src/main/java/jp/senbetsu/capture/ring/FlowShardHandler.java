package jp.senbetsu.capture.ring;

import java.util.concurrent.CountDownLatch;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.flow.FlowEndHandler;
import jp.senbetsu.capture.flow.FlowKey;
import jp.senbetsu.capture.flow.FlowMetrics;
import jp.senbetsu.capture.flow.FlowTable;
import jp.senbetsu.capture.metrics.Counter;
import jp.senbetsu.capture.record.FlowEndReason;

/**
 * One flow-meter thread: meters the packets of its shard into its own {@link FlowTable}, advances the table's
 * clock with every slot's time (its own packets, other shards' packets and wall-clock ticks alike, so a quiet
 * shard still expires its flows), and at shutdown ends every open flow with reason forced end.
 */
final class FlowShardHandler implements EventHandler<PacketSlot>
{
    private final CountDownLatch started = new CountDownLatch(1);
    private final int shard;
    private final FlowTable table;
    private final FlowKey key;
    private final RingBuffer<PacketSlot> ring;
    private final Counter occupancyHighWater;
    private long lastSequence = -1;

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
        this.key = new FlowKey(configuration);
        this.ring = ring;
        this.occupancyHighWater = occupancyHighWater;
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        if (occupancyHighWater != null)
        {
            // slots published but not yet metered by this, the last stage: what the ring holds right now
            occupancyHighWater.max(ring.getCursor() - lastSequence);
        }
    }

    @Override
    public void onEvent(final PacketSlot slot, final long sequence, final boolean endOfBatch)
    {
        lastSequence = sequence;
        if (slot.kind == PacketSlot.PACKET && slot.metered && slot.shard == shard)
        {
            table.update(key.read(slot.record), slot.record);
        }
        else
        {
            table.advance(slot.timestampNs);
        }
    }

    @Override
    public void onStart()
    {
        started.countDown();
    }

    void awaitStart()
    {
        try
        {
            started.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onShutdown()
    {
        table.flush(FlowEndReason.FORCED_END);
        table.close();
    }

    FlowTable table()
    {
        return table;
    }
}
