package jp.senbetsu.capture.memory;

import java.nio.ByteBuffer;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A block of direct memory, cache-line aligned and zeroed, that its owner frees deterministically with
 * {@link #close()} instead of waiting for the garbage collector: the flow table, fragment table, ring slots
 * and counters all size their memory once at start and give it back at shutdown.
 */
public final class DirectRegion implements AutoCloseable
{
    /** Alignment of {@link #buffer()}'s first byte. */
    public static final int ALIGNMENT = 64;

    private final ByteBuffer allocation;
    private final UnsafeBuffer buffer;
    private boolean freed;

    /** @param length bytes, at most {@link Integer#MAX_VALUE} minus the alignment. */
    public DirectRegion(final long length)
    {
        if (length < 0 || length > Integer.MAX_VALUE - ALIGNMENT)
        {
            throw new IllegalArgumentException("direct region of " + length + " bytes is out of range");
        }
        allocation = ByteBuffer.allocateDirect((int)length + ALIGNMENT);
        final long address = BufferUtil.address(allocation);
        final int skew = (int)(((address + ALIGNMENT - 1) & -ALIGNMENT) - address);
        buffer = new UnsafeBuffer(allocation, skew, (int)length);
        buffer.setMemory(0, (int)length, (byte)0);
    }

    /** The aligned memory. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Bytes reserved, including alignment slack. */
    public long reservedBytes()
    {
        return allocation.capacity();
    }

    @Override
    public synchronized void close()
    {
        if (!freed)
        {
            freed = true;
            BufferUtil.free(allocation);
        }
    }
}
