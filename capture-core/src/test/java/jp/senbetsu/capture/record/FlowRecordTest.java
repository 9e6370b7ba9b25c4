package jp.senbetsu.capture.record;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The flow record is checked once when wrapped, then reads and writes its fixed fields without a check. */
class FlowRecordTest
{
    @Test
    void aRecordIsCheckedOnceWhenWrappedAndTouchesOnlyItsOwnBytes()
    {
        final UnsafeBuffer small = new UnsafeBuffer(new byte[FlowRecord.LENGTH + 7]);
        assertThrows(IndexOutOfBoundsException.class, () -> new FlowRecord().wrap(small, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> new FlowRecord().wrap(small, -1));
        for (final UnsafeBuffer buffer : new UnsafeBuffer[] {
            new UnsafeBuffer(new byte[3 * FlowRecord.LENGTH]),
            new UnsafeBuffer(ByteBuffer.allocateDirect(3 * FlowRecord.LENGTH))})
        {
            buffer.setMemory(0, buffer.capacity(), (byte)0x5A);
            final int at = FlowRecord.LENGTH;
            final FlowRecord flow = new FlowRecord().wrap(buffer, at).clear();
            flow.endNs(0x0102_0304_0506_0708L).protocol(132).packets(0xFFFF_FFFF_FFL).srcPort(65535);
            assertEquals(0x0102_0304_0506_0708L, buffer.getLong(at + FlowRecord.END_OFFSET));
            assertEquals(132, flow.protocol());
            assertEquals(0xFFFF_FFFF_FFL, flow.packets());
            assertEquals(65535, flow.srcPort());
            for (int i = 0; i < buffer.capacity(); i++)
            {
                if (i < at || i >= at + FlowRecord.LENGTH)
                {
                    assertEquals(0x5A, buffer.getByte(i), "byte " + i + " outside the record");
                }
            }
        }
    }

    @Test
    void addressesReadAsNumbersInNetworkOrder()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FlowRecord.LENGTH]);
        final FlowRecord flow = new FlowRecord().wrap(buffer, 0);
        buffer.putBytes(FlowRecord.SRC_ADDRESS_OFFSET, new byte[] {(byte)192, 0, 2, 1});
        buffer.putBytes(FlowRecord.DST_ADDRESS_OFFSET, new byte[] {
            0x20, 0x01, 0x0d, (byte)0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01});
        assertEquals(0xC000_0201, flow.srcIpv4());
        assertEquals(0x2001_0db8_0000_0000L, flow.dstIpv6High());
        assertEquals(1L, flow.dstIpv6Low());
    }
}
