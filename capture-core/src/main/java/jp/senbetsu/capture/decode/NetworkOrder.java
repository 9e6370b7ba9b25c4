package jp.senbetsu.capture.decode;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/** Unsigned big-endian reads of header fields; callers have checked that the bytes are within the packet. */
final class NetworkOrder
{
    private NetworkOrder()
    {
    }

    static int u8(final DirectBuffer buffer, final int index)
    {
        return buffer.getByte(index) & 0xFF;
    }

    static int u16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    static int u24(final DirectBuffer buffer, final int index)
    {
        return (u16(buffer, index) << 8) | u8(buffer, index + 2);
    }

    static long u32(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }
}
