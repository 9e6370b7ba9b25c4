package jp.senbetsu.capture.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    /**
     * Fixed-offset fields are accessed without a per-access bounds check, so the one check is at wrap: a record
     * that would reach past its buffer is refused there, and a record in the middle of a buffer touches exactly
     * its own 160 bytes, on the heap and off it.
     */
    @Test
    void aRecordIsCheckedOnceWhenWrappedAndTouchesOnlyItsOwnBytes()
    {
        final UnsafeBuffer small = new UnsafeBuffer(new byte[2 * MachineInfoRecord.LENGTH]);
        assertThrows(IndexOutOfBoundsException.class, () -> new MachineInfoRecord().wrap(small, 1 + MachineInfoRecord.LENGTH));
        assertThrows(IndexOutOfBoundsException.class, () -> new MachineInfoRecord().wrap(small, -1));
        for (final UnsafeBuffer buffer : new UnsafeBuffer[] {
            new UnsafeBuffer(new byte[3 * MachineInfoRecord.LENGTH]),
            new UnsafeBuffer(ByteBuffer.allocateDirect(3 * MachineInfoRecord.LENGTH))})
        {
            buffer.setMemory(0, buffer.capacity(), (byte)0x5A);
            final int at = MachineInfoRecord.LENGTH;
            final MachineInfoRecord record = new MachineInfoRecord().wrap(buffer, at).clear();
            record.timestampNs(0x0102_0304_0506_0708L).wireLength(1500).capturedLength(128).srcPort(443).dstPort(65535)
                .protocol(17).ipVersion(6).presence(MachineInfoRecord.HAS_IP | MachineInfoRecord.HAS_PORTS)
                .tunnelId(0xFFFF_FFFEL);
            buffer.putLong(at + MachineInfoRecord.SRC_ADDRESS_OFFSET, 0x1111_2222_3333_4444L);
            buffer.putLong(at + MachineInfoRecord.DST_ADDRESS_OFFSET + 8, 0x5555_6666_7777_8888L);
            // what the checked buffer sees, in the record's native order
            assertEquals(0x0102_0304_0506_0708L, buffer.getLong(at + MachineInfoRecord.TIMESTAMP_OFFSET));
            assertEquals(65535, buffer.getShort(at + MachineInfoRecord.DST_PORT_OFFSET, ByteOrder.nativeOrder()) & 0xFFFF);
            assertEquals(1500, record.wireLength());
            assertEquals(443, record.srcPort());
            assertEquals(6, record.ipVersion());
            assertEquals(0xFFFF_FFFEL, record.tunnelId());
            assertEquals(0x1111_2222_3333_4444L, record.srcAddressHigh());
            assertEquals(0x5555_6666_7777_8888L, record.dstAddressLow());
            // the neighbours on both sides are untouched
            for (int i = 0; i < buffer.capacity(); i++)
            {
                if (i < at || i >= at + MachineInfoRecord.LENGTH)
                {
                    assertEquals(0x5A, buffer.getByte(i), "byte " + i + " outside the record");
                }
            }
        }
    }
}
