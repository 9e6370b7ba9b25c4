package jp.senbetsu.capture.record;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MachineInfoRecordTest
{
    @Test
    void vlanAndMplsCountsSaturateButKeepOnlyTheFirstFour()
    {
        final MachineInfoRecord record = new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
        for (int i = 1; i <= 6; i++)
        {
            record.addVlan(100 + i).addMplsLabel(1000 + i);
        }
        assertEquals(6, record.vlanCount());
        assertEquals(6, record.mplsCount());
        assertEquals(104, record.vlanId(3));
        assertEquals(1004, record.mplsLabel(3));
        // the fifth and sixth tags did not spill into the MPLS field that follows the VLAN array
        assertEquals(1001, record.mplsLabel(0));
        assertEquals(0, record.ipLength());
    }
}
