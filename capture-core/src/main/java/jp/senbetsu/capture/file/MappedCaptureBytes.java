package jp.senbetsu.capture.file;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A capture file mapped into memory as one {@link MemorySegment} of any size, seen through an
 * {@link UnsafeBuffer} view of at most {@link CaptureFileConfiguration#mappedWindowBytes()} bytes (an Agrona
 * buffer is int-indexed). When a fetch reaches past the view, the view is re-wrapped to start at the fetched
 * position: no copy, no allocation, no system call; a record near the old view's end is simply read from the
 * new one. The mapping is released deterministically when the reader is closed.
 */
final class MappedCaptureBytes implements CaptureBytes
{
    private final Arena arena;
    private final long address;
    private final long size;
    private final int windowBytes;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private long viewStart;
    private long viewEnd;

    MappedCaptureBytes(final Path file, final FileChannel channel, final long size, final int windowBytes)
    {
        this.size = size;
        this.windowBytes = windowBytes;
        this.arena = Arena.ofShared();
        try
        {
            final MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            this.address = segment.address();
        }
        catch (final IOException | RuntimeException ex)
        {
            arena.close();
            throw new CaptureFileException(file, -1, "cannot map the file into memory: " + ex.getMessage(), ex);
        }
    }

    @Override
    public int fetch(final long position, final int length)
    {
        if (position >= viewStart && position + length <= viewEnd)
        {
            return length;
        }
        if (position >= size)
        {
            return 0;
        }
        final long remaining = size - position;
        final int viewLength = (int)Math.min(Math.max(windowBytes, length), remaining);
        view.wrap(address + position, viewLength);
        viewStart = position;
        viewEnd = position + viewLength;
        return (int)Math.min(length, remaining);
    }

    @Override
    public DirectBuffer buffer()
    {
        return view;
    }

    @Override
    public int index(final long position)
    {
        return (int)(position - viewStart);
    }

    @Override
    public boolean compressed()
    {
        return false;
    }

    @Override
    public long fileBytes()
    {
        return size;
    }

    @Override
    public void close()
    {
        view.wrap(0, 0);
        viewStart = 0;
        viewEnd = 0;
        arena.close();
    }
}
