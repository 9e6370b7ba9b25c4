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
     * Replaces {@code file} with new content so that a crash leaves either the old or the new file whole. If
     * writing fails (a full disk, the content's own error), the partly written temporary file is shredded, not
     * left beside the target: what this writes (keys, decrypted exports) must not linger half-written.
     */
    public static void writeAtomically(final Path file, final Content content)
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            writeThenMove(tmp, file, content);
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                shred(tmp);
            }
            catch (final RuntimeException shredFailure)
            {
                ex.addSuppressed(shredFailure);
            }
            if (ex instanceof IOException io)
            {
                throw new KeystoreException("cannot write " + file + ": " + io.getMessage(), io);
            }
            throw (RuntimeException)ex;
        }
    }

    private static void writeThenMove(final Path tmp, final Path file, final Content content) throws IOException
    {
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
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
        if (Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class) != null)
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
