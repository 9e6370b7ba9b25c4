package jp.senbetsu.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jp.senbetsu.store.keys.SecureFiles;

/**
 * Makes one {@link SealedStore} the only writer of a store, across processes and within one: an exclusive OS lock
 * on {@code <store>/writer.lock}, held for the writer's lifetime and released by the OS if the process dies.
 *
 * <p>Two writers would both continue from the same chain head (a forked chain), could both create a partition's
 * data key (one overwriting the other's) and would interleave nonce counters in one partition. A second appliance,
 * or an {@code ingest} beside the running appliance, is therefore refused before it reads anything. The file holds
 * the holder's process ID, for the refusal message only; the lock, not the content, is what counts.
 */
public final class WriterLock implements AutoCloseable
{
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or refuses with a one-line {@link StoreException} naming the store. */
    public static WriterLock acquire(final StoreLayout layout)
    {
        final Path file = layout.writerLock();
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            SecureFiles.restrict(file, SecureFiles.OWNER_FILE);
        }
        catch (final IOException ex)
        {
            throw new StoreException("cannot open " + file + ": " + ex.getMessage(), ex);
        }
        FileLock lock = null;
        try
        {
            lock = channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            // another writer in this very process holds it: as held as by another process
            lock = null;
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new StoreException("cannot lock " + file + ": " + ex.getMessage(), ex);
        }
        if (lock == null)
        {
            final String holder = holder(channel);
            closeQuietly(channel);
            throw new StoreException("store " + layout.root() + " has another writer: " + file + " is locked"
                + (holder.isEmpty() ? "" : " by process " + holder) + " (a running appliance or ingest); only one "
                + "writer may append to a store", null);
        }
        try
        {
            final byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
        }
        catch (final IOException ex)
        {
            // the pid is only a hint for the refusal message; the lock is held
        }
        return new WriterLock(channel, lock);
    }

    private static String holder(final FileChannel channel)
    {
        try
        {
            final ByteBuffer buffer = ByteBuffer.allocate(24);
            channel.read(buffer, 0);
            final String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return text.matches("[0-9]{1,19}") ? text : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // the refusal or failure being reported matters more
        }
    }

    /** Releases the lock; the file stays (its presence means nothing without the lock). */
    @Override
    public void close()
    {
        try
        {
            lock.release();
        }
        catch (final IOException ignored)
        {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }
}
