package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.partition.PartitionCycle;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When Chronicle cannot open a queue (here: its directory-listing file {@code metadata.cq4t} is a directory, what a
 * botched restore or a permissions mistake leaves), the store says which directory in one {@link StoreException}
 * line, and the audit log's lock file is not left open.
 */
class QueueOpenFailureTest
{
    @TempDir
    Path dir;

    @Test
    void auditLogOpenFailureNamesTheDirectoryAndClosesTheLockFile() throws IOException
    {
        TestStores.init(dir);
        final Path auditDir = new StoreLayout(dir).audit();
        Files.delete(auditDir.resolve("metadata.cq4t"));
        Files.createDirectory(auditDir.resolve("metadata.cq4t"));
        final long lockFilesBefore = openDescriptorsTo(auditDir.resolve("audit.lock"));

        final StoreException ex = assertThrows(StoreException.class, () -> TestStores.audit(dir).close());
        assertTrue(ex.getMessage().startsWith("store: cannot open audit log " + auditDir), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), "one line");
        assertEquals(lockFilesBefore, openDescriptorsTo(auditDir.resolve("audit.lock")),
            "the lock file channel is closed on failure");
    }

    @Test
    void partitionQueueOpenFailureNamesThePartitionAndDirectory() throws IOException
    {
        TestStores.init(dir);
        final String partition = PartitionCycle.name(TestStores.T0);
        final Path partitionDir = new StoreLayout(dir).partition(partition);
        Files.createDirectories(partitionDir.resolve("metadata.cq4t"));
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(TestStores.T0 + 1_000);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        new TestRecords(1).fill(0, buffer, 0);
        try (MasterKeyStore master = TestStores.unlock(dir); AuditLog audit = TestStores.audit(dir);
            SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                TestStores.actor()))
        {
            store.append(buffer, 0);
            final StoreException ex = assertThrows(StoreException.class, store::flush);
            assertTrue(ex.getMessage().startsWith("store partition " + partition + ": cannot open partition queue "
                + partitionDir + " for appending"), ex.getMessage());
            assertFalse(ex.getMessage().contains("\n"), "one line");
            assertEquals(1, store.pendingRecords(), "the record is still pending, not lost");

            // repaired: the next flush rolls again and seals the pending record
            Files.delete(partitionDir.resolve("metadata.cq4t"));
            store.flush();
            assertEquals(1, store.lastAcknowledgedSequence());
        }
        assertTrue(TestStores.verify(dir).ok(), () -> TestStores.verify(dir).findings().toString());
    }

    /** How many of this process's file descriptors point at {@code file} (Linux /proc). */
    private static long openDescriptorsTo(final Path file) throws IOException
    {
        final Path target = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.filter(fd ->
            {
                try
                {
                    return Files.readSymbolicLink(fd).equals(target);
                }
                catch (final IOException ex)
                {
                    return false;
                }
            }).count();
        }
    }
}
