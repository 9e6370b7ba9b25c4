package jp.senbetsu.capture.memory;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Native-order access to direct memory without Agrona's per-access bounds check, for a structure whose offsets
 * its owner computes from indices it keeps in range itself: the flow table's entries (entry number below the
 * pool size, times 192, plus a named field offset) and its index (slot below the capacity, times 8).
 *
 * <p>Why not an {@link UnsafeBuffer}: its bounds check is one switch for the whole JVM
 * ({@code agrona.disable.bounds.checks}), and it stays on because the decoder reads untrusted frames through
 * such buffers, where a defect must throw rather than read a neighbour's bytes. The flow table never holds a
 * frame byte; on its memory the checks cost ≈ 5 % of a {@code senbetsu flows} run. Every access here is still
 * checked by an {@code assert}, so the test suite (run with {@code -ea}) catches an offset out of range.
 *
 * <p>The view does not own the memory: it must not be used after its {@link DirectRegion} is closed.
 */
public final class UncheckedView
{
    private final long address;
    private final int capacity;

    /** A view of the whole of {@code buffer}, which must wrap direct memory (not a Java array). */
    public UncheckedView(final UnsafeBuffer buffer)
    {
        if (buffer.byteArray() != null)
        {
            throw new IllegalArgumentException("an unchecked view needs direct memory, not a heap array");
        }
        this.address = buffer.addressOffset();
        this.capacity = buffer.capacity();
    }

    /** Bytes in the view. */
    public int capacity()
    {
        return capacity;
    }

    public long getLong(final int offset)
    {
        assert inRange(offset, Long.BYTES);
        return UnsafeApi.getLong(address + offset);
    }

    public void putLong(final int offset, final long value)
    {
        assert inRange(offset, Long.BYTES);
        UnsafeApi.putLong(address + offset, value);
    }

    public int getInt(final int offset)
    {
        assert inRange(offset, Integer.BYTES);
        return UnsafeApi.getInt(address + offset);
    }

    public void putInt(final int offset, final int value)
    {
        assert inRange(offset, Integer.BYTES);
        UnsafeApi.putInt(address + offset, value);
    }

    public short getShort(final int offset)
    {
        assert inRange(offset, Short.BYTES);
        return UnsafeApi.getShort(address + offset);
    }

    public void putShort(final int offset, final short value)
    {
        assert inRange(offset, Short.BYTES);
        UnsafeApi.putShort(address + offset, value);
    }

    public void putByte(final int offset, final byte value)
    {
        assert inRange(offset, 1);
        UnsafeApi.putByte(address + offset, value);
    }

    /** Sets {@code length} bytes from {@code offset} to {@code value}. */
    public void setMemory(final int offset, final int length, final byte value)
    {
        assert length >= 0 && inRange(offset, length);
        UnsafeApi.setMemory(address + offset, length, value);
    }

    private boolean inRange(final int offset, final int length)
    {
        if (offset < 0 || (long)offset + length > capacity)
        {
            throw new IndexOutOfBoundsException(
                "offset " + offset + " + " + length + " outside the view's " + capacity + " bytes");
        }
        return true;
    }
}
