package jp.senbetsu.capture.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.junit.jupiter.api.Test;

/**
 * Two million concurrent flows offered to a table capped at one million: the table never holds more than its
 * maximum, its direct memory is exactly what the configuration promises and does not move, the surplus is ended
 * for lack of resources and counted, and metering allocates nothing on the heap.
 */
class FlowTableMemoryBoundTest
{
    private static final int MAX_FLOWS = 1_000_000;
    private static final int FLOWS = 2_000_000;

    @Test
    void twoMillionFlowsInATableOfOneMillion()
    {
        final FlowConfiguration configuration = new FlowConfiguration().maxFlows(MAX_FLOWS);
        final MetricsRegistry registry = new MetricsRegistry();
        final long[] endedByResources = new long[1];
        final FlowEndHandler handler = flow ->
        {
            if (flow.endReason() == FlowEndReason.LACK_OF_RESOURCES.code())
            {
                endedByResources[0]++;
            }
        };
        final long directBefore = directMemoryUsed();
        try (FlowTable table = new FlowTable(configuration, handler, new FlowMetrics(registry, 0)))
        {
            final long bound = configuration.tableMemoryBytes();
            assertEquals(bound, table.memoryBytes());
            final long directWithTable = directMemoryUsed();
            assertTrue(directWithTable - directBefore <= bound,
                "direct memory grew by " + (directWithTable - directBefore) + ", bound " + bound);

            final SyntheticPacket p = new SyntheticPacket();
            final MachineInfoRecord packet = p.udp(0, "10.0.0.0", 1, "192.0.2.1", 53, 80);
            final FlowKey key = new FlowKey(configuration);
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < FLOWS; i++)
            {
                // 10.x.y.z:port -> 192.0.2.1:53, one microsecond apart: all well inside the idle timeout
                packet.buffer().putInt(packet.srcAddressOffset(), Integer.reverseBytes(0x0A00_0000 | (i >>> 4)));
                packet.srcPort(1024 + (i & 15));
                packet.timestampNs(i * 1_000L);
                table.update(key.read(packet), packet);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            assertTrue(allocated < 64 * 1024, "metering allocated " + allocated + " bytes on the heap");

            assertEquals(MAX_FLOWS, table.size());
            assertEquals(FLOWS - MAX_FLOWS, endedByResources[0]);
            assertEquals(FLOWS - MAX_FLOWS, registry.value(FlowMetrics.EMERGENCY, "shard", "0"));
            assertEquals(FLOWS, registry.value(FlowMetrics.CREATED, "shard", "0"));
            assertEquals(directWithTable, directMemoryUsed(), "no direct memory beyond the table's own");
            assertEquals(bound, table.memoryBytes());

            table.flush(FlowEndReason.FORCED_END);
            assertEquals(0, table.size());
            assertEquals(MAX_FLOWS, registry.value(FlowMetrics.ENDED, "shard", "0", "reason", "forced"));
        }
        assertEquals(directBefore, directMemoryUsed(), "closing the table gives its memory back");
    }

    private static long directMemoryUsed()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if (pool.getName().equals("direct"))
            {
                return pool.getMemoryUsed();
            }
        }
        throw new IllegalStateException("no direct buffer pool");
    }
}
