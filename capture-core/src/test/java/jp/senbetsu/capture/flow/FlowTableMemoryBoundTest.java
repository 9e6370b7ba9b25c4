package jp.senbetsu.capture.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.junit.jupiter.api.Test;

/**
 * Two million concurrent flows offered to a table capped at one million: the table never holds more than its
 * maximum, it reserves exactly what the configuration promises, the process's resident memory does not grow
 * while the flows arrive (the table is resident from the start), the surplus is ended for lack of resources and
 * counted, and metering allocates nothing on the heap.
 */
class FlowTableMemoryBoundTest
{
    private static final int MAX_FLOWS = 1_000_000;
    private static final int FLOWS = 2_000_000;
    /** Heap, JIT and metaspace noise the JVM may add while the test runs. */
    private static final long SLACK = 24L << 20;

    @Test
    void twoMillionFlowsInATableOfOneMillion() throws IOException
    {
        assumeTrue(Files.exists(Path.of("/proc/self/statm")), "resident memory is read from Linux /proc: skipped");
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
        final long residentBefore = residentBytes();
        try (FlowTable table = new FlowTable(configuration, handler, new FlowMetrics(registry, 0)))
        {
            final long bound = configuration.tableMemoryBytes();
            assertEquals(bound, table.memoryBytes());
            assertTrue(bound < 240L << 20, "1M flows need " + bound + " bytes");
            final long residentWithTable = residentBytes();
            assertTrue(residentWithTable - residentBefore <= bound + SLACK,
                "resident memory grew by " + (residentWithTable - residentBefore) + " for the table, bound " + bound);

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
            final long growth = residentBytes() - residentWithTable;
            assertTrue(growth <= SLACK, "resident memory grew by " + growth + " while 2M flows arrived");
            assertEquals(bound, table.memoryBytes());

            table.flush(FlowEndReason.FORCED_END);
            assertEquals(0, table.size());
            assertEquals(MAX_FLOWS, registry.value(FlowMetrics.ENDED, "shard", "0", "reason", "forced"));
        }
        assertTrue(residentBytes() - residentBefore <= SLACK, "closing the table gives its memory back");
    }

    /** Resident set of this process (Linux /proc; the appliance's platform). */
    private static long residentBytes() throws IOException
    {
        final String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
        return Long.parseLong(statm[1]) * 4096;
    }
}
