package jp.senbetsu.store.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counter-based AES-GCM nonces that never repeat under one key, across crashes and restarts.
 *
 * <p>The counter lives in memory; a small file holds a <em>reservation</em>: the first counter value not yet
 * handed out. Before the counter reaches the reservation, the next block is reserved and the file synced, so
 * after a crash the counter restarts at the reservation and may skip values, but never repeats one. Reserving
 * reads and writes the file under an exclusive lock, so counters opened on one file by several processes (a
 * partition roll and {@code keys rotate} sealing under one master key) get disjoint blocks.
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

    /** One monitor per reservation file, for counters of this process (see {@link #reserve()}). */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

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

    /**
     * Opens (or creates) the reservation file. Nothing is reserved yet: the first {@link #next(byte[], int)}
     * reserves a block starting at the stored reservation.
     */
    public static NonceCounter open(final Path file, final long block)
    {
        try
        {
            final FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new NonceCounter(file, block, channel, 1);
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
            reserve();
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

    /**
     * Reserves the next block: under an exclusive lock on the file (and, for counters in this process, a monitor
     * per file, since the OS lock does not exclude channels of one process), reads the stored reservation, starts
     * at it if another counter reserved beyond this one's next value, and stores the end of the new block. Two
     * counters on one file, in one process or two, therefore never hand out the same value.
     */
    private void reserve()
    {
        synchronized (MONITORS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Object()))
        {
            try (FileLock ignored = channel.lock())
            {
                scratch.clear();
                long stored = 1;
                if (channel.size() >= 8 && channel.read(scratch, 0) == 8)
                {
                    stored = scratch.getLong(0);
                }
                if (stored > next)
                {
                    next = stored;
                }
                final long upTo = next + block;
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
