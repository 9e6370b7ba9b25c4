package jp.senbetsu.capture.flow;

import static jp.senbetsu.capture.flow.SyntheticPacket.SECOND;
import static jp.senbetsu.capture.flow.SyntheticPacket.UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FragmentTableTest
{
    private final FlowConfiguration configuration = new FlowConfiguration().maxFlows(64);
    private final FragmentTable fragments = new FragmentTable(configuration);
    private final EndedFlows ended = new EndedFlows();
    private final FlowTable table = new FlowTable(configuration, ended, new FlowMetrics(new MetricsRegistry(), 0));
    private final FlowKey key = new FlowKey(configuration);
    private final SyntheticPacket p = new SyntheticPacket();

    @AfterEach
    void close()
    {
        fragments.close();
        table.close();
    }

    private int meter(final MachineInfoRecord packet)
    {
        final int outcome = fragments.attribute(packet);
        if (outcome != FragmentTable.ORPHAN)
        {
            table.update(key.read(packet), packet);
        }
        return outcome;
    }

    @Test
    void laterFragmentsCountInTheFlowOfTheirFirstFragment()
    {
        p.udp(1, "192.0.2.1", 5000, "192.0.2.2", 53, 1500);
        assertEquals(FragmentTable.FIRST, meter(p.fragment(0x1234, 0, true)));
        p.ip(2, "192.0.2.1", "192.0.2.2", UDP, 1500);
        assertEquals(FragmentTable.ATTRIBUTED, meter(p.fragment(0x1234, 185, true)));
        assertEquals(5000, p.record().srcPort(), "the later fragment got its first fragment's ports");
        assertEquals(53, p.record().dstPort());
        p.ip(3, "192.0.2.1", "192.0.2.2", UDP, 400);
        assertEquals(FragmentTable.ATTRIBUTED, meter(p.fragment(0x1234, 370, false)));
        assertEquals(FragmentTable.WHOLE, meter(p.udp(4, "192.0.2.2", 53, "192.0.2.1", 5000, 80)));

        table.flush(FlowEndReason.FORCED_END);
        assertEquals(1, ended.flows.size(), ended.flows.toString());
        final FlowRecord r = ended.flows.get(0).record();
        assertEquals(3, r.packets());
        assertEquals(1500 + 1500 + 400, r.bytes());
        assertEquals(1, r.reversePackets());
        assertTrue((r.flowFlags() & FlowRecord.FLAG_FRAGMENTED) != 0);
    }

    @Test
    void aLaterFragmentWithoutItsFirstIsAnOrphan()
    {
        p.ip(1, "192.0.2.1", "192.0.2.2", UDP, 1500);
        assertEquals(FragmentTable.ORPHAN, meter(p.fragment(7, 185, true)));

        p.udp(2, "192.0.2.1", 5000, "192.0.2.2", 53, 1500);
        meter(p.fragment(8, 0, true));
        p.ip(3, "192.0.2.1", "192.0.2.2", UDP, 1500);
        assertEquals(FragmentTable.ORPHAN, meter(p.fragment(9, 185, true)), "another IP ID");
        p.ip(3, "192.0.2.3", "192.0.2.2", UDP, 1500);
        assertEquals(FragmentTable.ORPHAN, meter(p.fragment(8, 185, true)), "another source");
        p.ip(3, "192.0.2.1", "192.0.2.2", 6, 1500);
        assertEquals(FragmentTable.ORPHAN, meter(p.fragment(8, 185, true)), "another protocol");
        p.ip(3 + 31 * SECOND, "192.0.2.1", "192.0.2.2", UDP, 1500);
        assertEquals(FragmentTable.ORPHAN, meter(p.fragment(8, 185, true)), "older than the 30 s timeout");
        p.ip(4, "192.0.2.1", "192.0.2.2", UDP, 1500);
        assertEquals(FragmentTable.ATTRIBUTED, meter(p.fragment(8, 185, true)));
    }

    @Test
    void ipv6FragmentsUseTheThirtyTwoBitIdentification()
    {
        p.udp(1, "2001:db8::1", 5000, "2001:db8::2", 53, 1280);
        assertEquals(FragmentTable.FIRST, meter(p.fragment(0x8000_0001, 0, true)));
        p.ip(2, "2001:db8::1", "2001:db8::2", UDP, 600);
        assertEquals(FragmentTable.ORPHAN, meter(p.fragment(0x0000_0001, 154, false)));
        p.ip(2, "2001:db8::1", "2001:db8::2", UDP, 600);
        assertEquals(FragmentTable.ATTRIBUTED, meter(p.fragment(0x8000_0001, 154, false)));
    }
}
