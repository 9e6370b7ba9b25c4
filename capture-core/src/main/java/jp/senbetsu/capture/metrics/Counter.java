package jp.senbetsu.capture.metrics;

import org.agrona.concurrent.AtomicBuffer;

/**
 * One 64-bit value of the {@link MetricsRegistry}, on its own cache line so that stages on different threads
 * never share a line. A counter has one writer (the stage that owns it), which updates it with ordered stores
 * costing no more than a plain store; any thread may read it (the exporter does, with a volatile load).
 * Counters written by several threads (a multi-source ring's drop count) use {@link #addAtomic(long)}, and a
 * high-water mark raised by several threads (the ring's occupancy, by every flow shard) {@link #maxAtomic(long)}.
 */
public final class Counter
{
    private final AtomicBuffer buffer;
    private final int offset;

    Counter(final AtomicBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
    }

    /** Single writer: add one. */
    public void increment()
    {
        buffer.putLongRelease(offset, buffer.getLong(offset) + 1);
    }

    /** Single writer: add a delta. */
    public void add(final long delta)
    {
        buffer.putLongRelease(offset, buffer.getLong(offset) + delta);
    }

    /** Single writer: set a gauge value. */
    public void set(final long value)
    {
        buffer.putLongRelease(offset, value);
    }

    /** Single writer: raise a high-water mark to {@code value} if it is higher. */
    public void max(final long value)
    {
        if (value > buffer.getLong(offset))
        {
            buffer.putLongRelease(offset, value);
        }
    }

    /** Any number of writers: raise a high-water mark to {@code value} if it is higher. */
    public void maxAtomic(final long value)
    {
        long current;
        while (value > (current = buffer.getLongVolatile(offset)))
        {
            if (buffer.compareAndSetLong(offset, current, value))
            {
                return;
            }
        }
    }

    /** Any number of writers: add a delta atomically. */
    public void addAtomic(final long delta)
    {
        buffer.getAndAddLong(offset, delta);
    }

    /** Any thread: the current value. */
    public long get()
    {
        return buffer.getLongVolatile(offset);
    }
}
