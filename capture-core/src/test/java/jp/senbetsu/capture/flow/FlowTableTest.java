package jp.senbetsu.capture.flow;

import static jp.senbetsu.capture.flow.SyntheticPacket.ACK;
import static jp.senbetsu.capture.flow.SyntheticPacket.FIN;
import static jp.senbetsu.capture.flow.SyntheticPacket.PSH;
import static jp.senbetsu.capture.flow.SyntheticPacket.RST;
import static jp.senbetsu.capture.flow.SyntheticPacket.SECOND;
import static jp.senbetsu.capture.flow.SyntheticPacket.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.capture.record.MachineInfoRecord;
import jp.senbetsu.capture.record.TunnelType;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlowTableTest
{
    private final SyntheticPacket p = new SyntheticPacket();
    private final EndedFlows ended = new EndedFlows();
    private final MetricsRegistry registry = new MetricsRegistry();
    private FlowConfiguration configuration = new FlowConfiguration()
        .idleTimeoutNs(10 * SECOND).activeTimeoutNs(100 * SECOND).maxFlows(1024);
    private FlowTable table;
    private FlowKey key;

    @AfterEach
    void close()
    {
        if (table != null)
        {
            table.close();
        }
    }

    private void open()
    {
        table = new FlowTable(configuration, ended, new FlowMetrics(registry, 0));
        key = new FlowKey(configuration);
    }

    private void meter(final MachineInfoRecord packet)
    {
        table.update(key.read(packet), packet);
    }

    @Test
    void aFlushedTableStartsAfreshForTheSameConversations()
    {
        open();
        for (int round = 1; round <= 3; round++)
        {
            for (int c = 0; c < 50; c++)
            {
                meter(p.transport(round * 1_000_000L + c, "192.0.2." + c, 40000, "198.51.100.7", 443, 17, 0, 100));
            }
            assertEquals(50, table.size());
            assertEquals(50, table.indexedSlots());
            table.flush(FlowEndReason.FORCED_END);
            assertEquals(0, table.size());
            assertEquals(0, table.indexedSlots(), "the index is cleared with the table");
            // each round's packets make new flows of one packet: nothing is found of the flows flushed before
            assertEquals(50 * round, ended.flows.size(), "round " + round);
            assertTrue(ended.flows.stream().allMatch(f -> f.record().packets() == 1), "round " + round);
        }
    }

    /**
     * An ended flow, selected or not, leaves nothing of its communication in the table once the handler has taken
     * it: neither its addresses nor anything else of its record, whether it ended on a timeout or at the flush; and
     * the flush that follows timeouts ends each open flow once.
     */
    @Test
    void anEndedFlowLeavesNothingOfItsCommunicationInTheTable()
    {
        open();
        // a distinctive source address, in both the flows that time out and those the flush ends
        final byte[] marker = {0x20, 0x01, 0x0d, (byte)0xb8, 0x5e, 0x5e, 0x5e, 0x5e};
        for (int c = 0; c < 20; c++)
        {
            meter(p.udp(1_000L + c, "2001:db8:5e5e:5e5e::" + (c + 1), 5000 + c, "2001:db8::2", 53, 100));
        }
        assertTrue(occurrences(marker) >= 20, "the open flows are in the table");
        // the first ten time out (idle 10 s); the other ten see a packet late enough to stay open
        for (int c = 10; c < 20; c++)
        {
            meter(p.udp(8 * SECOND + c, "2001:db8:5e5e:5e5e::" + (c + 1), 5000 + c, "2001:db8::2", 53, 100));
        }
        table.advance(12 * SECOND);
        assertEquals(10, ended.flows.size());
        assertEquals(10, table.size());
        assertEquals(10, occurrences(marker), "only the ten open flows' addresses are left");
        table.flush(FlowEndReason.FORCED_END);
        assertEquals(20, ended.flows.size(), "every flow ended once");
        assertEquals(0, occurrences(marker), "an ended flow's address is still in the table");
        assertTrue(ended.flows.stream().allMatch(f -> f.src().startsWith("2001:db8:5e5e:5e5e:")),
            "the handler got every flow whole before it was wiped");
    }

    /** How often the bytes stand in the table's entry memory. */
    private int occurrences(final byte[] bytes)
    {
        final DirectBuffer memory = table.entryMemoryForTest();
        int found = 0;
        for (int i = 0; i + bytes.length <= memory.capacity(); i++)
        {
            int j = 0;
            while (j < bytes.length && memory.getByte(i + j) == bytes[j])
            {
                j++;
            }
            found += j == bytes.length ? 1 : 0;
        }
        return found;
    }

    @Test
    void countsBothDirectionsWithTheFirstSenderAsInitiator()
    {
        open();
        meter(p.transport(1_000, "192.0.2.1", 40000, "198.51.100.7", 443, 6, SYN, 60));
        meter(p.transport(2_000, "198.51.100.7", 443, "192.0.2.1", 40000, 6, SYN | ACK, 60));
        meter(p.transport(3_000, "192.0.2.1", 40000, "198.51.100.7", 443, 6, ACK, 52));
        meter(p.transport(4_000, "192.0.2.1", 40000, "198.51.100.7", 443, 6, ACK | PSH, 1052));
        assertEquals(1, table.size());
        table.flush(FlowEndReason.FORCED_END);

        assertEquals(1, ended.flows.size());
        final EndedFlows.Flow f = ended.flows.get(0);
        final FlowRecord r = f.record();
        assertEquals("192.0.2.1", f.src());
        assertEquals("198.51.100.7", f.dst());
        assertEquals(40000, r.srcPort());
        assertEquals(443, r.dstPort());
        assertEquals(4, r.ipVersion());
        assertEquals(6, r.protocol());
        assertEquals(3, r.packets());
        assertEquals(60 + 52 + 1052, r.bytes());
        assertEquals(60 + 52 + 1052 + 3 * 14, r.wireBytes());
        assertEquals(1, r.reversePackets());
        assertEquals(60, r.reverseBytes());
        assertEquals(SYN | ACK | PSH, r.tcpFlags());
        assertEquals(SYN | ACK, r.reverseTcpFlags());
        assertEquals(SYN, r.initialTcpFlags());
        assertEquals(SYN | ACK, r.reverseInitialTcpFlags());
        assertEquals(1_000, r.startNs());
        assertEquals(4_000, r.endNs());
        assertEquals(4_000, r.forwardLastNs());
        assertEquals(2_000, r.reverseFirstNs());
        assertEquals(2_000, r.reverseLastNs());
        assertEquals(FlowEndReason.FORCED_END, f.reason());
        assertEquals(FlowRecord.FLAG_HAS_PORTS, r.flowFlags());
        assertEquals(1, registry.value(FlowMetrics.ENDED, "shard", "0", "reason", "forced"));
        assertEquals(4, registry.value(FlowMetrics.PACKETS, "shard", "0"));
    }

    @Test
    void ipv6FlowsAreKeyedOnAllSixteenAddressBytes()
    {
        open();
        meter(p.udp(1, "2001:db8::1", 53, "2001:db8::2", 5353, 100));
        meter(p.udp(2, "2001:db8::1:1", 53, "2001:db8::2", 5353, 100));
        meter(p.udp(3, "2001:db8::2", 5353, "2001:db8::1", 53, 80));
        table.flush(FlowEndReason.FORCED_END);
        assertEquals(2, ended.flows.size());
        final EndedFlows.Flow first = ended.flows.stream().filter(f -> f.src().equals("2001:db8:0:0:0:0:0:1"))
            .findFirst().orElseThrow();
        assertEquals(1, first.packets());
        assertEquals(1, first.reversePackets());
        assertEquals(6, first.record().ipVersion());
    }

    @Test
    void aFlowGoesIdleWhileOtherTrafficContinues()
    {
        open();
        meter(p.tcp(0, "192.0.2.1", 1000, "192.0.2.2", 80, SYN));
        meter(p.tcp(1 * SECOND, "192.0.2.2", 80, "192.0.2.1", 1000, SYN | ACK));
        for (long t = 0; t <= 30; t++)
        {
            meter(p.udp(t * SECOND + 500, "192.0.2.9", 5000, "192.0.2.10", 53, 70));
            if (t == 10)
            {
                // at 10.0000005 s the flow has been quiet for 9.0000005 s of its 10 s idle timeout
                assertEquals(0, ended.flows.size(), "not yet idle for more than 10 s");
            }
        }
        assertEquals(1, ended.flows.size(), "the quiet TCP flow ends without another packet of its own");
        final EndedFlows.Flow idle = ended.flows.get(0);
        assertEquals(FlowEndReason.IDLE_TIMEOUT, idle.reason());
        assertEquals("192.0.2.1", idle.src());
        assertEquals(1 * SECOND, idle.record().endNs());
        assertEquals(1, table.size(), "the UDP flow is still open");
        table.flush(FlowEndReason.FORCED_END);
        assertEquals(31, ended.flows.get(1).packets());
        assertEquals(FlowEndReason.FORCED_END, ended.flows.get(1).reason());
    }

    @Test
    void aLongFlowEndsOnTheActiveTimeoutAndContinuesAsANewFlow()
    {
        configuration.activeTimeoutNs(20 * SECOND);
        open();
        for (long t = 0; t < 50; t++)
        {
            meter(p.udp(t * SECOND, "192.0.2.1", 4000, "192.0.2.2", 4001, 100));
        }
        table.flush(FlowEndReason.FORCED_END);
        final List<EndedFlows.Flow> flows = ended.flows;
        assertEquals(3, flows.size(), flows.toString());
        assertEquals(FlowEndReason.ACTIVE_TIMEOUT, flows.get(0).reason());
        assertEquals(FlowEndReason.ACTIVE_TIMEOUT, flows.get(1).reason());
        assertEquals(FlowEndReason.FORCED_END, flows.get(2).reason());
        assertEquals(50, flows.stream().mapToLong(EndedFlows.Flow::packets).sum());
        assertEquals(0, flows.get(0).record().startNs());
        assertEquals(flows.get(0).record().endNs() + SECOND, flows.get(1).record().startNs());
        for (final EndedFlows.Flow f : flows)
        {
            assertTrue(f.record().endNs() - f.record().startNs() <= 20 * SECOND, f.toString());
        }
    }

    @Test
    void tcpEndsWhenBothSidesHaveSentFin()
    {
        open();
        meter(p.tcp(1, "192.0.2.1", 1000, "192.0.2.2", 80, SYN));
        meter(p.tcp(2, "192.0.2.2", 80, "192.0.2.1", 1000, SYN | ACK));
        meter(p.tcp(3, "192.0.2.1", 1000, "192.0.2.2", 80, FIN | ACK));
        meter(p.tcp(4, "192.0.2.1", 1000, "192.0.2.2", 80, FIN | ACK));
        assertEquals(0, ended.flows.size(), "a FIN from one side only does not end the flow");
        meter(p.tcp(5, "192.0.2.2", 80, "192.0.2.1", 1000, FIN | ACK));
        assertEquals(1, ended.flows.size());
        final EndedFlows.Flow f = ended.flows.get(0);
        assertEquals(FlowEndReason.END_OF_FLOW, f.reason());
        assertEquals(3, f.packets());
        assertEquals(2, f.reversePackets());
        assertEquals(0, table.size());
        assertEquals(1, registry.value(FlowMetrics.ENDED, "shard", "0", "reason", "end"));
    }

    @Test
    void tcpEndsOnRstFromEitherSide()
    {
        open();
        meter(p.tcp(1, "192.0.2.1", 1000, "192.0.2.2", 80, SYN));
        meter(p.tcp(2, "192.0.2.2", 80, "192.0.2.1", 1000, RST | ACK));
        assertEquals(1, ended.flows.size());
        assertEquals(FlowEndReason.END_OF_FLOW, ended.flows.get(0).reason());
        assertEquals(RST | ACK, ended.flows.get(0).record().reverseTcpFlags());
        meter(p.tcp(3, "192.0.2.1", 1000, "192.0.2.2", 80, SYN));
        assertEquals(1, table.size(), "the next SYN starts a new flow");
    }

    @Test
    void icmpTypeAndCodeArePartOfTheKey()
    {
        open();
        meter(p.icmp(1, "192.0.2.1", "192.0.2.2", 8, 0));
        meter(p.icmp(2, "192.0.2.2", "192.0.2.1", 0, 0));
        meter(p.icmp(3, "192.0.2.1", "192.0.2.2", 8, 0));
        meter(p.icmp(4, "192.0.2.2", "192.0.2.1", 3, 3));
        table.flush(FlowEndReason.FORCED_END);
        assertEquals(3, ended.flows.size(), ended.flows.toString());
        final EndedFlows.Flow echo = ended.flows.stream().filter(f -> f.record().icmpType() == 8).findFirst()
            .orElseThrow();
        assertEquals(2, echo.packets());
        assertEquals(FlowRecord.FLAG_HAS_ICMP, echo.record().flowFlags());
    }

    @Test
    void vlanSeparatesFlowsOnlyWhenConfigured()
    {
        open();
        meter(vlan(p.udp(1, "192.0.2.1", 1, "192.0.2.2", 2, 50), 100));
        meter(vlan(p.udp(2, "192.0.2.1", 1, "192.0.2.2", 2, 50), 200));
        table.flush(FlowEndReason.FORCED_END);
        assertEquals(1, ended.flows.size());
        assertEquals(100, ended.flows.get(0).record().vlanId(), "the first packet's VLAN is recorded");
        table.close();
        ended.flows.clear();

        configuration.vlanInKey(true);
        open();
        meter(vlan(p.udp(1, "192.0.2.1", 1, "192.0.2.2", 2, 50), 100));
        meter(vlan(p.udp(2, "192.0.2.2", 2, "192.0.2.1", 1, 50), 200));
        meter(vlan(p.udp(3, "192.0.2.2", 2, "192.0.2.1", 1, 50), 100));
        table.flush(FlowEndReason.FORCED_END);
        assertEquals(2, ended.flows.size());
        final EndedFlows.Flow v100 = ended.flows.stream().filter(f -> f.record().vlanId() == 100).findFirst()
            .orElseThrow();
        assertEquals(1, v100.packets());
        assertEquals(1, v100.reversePackets());
        assertTrue((v100.record().flowFlags() & FlowRecord.FLAG_HAS_VLAN) != 0);
    }

    @Test
    void tunnelIdSeparatesFlowsOnlyWhenConfigured()
    {
        // the same inner conversation in two VXLAN segments (VNI 100 and 200): one flow unless the key has the tunnel
        open();
        meter(vxlan(p.udp(1, "192.0.2.1", 1, "192.0.2.2", 2, 50), 100));
        meter(vxlan(p.udp(2, "192.0.2.2", 2, "192.0.2.1", 1, 50), 200));
        table.flush(FlowEndReason.FORCED_END);
        assertEquals(1, ended.flows.size());
        assertEquals(100, ended.flows.get(0).record().tunnelId(), "the first packet's tunnel is recorded");
        assertEquals(1, ended.flows.get(0).reversePackets());
        table.close();
        ended.flows.clear();

        configuration.tunnelInKey(true);
        open();
        meter(vxlan(p.udp(1, "192.0.2.1", 1, "192.0.2.2", 2, 50), 100));
        meter(vxlan(p.udp(2, "192.0.2.2", 2, "192.0.2.1", 1, 50), 200));
        meter(vxlan(p.udp(3, "192.0.2.2", 2, "192.0.2.1", 1, 50), 100));
        meter(p.udp(4, "192.0.2.1", 1, "192.0.2.2", 2, 50));
        table.flush(FlowEndReason.FORCED_END);
        assertEquals(3, ended.flows.size(), "VNI 100, VNI 200 and untunnelled are three flows");
        final EndedFlows.Flow vni100 = ended.flows.stream().filter(f -> f.record().tunnelId() == 100).findFirst()
            .orElseThrow();
        assertEquals(1, vni100.packets());
        assertEquals(1, vni100.reversePackets(), "the reply in the same segment joins its flow");
        assertTrue((vni100.record().flowFlags() & FlowRecord.FLAG_HAS_TUNNEL) != 0);
        final EndedFlows.Flow vni200 = ended.flows.stream().filter(f -> f.record().tunnelId() == 200).findFirst()
            .orElseThrow();
        assertEquals(1, vni200.packets());
        assertEquals(0, vni200.reversePackets());
        final EndedFlows.Flow plain = ended.flows.stream()
            .filter(f -> (f.record().flowFlags() & FlowRecord.FLAG_HAS_TUNNEL) == 0).findFirst().orElseThrow();
        assertEquals(1, plain.packets(), "the untunnelled packet is a flow of its own");
        assertEquals(0, plain.record().tunnelId());
    }

    @Test
    void withTimeoutsOffAFlowLastsForever()
    {
        configuration.idleTimeoutNs(0).activeTimeoutNs(0);
        open();
        meter(p.udp(0, "192.0.2.1", 1, "192.0.2.2", 2, 50));
        meter(p.udp(0, "192.0.2.3", 1, "192.0.2.4", 2, 50));
        meter(p.udp(400L * 24 * 3600 * SECOND, "192.0.2.1", 1, "192.0.2.2", 2, 50));
        assertEquals(0, ended.flows.size());
        table.flush(FlowEndReason.FORCED_END);
        assertEquals(2, ended.flows.size());
        assertEquals(2, ended.flows.stream().filter(f -> f.src().equals("192.0.2.1")).findFirst().orElseThrow()
            .packets());
    }

    @Test
    void aPacketAfterTheIdleTimeoutStartsANewFlowEvenBeforeTheWheelTurns()
    {
        configuration.wheelTickNs(3600 * SECOND);
        open();
        meter(p.udp(1 * SECOND, "192.0.2.1", 1, "192.0.2.2", 2, 50));
        meter(p.udp(12 * SECOND, "192.0.2.2", 2, "192.0.2.1", 1, 50));
        assertEquals(1, ended.flows.size());
        assertEquals(FlowEndReason.IDLE_TIMEOUT, ended.flows.get(0).reason());
        table.flush(FlowEndReason.FORCED_END);
        assertEquals("192.0.2.2", ended.flows.get(1).src(), "the late packet's sender initiates the new flow");
    }

    @Test
    void aFullTableEndsTheOldestFlowsForLackOfResources()
    {
        configuration.maxFlows(100).idleTimeoutNs(60 * SECOND);
        open();
        for (int i = 0; i < 300; i++)
        {
            meter(p.udp(i * SECOND / 10, "10.0.0.1", 1000 + i, "10.0.0.2", 53, 60));
            assertTrue(table.size() <= 100);
        }
        assertEquals(100, table.size());
        assertEquals(200, ended.flows.size());
        for (int i = 0; i < 200; i++)
        {
            assertEquals(FlowEndReason.LACK_OF_RESOURCES, ended.flows.get(i).reason());
            assertEquals(1000 + i, ended.flows.get(i).record().srcPort(), "oldest first");
        }
        assertEquals(200, registry.value(FlowMetrics.EMERGENCY, "shard", "0"));
        assertEquals(100, registry.value(FlowMetrics.ACTIVE, "shard", "0"));
    }

    @Test
    void theIndexGrowsWithTheOpenFlowsAndKeepsFindingThem()
    {
        configuration.maxFlows(50_000);
        open();
        final int flows = 20_000;
        for (int i = 0; i < flows; i++)
        {
            meter(p.udp(i, "10.1." + (i >> 8) + "." + (i & 255), 1000 + (i % 7), "192.0.2.1", 53, 60));
        }
        assertEquals(flows, table.size());
        for (int i = flows - 1; i >= 0; i--)
        {
            meter(p.udp(flows + i, "192.0.2.1", 53, "10.1." + (i >> 8) + "." + (i & 255), 1000 + (i % 7), 90));
        }
        assertEquals(flows, table.size(), "every reply found its flow after the index grew from 4,096 slots");
        table.flush(FlowEndReason.FORCED_END);
        assertEquals(flows, ended.flows.size());
        for (final EndedFlows.Flow f : ended.flows)
        {
            assertEquals(1, f.packets());
            assertEquals(1, f.reversePackets());
        }
    }

    private static MachineInfoRecord vxlan(final MachineInfoRecord record, final long vni)
    {
        return record.addPresence(MachineInfoRecord.HAS_TUNNEL | MachineInfoRecord.HAS_TUNNEL_ID)
            .tunnelType(TunnelType.VXLAN.code()).tunnelDepth(1).tunnelId(vni);
    }

    private static MachineInfoRecord vlan(final MachineInfoRecord record, final int vlanId)
    {
        return record.addVlan(vlanId);
    }
}
