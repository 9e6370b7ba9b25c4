package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import jp.senbetsu.store.keys.KeystoreException;
import jp.senbetsu.store.keys.SecureFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files holding keys or decrypted records are written whole or not at all, owner-only, and a failed write leaves
 * no half-written temporary file beside its target.
 */
class SecureFilesTest
{
    private static final byte[] OLD = "old content".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECRET = "decrypted selected records".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void aWriteReplacesTheFileWholeAndOwnerOnly() throws IOException
    {
        final Path file = dir.resolve("export.jsonl");
        Files.write(file, OLD);
        SecureFiles.writeAtomically(file, out -> out.write(SECRET));
        assertArrayEquals(SECRET, Files.readAllBytes(file));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
            Files.getPosixFilePermissions(file));
        assertFalse(Files.exists(dir.resolve("export.jsonl.tmp")));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException
    {
        final Path file = dir.resolve("export.jsonl");
        Files.write(file, OLD);
        final KeystoreException failure = assertThrows(KeystoreException.class, () ->
            SecureFiles.writeAtomically(file, out ->
            {
                out.write(SECRET);
                out.flush();
                throw new IOException("No space left on device");
            }));
        assertEquals("store: cannot write " + file + ": No space left on device", failure.getMessage());
        assertArrayEquals(OLD, Files.readAllBytes(file), "the old file is untouched");
        assertFalse(Files.exists(dir.resolve("export.jsonl.tmp")), "the half-written copy is gone");
    }

    @Test
    void anErrorOrAnInterruptWhileWritingAlsoLeavesNoTemporaryFile() throws IOException
    {
        final Path file = dir.resolve("export.jsonl");
        assertThrows(AssertionError.class, () -> SecureFiles.writeAtomically(file, out ->
        {
            out.write(SECRET);
            throw new AssertionError("a broken invariant");
        }));
        assertFalse(Files.exists(dir.resolve("export.jsonl.tmp")));

        try
        {
            assertThrows(KeystoreException.class, () -> SecureFiles.writeAtomically(file, out ->
            {
                out.write(SECRET);
                out.flush();
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while writing");
            }));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        }
        finally
        {
            Thread.interrupted();
        }
        assertFalse(Files.exists(dir.resolve("export.jsonl.tmp")), "removed although the thread was interrupted");
        assertFalse(Files.exists(file));
    }

    @Test
    void aLinkPlantedUnderTheTemporaryNameIsNeitherFollowedNorWrittenThrough() throws IOException
    {
        final Path victim = dir.resolve("victim");
        Files.write(victim, OLD);
        final Path file = dir.resolve("key.wrapped");
        Files.createSymbolicLink(dir.resolve("key.wrapped.tmp"), victim);
        SecureFiles.writeAtomically(file, out -> out.write(SECRET));
        assertArrayEquals(OLD, Files.readAllBytes(victim), "the link's target is untouched");
        assertArrayEquals(SECRET, Files.readAllBytes(file));
        assertFalse(Files.isSymbolicLink(file));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
            Files.getPosixFilePermissions(file));
    }

    @Test
    void whatAppearsUnderTheTemporaryNameWhileCreatingIsNotOursAndStays() throws IOException
    {
        // a non-empty directory under the name: neither the clean-up nor the creation can take it, so the write
        // fails before it has created anything, and removes nothing (as when something takes the name between the
        // clean-up and CREATE_NEW)
        final Path file = dir.resolve("export.jsonl");
        final Path squatter = Files.createDirectory(dir.resolve("export.jsonl.tmp"));
        Files.write(squatter.resolve("inside"), OLD);
        assertThrows(KeystoreException.class, () -> SecureFiles.writeAtomically(file, out -> out.write(SECRET)));
        assertArrayEquals(OLD, Files.readAllBytes(squatter.resolve("inside")));
        assertFalse(Files.exists(file));
    }

    @Test
    void aDefectWhileWritingAlsoLeavesNoTemporaryFile() throws IOException
    {
        final Path file = dir.resolve("key.wrapped");
        final IllegalStateException defect = assertThrows(IllegalStateException.class, () ->
            SecureFiles.writeAtomically(file, out ->
            {
                out.write(SECRET);
                throw new IllegalStateException("encoder bug");
            }));
        assertEquals("encoder bug", defect.getMessage());
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("key.wrapped.tmp")));
        try (var listing = Files.list(dir))
        {
            assertTrue(listing.findAny().isEmpty(), "nothing written at all");
        }
    }
}
