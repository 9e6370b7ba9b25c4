package jp.senbetsu.store.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counter-based AES-GCM nonces that never repeat under one key, across crashes and restarts.
 *
 * <p>The counter lives in memory; a small file holds a <em>reservation</em>: the first counter value not yet
 * handed out. Before the counter reaches the reservation, the next block is reserved and the file synced, so
 * after a crash the counter restarts at the reservation and may skip values, but never repeats one.
 *
 * <pre>
 *  nonce (12 bytes) = | 0x00000000 (4) | counter, big-endian (8) |
 *  reservation file = | next unreserved counter, big-endian (8)  |
 * </pre>
 */
public final class NonceCounter implements AutoCloseable
{
    /** Nonce length for AES-GCM (NIST SP 800-38D recommended 96 bits). */
    public static final int NONCE_LENGTH = 12;
    /** Counter values reserved per file sync. */
    public static final long DEFAULT_BLOCK = 1 << 16;

    private final Path file;
    private final long block;
    private final FileChannel channel;
    private final ByteBuffer scratch = ByteBuffer.allocate(8);
    private long next;
    private long reservedUpTo;

    private NonceCounter(final Path file, final long block, final FileChannel channel, final long start)
    {
        this.file = file;
        this.block = block;
        this.channel = channel;
        this.next = start;
        this.reservedUpTo = start;
    }

    /** Opens (or creates) the reservation file; the first nonce handed out is the stored reservation. */
    public static NonceCounter open(final Path file, final long block)
    {
        try
        {
            final FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final ByteBuffer buffer = ByteBuffer.allocate(8);
            long start = 1;
            if (channel.size() >= 8)
            {
                channel.read(buffer, 0);
                start = Math.max(1, buffer.getLong(0));
            }
            return new NonceCounter(file, block, channel, start);
        }
        catch (final IOException ex)
        {
            throw new KeystoreException("cannot open nonce counter " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** Writes the next nonce into {@code dst} at {@code offset} and returns its counter value. */
    public long next(final byte[] dst, final int offset)
    {
        if (next >= reservedUpTo)
        {
            reserve(next + block);
        }
        final long counter = next++;
        for (int i = 0; i < 4; i++)
        {
            dst[offset + i] = 0;
        }
        for (int i = 0; i < 8; i++)
        {
            dst[offset + 4 + i] = (byte)(counter >>> (56 - 8 * i));
        }
        return counter;
    }

    /** Counter value encoded in a nonce made by {@link #next(byte[], int)}. */
    public static long counterOf(final byte[] nonce, final int offset)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | (nonce[offset + 4 + i] & 0xFF);
        }
        return v;
    }

    private void reserve(final long upTo)
    {
        try
        {
            scratch.clear();
            scratch.putLong(0, upTo);
            channel.write(scratch, 0);
            channel.force(true);
            reservedUpTo = upTo;
        }
        catch (final IOException ex)
        {
            throw new KeystoreException("cannot reserve nonces in " + file + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new KeystoreException("cannot close nonce counter " + file, ex);
        }
    }
}
