package jp.senbetsu.capture.file;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Base of the capture-file flyweights: a view of a structure at an offset of a buffer, read in the byte order
 * of the file (or pcapng section) it came from. Wrapping allocates nothing.
 */
abstract class OrderedFlyweight
{
    protected DirectBuffer buffer;
    protected int offset;
    protected ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    /** Points this view at {@code offset} of {@code buffer}, to be read in {@code order}. */
    final void wrap(final DirectBuffer buffer, final int offset, final ByteOrder order)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.order = order;
    }

    final int offset()
    {
        return offset;
    }

    final long uint32(final int fieldOffset)
    {
        return buffer.getInt(offset + fieldOffset, order) & 0xFFFF_FFFFL;
    }

    final int int32(final int fieldOffset)
    {
        return buffer.getInt(offset + fieldOffset, order);
    }

    final int uint16(final int fieldOffset)
    {
        return buffer.getShort(offset + fieldOffset, order) & 0xFFFF;
    }

    final long int64(final int fieldOffset)
    {
        return buffer.getLong(offset + fieldOffset, order);
    }
}
