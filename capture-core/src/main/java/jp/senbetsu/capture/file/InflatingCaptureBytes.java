package jp.senbetsu.capture.file;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A gzip-compressed capture file, inflated as a stream into one reusable buffer. The buffer holds the bytes
 * from the last fetched position on; it is compacted and refilled when a fetch reaches past its end, and grows
 * (doubling) only when a single record is larger than it, never beyond the largest block the configuration
 * allows. Nothing is allocated per record.
 */
final class InflatingCaptureBytes implements CaptureBytes
{
    private static final int GZIP_STREAM_BUFFER = 64 * 1024;

    private final Path file;
    private final long fileBytes;
    private final int maxBufferBytes;
    private final InputStream inflated;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private byte[] bytes;
    private long bufferStart;
    private int bufferLength;
    private boolean endOfStream;

    InflatingCaptureBytes(
        final Path file, final FileChannel channel, final long fileBytes, final int initialBufferBytes,
        final int maxBufferBytes)
    {
        this.file = file;
        this.fileBytes = fileBytes;
        this.maxBufferBytes = maxBufferBytes;
        this.bytes = new byte[Math.min(initialBufferBytes, maxBufferBytes)];
        view.wrap(bytes);
        try
        {
            this.inflated = new GZIPInputStream(Channels.newInputStream(channel.position(0)), GZIP_STREAM_BUFFER);
        }
        catch (final IOException ex)
        {
            throw new CaptureFileException(file, 0, "not a readable gzip stream: " + ex.getMessage(), ex);
        }
    }

    @Override
    public int fetch(final long position, final int length)
    {
        final long bufferEnd = bufferStart + bufferLength;
        if (position >= bufferStart && position + length <= bufferEnd)
        {
            return length;
        }
        if (position < bufferStart)
        {
            throw new IllegalStateException("capture bytes are read forward only: " + position + " < " + bufferStart);
        }
        if (position >= bufferEnd)
        {
            discard(position - bufferEnd);
            bufferStart = position;
            bufferLength = 0;
        }
        else
        {
            final int keep = (int)(bufferEnd - position);
            System.arraycopy(bytes, (int)(position - bufferStart), bytes, 0, keep);
            bufferStart = position;
            bufferLength = keep;
        }
        if (length > bytes.length)
        {
            grow(length);
        }
        fill(length);
        return Math.min(length, bufferLength);
    }

    private void grow(final int length)
    {
        if (length > maxBufferBytes)
        {
            throw new IllegalStateException("fetch of " + length + " bytes beyond the inflate limit " + maxBufferBytes);
        }
        final int newLength = (int)Math.min(maxBufferBytes, Math.max(length, 2L * bytes.length));
        final byte[] grown = new byte[newLength];
        System.arraycopy(bytes, 0, grown, 0, bufferLength);
        bytes = grown;
        view.wrap(bytes);
    }

    private void fill(final int length)
    {
        while (bufferLength < length && !endOfStream)
        {
            final int read = read(bytes, bufferLength, bytes.length - bufferLength);
            if (read < 0)
            {
                endOfStream = true;
            }
            else
            {
                bufferLength += read;
            }
        }
    }

    private void discard(final long count)
    {
        long left = count;
        while (left > 0 && !endOfStream)
        {
            final int read = read(bytes, 0, (int)Math.min(bytes.length, left));
            if (read < 0)
            {
                endOfStream = true;
            }
            else
            {
                left -= read;
            }
        }
    }

    private int read(final byte[] into, final int offset, final int length)
    {
        try
        {
            return inflated.read(into, offset, length);
        }
        catch (final EOFException ex)
        {
            throw new CaptureFileException(file, bufferStart + bufferLength,
                "gzip stream ends early (compressed file truncated)", ex);
        }
        catch (final IOException ex)
        {
            throw new CaptureFileException(file, bufferStart + bufferLength,
                "gzip stream is corrupt: " + ex.getMessage(), ex);
        }
    }

    @Override
    public DirectBuffer buffer()
    {
        return view;
    }

    @Override
    public int index(final long position)
    {
        return (int)(position - bufferStart);
    }

    @Override
    public boolean compressed()
    {
        return true;
    }

    @Override
    public long fileBytes()
    {
        return fileBytes;
    }

    @Override
    public void close()
    {
        try
        {
            inflated.close();
        }
        catch (final IOException ignore)
        {
            // read-only stream: nothing was written that could be lost
        }
    }
}
