package jp.senbetsu.bench.flow;

import java.util.concurrent.TimeUnit;

import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.flow.FlowKey;
import jp.senbetsu.capture.flow.FlowMetrics;
import jp.senbetsu.capture.flow.FlowTable;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;
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
 * Cost of metering one packet into a flow table holding {@code liveFlows} open flows: read the key from the
 * packet's record, find the flow (either direction) and add the packet. Packets visit the flows in a scattered
 * order (a large prime stride), so at 1M and 4M flows nearly every update misses the CPU caches, as on a real
 * link. {@code update} meters one packet at a time; {@code updateBatch} meters as the flow stage does, 32 at a
 * time with their memory touched first. Run with {@code -prof gc}: the allocation rate must be 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=3g"})
public class FlowTableUpdateBenchmark
{
    private static final long STRIDE = 1_000_003L;
    private static final int BATCH = 32;

    @Param({"10000", "1000000", "4000000"})
    int liveFlows;

    private FlowTable table;
    private FlowKey key;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]);
    private final MachineInfoRecord packet = new MachineInfoRecord().wrap(buffer, 0);
    private final MachineInfoRecord[] batchPackets = new MachineInfoRecord[BATCH];
    private final FlowKey[] batchKeys = new FlowKey[BATCH];
    private final long[] batchSlots = new long[BATCH];
    private final int[] batchFlows = new int[BATCH];
    private long next;
    private long timestampNs;

    @Setup(Level.Trial)
    public void open()
    {
        final FlowConfiguration configuration = new FlowConfiguration().maxFlows(liveFlows);
        table = new FlowTable(configuration, flow -> { }, new FlowMetrics(new MetricsRegistry(), 0));
        key = new FlowKey(configuration);
        packet.clear().ipVersion(4).protocol(6).dstPort(443).ipLength(576).wireLength(590).tcpFlags(0x10)
            .addPresence(MachineInfoRecord.HAS_IP | MachineInfoRecord.HAS_PORTS | MachineInfoRecord.HAS_TCP);
        buffer.putInt(MachineInfoRecord.DST_ADDRESS_OFFSET, 0x0102_00C6); // 198.0.2.1
        for (int i = 0; i < liveFlows; i++)
        {
            meter(i);
        }
        for (int i = 0; i < BATCH; i++)
        {
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]);
            copy.putBytes(0, buffer, 0, MachineInfoRecord.LENGTH);
            batchPackets[i] = new MachineInfoRecord().wrap(copy, 0);
            batchKeys[i] = new FlowKey(configuration);
        }
        if (table.size() != liveFlows)
        {
            throw new IllegalStateException("expected " + liveFlows + " flows, have " + table.size());
        }
    }

    @TearDown(Level.Trial)
    public void close()
    {
        table.flush(FlowEndReason.FORCED_END);
        table.close();
    }

    @Benchmark
    public int update()
    {
        next += STRIDE;
        if (next >= liveFlows)
        {
            next -= liveFlows * (next / liveFlows);
        }
        meter((int)next);
        return table.size();
    }

    /**
     * The flow stage's way: a batch of 32 packets, first their keys, then their index slots, then their entries
     * (three short passes, so many cache misses are in flight at once), then updating them in order. Score is per
     * packet.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long updateBatch()
    {
        long touched = 0;
        for (int i = 0; i < BATCH; i++)
        {
            next += STRIDE;
            if (next >= liveFlows)
            {
                next -= liveFlows * (next / liveFlows);
            }
            batchFlows[i] = (int)next;
            prepare(batchPackets[i], batchFlows[i]);
            batchSlots[i] = batchKeys[i].read(batchPackets[i]).hash();
        }
        for (int i = 0; i < BATCH; i++)
        {
            batchSlots[i] = table.indexSlot(batchSlots[i]);
        }
        for (int i = 0; i < BATCH; i++)
        {
            touched += table.touchEntry(batchSlots[i]);
        }
        for (int i = 0; i < BATCH; i++)
        {
            table.update(batchKeys[i], batchPackets[i]);
        }
        return touched + table.size();
    }

    private void prepare(final MachineInfoRecord record, final int flow)
    {
        record.buffer().putInt(MachineInfoRecord.SRC_ADDRESS_OFFSET, Integer.reverseBytes(0x0A00_0000 | (flow >>> 6)));
        record.srcPort(1024 + (flow & 63));
        record.timestampNs(++timestampNs);
    }

    private void meter(final int flow)
    {
        // client 10.x.y.z:port, flow number spread over address and port
        prepare(packet, flow);
        table.update(key.read(packet), packet);
    }
}
