package jp.senbetsu.capture.flow;

import static jp.senbetsu.capture.flow.SyntheticPacket.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.junit.jupiter.api.Test;

/**
 * Seeded random traffic against a plain map: whatever the timeouts, evictions and TCP ends split, the flows the
 * table emits add up per conversation to exactly what was metered, and the table never exceeds its maximum.
 */
class FlowTableModelTest
{
    @Test
    void emittedFlowsAddUpToTheTrafficUnderEvictionsTimeoutsAndTcpEnds()
    {
        for (long seed = 1; seed <= 12; seed++)
        {
            run(seed);
        }
    }

    private static void run(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        // every third seed: enough open flows that the index grows several times (from 4,096 slots)
        final boolean large = seed % 3 == 0;
        final int conversations = 50 + random.nextInt(large ? 12_000 : 400);
        final FlowConfiguration configuration = new FlowConfiguration()
            .maxFlows(8 + random.nextInt(large ? 10_000 : 120))
            .idleTimeoutNs(random.nextBoolean() ? 0 : (1 + random.nextInt(20)) * SECOND)
            .activeTimeoutNs(random.nextBoolean() ? 0 : (5 + random.nextInt(60)) * SECOND)
            .wheelTickNs((1 + random.nextInt(4)) * SECOND / 2)
            .wheelBuckets(1 << (1 + random.nextInt(8)))
            .prefaultMemory(random.nextBoolean());
        final Map<String, long[]> emitted = new HashMap<>();
        final MetricsRegistry registry = new MetricsRegistry();
        final int[] open = new int[1];
        final FlowEndHandler handler = flow ->
        {
            final long[] t = emitted.computeIfAbsent(conversation(flow), k -> new long[2]);
            t[0] += flow.packets() + flow.reversePackets();
            t[1] += flow.bytes() + flow.reverseBytes();
            assertTrue(flow.startNs() <= flow.endNs());
            assertTrue(flow.packets() >= 1);
            open[0]--;
        };
        final Map<String, long[]> expected = new HashMap<>();
        final SyntheticPacket p = new SyntheticPacket();
        try (FlowTable table = new FlowTable(configuration, handler, new FlowMetrics(registry, 0)))
        {
            final FlowKey key = new FlowKey(configuration);
            long now = 0;
            // two phases over the same conversations with a flush between: the flush empties the table in bulk
            // (bucket lists taken whole, index cleared at once), and the second phase must find nothing of the first
            for (int i = 0; i < 2 * (large ? 60_000 : 20_000); i++)
            {
                if (i == (large ? 60_000 : 20_000))
                {
                    assertEquals(table.size(), table.indexedSlots());
                    table.flush(FlowEndReason.FORCED_END);
                    assertEquals(0, table.size());
                    assertEquals(0, table.indexedSlots());
                }
                now += random.nextInt(4) == 0 ? random.nextLong(3 * SECOND) : random.nextLong(SECOND / 50);
                final int c = random.nextInt(conversations);
                final boolean reverse = random.nextBoolean();
                final String a = (c % 3 == 0 ? "2001:db8::" + Integer.toHexString(c) : "10.0." + (c >> 8) + "." + (c & 255));
                final String b = c % 3 == 0 ? "2001:db8:1::1" : "192.0.2.1";
                final int protocol = c % 5 == 0 ? 17 : 6;
                final int length = 40 + random.nextInt(1400);
                final int flags = protocol == 6 ? pickFlags(random) : 0;
                final MachineInfoRecord packet = reverse
                    ? p.transport(now, b, 443, a, 1024 + c, protocol, flags, length)
                    : p.transport(now, a, 1024 + c, b, 443, protocol, flags, length);
                final long[] t = expected.computeIfAbsent(
                    canonical(a) + "|" + canonical(b) + "|" + protocol, k -> new long[2]);
                t[0]++;
                t[1] += length;
                table.update(key.read(packet), packet);
                assertTrue(table.size() <= configuration.maxFlows());
            }
            table.flush(FlowEndReason.FORCED_END);
            assertEquals(0, table.size());
        }
        assertEquals(expected.keySet(), emitted.keySet(), "seed " + seed);
        for (final Map.Entry<String, long[]> e : expected.entrySet())
        {
            assertEquals(e.getValue()[0], emitted.get(e.getKey())[0], "packets of " + e.getKey() + ", seed " + seed);
            assertEquals(e.getValue()[1], emitted.get(e.getKey())[1], "bytes of " + e.getKey() + ", seed " + seed);
        }
        assertEquals(registry.sum(FlowMetrics.CREATED), registry.sum(FlowMetrics.ENDED), "seed " + seed);
        assertEquals(registry.value(FlowMetrics.EMERGENCY, "shard", "0"),
            registry.value(FlowMetrics.ENDED, "shard", "0", "reason", "resources"));
    }

    private static int pickFlags(final SplittableRandom random)
    {
        final int r = random.nextInt(100);
        return r < 3 ? SyntheticPacket.RST : r < 10 ? SyntheticPacket.FIN | SyntheticPacket.ACK : SyntheticPacket.ACK;
    }

    private static String conversation(final FlowRecord flow)
    {
        final EndedFlows.Flow f = new EndedFlows.Flow(flow);
        final String src = f.src();
        final String dst = f.dst();
        final boolean srcIsServer = flow.srcPort() == 443;
        final String a = srcIsServer ? dst : src;
        final String b = srcIsServer ? src : dst;
        return a + "|" + b + "|" + flow.protocol();
    }

    private static String canonical(final String address)
    {
        try
        {
            return InetAddress.getByName(address).getHostAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(address, ex);
        }
    }
}
