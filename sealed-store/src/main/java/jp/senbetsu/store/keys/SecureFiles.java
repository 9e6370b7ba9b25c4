package jp.senbetsu.store.keys;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * File operations for secrets and store metadata: owner-only permissions (0600 files, 0700 directories),
 * crash-safe replacement (write, sync, rename, sync directory) and shredding (overwrite, sync, delete).
 */
public final class SecureFiles
{
    /** rw------- */
    public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    /** rwx------ */
    public static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Content
    {
        void writeTo(OutputStream out) throws IOException;
    }

    private SecureFiles()
    {
    }

    /** Creates a directory (and parents) readable only by the owner. */
    public static Path ownerDirectory(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
            restrict(dir, OWNER_DIRECTORY);
            return dir;
        }
        catch (final IOException ex)
        {
            throw new KeystoreException("cannot create directory " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Replaces {@code file} with new content so that a crash leaves either the old or the new file whole. The
     * temporary file is created owner-only from the start (no moment in which another user could open it) and
     * never through a link planted in its place. If writing fails in any way (a full disk, an interrupt, the
     * content's own error), the partly written temporary file is shredded, or at least deleted, not left beside
     * the target: what this writes (keys, decrypted exports) must not linger half-written.
     */
    public static void writeAtomically(final Path file, final Content content)
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        FileChannel channel = null;
        boolean written = false;
        try
        {
            // a stale temporary file (a crash) or anything planted under its name goes first; CREATE_NEW then
            // neither reuses nor follows whatever appears there meanwhile
            Files.deleteIfExists(tmp);
            final boolean posix =
                Files.getFileAttributeView(tmp.toAbsolutePath().getParent(), PosixFileAttributeView.class) != null;
            channel = posix ?
                FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OWNER_FILE)) :
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            writeThenMove(channel, tmp, file, content);
            written = true;
        }
        catch (final IOException ex)
        {
            throw new KeystoreException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
        finally
        {
            // only a file this call created is removed: what appeared under the name otherwise is not ours
            if (!written && channel != null)
            {
                discard(tmp);
            }
        }
    }

    private static void writeThenMove(final FileChannel created, final Path tmp, final Path file,
        final Content content) throws IOException
    {
        try (FileChannel channel = created)
        {
            restrict(tmp, OWNER_FILE);
            final OutputStream out = java.nio.channels.Channels.newOutputStream(channel);
            content.writeTo(out);
            out.flush();
            channel.force(true);
        }
        try
        {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * Removes a failed write's temporary file: shredded if possible, deleted in any case. Runs with the thread's
     * interrupt cleared (an interrupted thread cannot write the zeros) and restores it afterwards; never throws,
     * so the write's own failure is what the caller sees.
     */
    private static void discard(final Path tmp)
    {
        final boolean interrupted = Thread.interrupted();
        try
        {
            shred(tmp);
        }
        catch (final RuntimeException shredFailure)
        {
            try
            {
                Files.deleteIfExists(tmp);
            }
            catch (final IOException ignored)
            {
                // nothing more can be done here; the write's failure is already on its way to the caller
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Overwrites a file with zeros, syncs it and deletes it. Missing files are ignored. */
    public static void shred(final Path file)
    {
        try
        {
            if (!Files.exists(file))
            {
                return;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                final long size = channel.size();
                final ByteBuffer zeros = ByteBuffer.allocate(4096);
                for (long pos = 0; pos < size; pos += zeros.capacity())
                {
                    zeros.clear().limit((int)Math.min(zeros.capacity(), size - pos));
                    channel.write(zeros, pos);
                }
                channel.force(true);
            }
            Files.delete(file);
            syncDirectory(file.toAbsolutePath().getParent());
        }
        catch (final IOException ex)
        {
            throw new KeystoreException("cannot shred " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** Sets POSIX permissions where the file system supports them. */
    public static void restrict(final Path path, final Set<PosixFilePermission> permissions) throws IOException
    {
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null)
        {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    /** Makes a rename or delete in {@code dir} durable. */
    public static void syncDirectory(final Path dir)
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ignored)
        {
            // some file systems cannot sync directories; the rename itself already happened
        }
    }
}
