package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Stream;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.batch.BatchHeader;
import jp.senbetsu.store.chain.ChainHash;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.partition.PartitionCycle;
import jp.senbetsu.store.partition.PartitionDocuments;
import jp.senbetsu.store.partition.PartitionQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torn last batch (what a power loss leaves when the queue file's last pages were not all written: a document
 * cut short of the body its header announces): verify reports it until the store is opened; opening reports it,
 * audits it, bridges it with a recovery batch, and the chain continues and verifies. A <em>complete</em> last
 * batch that fails authentication or does not link is not torn but altered: opening refuses, naming partition,
 * batch and reason, and verify does not accept a recovery batch that bridges one.
 */
class TornTailTest
{
    private static final String PARTITION = PartitionCycle.name(TestStores.T0);

    @TempDir
    Path dir;
    private final CachedEpochClock clock = new CachedEpochClock();
    private final TestRecords records = new TestRecords(3);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);

    @Test
    void tornLastBatchIsReportedBridgedAndTheChainContinues()
    {
        TestStores.init(dir);
        clock.update(TestStores.T0 + 1_000);
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            long acked = append(master, 0, 1000);
            // a batch whose header made it to disk but whose body is only partly there
            final byte[] torn = Arrays.copyOf(lastDocument(), 3000);
            new UnsafeBuffer(torn).putLong(BatchHeader.SEQUENCE_OFFSET, acked + 1);
            appendRaw(torn);
            final VerifyReport before = TestStores.verify(dir);
            assertFalse(before.ok());
            assertTrue(before.findings().get(0).reason().contains("not yet recovered"), before.findings()::toString);

            try (AuditLog audit = TestStores.audit(dir);
                SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                    TestStores.actor()))
            {
                assertNotNull(store.recovery(), "opening reports the torn batch");
                assertTrue(store.recovery().contains("length 3000 does not match"), store.recovery());
                assertEquals(acked + 1, store.lastAcknowledgedSequence(), "the recovery batch takes the next number");
                for (int i = 1000; i < 2000; i++)
                {
                    records.fill(i, buffer, 0);
                    store.append(buffer, 0);
                }
                store.flush();
                acked = store.lastAcknowledgedSequence();
            }
            final VerifyReport after = TestStores.verify(dir);
            assertTrue(after.ok(), () -> "verify after recovery: " + after.findings());
            assertEquals(2000, after.records());
            assertEquals(acked, after.lastSequence());
            assertTrue(after.notes().stream().anyMatch(n -> n.contains("torn batch")), after.notes()::toString);
            assertTrue(AuditLog.read(new StoreLayout(dir).audit()).stream()
                .anyMatch(r -> AuditEvent.STORE_RECOVERY.label().equals(r.event())), "recovery is audited");
        }
    }

    @Test
    void completeLastBatchThatFailsAuthenticationIsRefusedNotBridged() throws IOException
    {
        TestStores.init(dir);
        clock.update(TestStores.T0 + 1_000);
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            final long acked = append(master, 0, 1000);
            final byte[] last = lastDocument();
            assertEquals(acked, new BatchHeader().wrap(last).sequence());
            flipInFile(last, BatchHeader.LENGTH + 700);

            final StoreException ex = assertThrows(StoreException.class, () -> append(master, 1000, 1001));
            assertEquals(PARTITION, ex.partition());
            assertEquals(acked, ex.batchSequence());
            assertTrue(ex.reason().contains("does not authenticate") && ex.reason().contains("refusing to open"),
                ex.getMessage());
            assertFalse(AuditLog.read(new StoreLayout(dir).audit()).stream()
                .anyMatch(r -> AuditEvent.STORE_RECOVERY.label().equals(r.event())), "no recovery was made");
            assertEquals(acked, new BatchHeader().wrap(lastDocument()).sequence(), "nothing appended");
            assertFalse(TestStores.verify(dir).ok(), "verify still sees the altered batch (its anchor)");
        }
    }

    @Test
    void completeLastBatchThatDoesNotLinkIsRefused()
    {
        TestStores.init(dir);
        clock.update(TestStores.T0 + 1_000);
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            final long acked = append(master, 0, 1000);
            // a replayed copy of the last batch, renumbered: complete, but it links to the batch before its original
            final byte[] copy = lastDocument();
            new UnsafeBuffer(copy).putLong(BatchHeader.SEQUENCE_OFFSET, acked + 1);
            appendRaw(copy);

            final StoreException ex = assertThrows(StoreException.class, () -> append(master, 1000, 1001));
            assertEquals(PARTITION, ex.partition());
            assertEquals(acked + 1, ex.batchSequence());
            assertTrue(ex.reason().contains("does not link to the batch before it"), ex.getMessage());
        }
    }

    @Test
    void verifyDoesNotAcceptARecoveryBatchThatBridgesACompleteBatch() throws IOException
    {
        TestStores.init(dir);
        clock.update(TestStores.T0 + 1_000);
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            append(master, 0, 1000);
        }
        // what the old writer (or someone without keys) could do: alter the last batch, then "recover" it
        final byte[][] lastTwo = new byte[2][];
        final long[] lastIndex = {0};
        try (PartitionDocuments docs = PartitionDocuments.open(new StoreLayout(dir).partition(PARTITION), PARTITION,
            PartitionCycle.HOURLY))
        {
            docs.forEach((doc, length, index) ->
            {
                lastTwo[0] = lastTwo[1];
                lastTwo[1] = Arrays.copyOf(doc, length);
                lastIndex[0] = index;
                return true;
            });
        }
        flipInFile(lastTwo[1], BatchHeader.PREVIOUS_HASH_OFFSET + 3);
        final byte[] altered = lastTwo[1];
        altered[BatchHeader.PREVIOUS_HASH_OFFSET + 3] ^= 1;
        final ChainHash chain = new ChainHash();
        final byte[] headBefore = chain.hashOf(lastTwo[0], lastTwo[0].length);
        final long alteredIndex = lastIndex[0];
        final byte[] recovery = new byte[BatchHeader.LENGTH + BatchHeader.RECOVERY_BODY_LENGTH];
        final BatchHeader header = new BatchHeader().wrap(recovery);
        header.fill(BatchHeader.TYPE_RECOVERY, TestStores.T0 / 1000, new BatchHeader().wrap(altered).sequence(), 0,
            BatchHeader.RECOVERY_BODY_LENGTH);
        System.arraycopy(altered, BatchHeader.KEY_ID_OFFSET, recovery, BatchHeader.KEY_ID_OFFSET,
            BatchHeader.KEY_ID_LENGTH);
        System.arraycopy(headBefore, 0, recovery, BatchHeader.PREVIOUS_HASH_OFFSET, 32);
        System.arraycopy(chain.hashOf(altered, altered.length), 0, recovery, BatchHeader.LENGTH, 32);
        header.buffer().putLong(BatchHeader.LENGTH + 32, altered.length);
        header.buffer().putLong(BatchHeader.LENGTH + 40, alteredIndex);
        appendRaw(recovery);

        final VerifyReport report = TestStores.verify(dir);
        assertFalse(report.ok());
        assertTrue(report.findings().stream().anyMatch(f -> f.reason().contains("the batch is complete, not torn")),
            report.findings()::toString);
    }

    private long append(final MasterKeyStore master, final int from, final int to)
    {
        try (AuditLog audit = TestStores.audit(dir);
            SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                TestStores.actor()))
        {
            for (int i = from; i < to; i++)
            {
                records.fill(i, buffer, 0);
                store.append(buffer, 0);
            }
            store.flush();
            return store.lastAcknowledgedSequence();
        }
    }

    private byte[] lastDocument()
    {
        final byte[][] last = new byte[1][];
        try (PartitionDocuments docs = PartitionDocuments.open(new StoreLayout(dir).partition(PARTITION), PARTITION,
            PartitionCycle.HOURLY))
        {
            docs.forEach((doc, length, index) ->
            {
                last[0] = Arrays.copyOf(doc, length);
                return true;
            });
        }
        return last[0];
    }

    private void appendRaw(final byte[] doc)
    {
        try (SingleChronicleQueue queue = PartitionQueue.forAppend(new StoreLayout(dir).partition(PARTITION),
            TestStores.T0, PartitionCycle.HOURLY); ExcerptAppender appender = queue.createAppender();
            DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(doc);
        }
    }

    private void flipInFile(final byte[] doc, final int offsetInDoc) throws IOException
    {
        final Path file;
        try (Stream<Path> files = Files.list(new StoreLayout(dir).partition(PARTITION)))
        {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] needle = Arrays.copyOf(doc, BatchHeader.LENGTH);
        long at = -1;
        outer:
        for (int i = 0; i <= bytes.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (bytes[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            at = i + offsetInDoc;
            break;
        }
        assertTrue(at >= 0, "document found in the queue file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte)(one.get(0) ^ 0x01)).rewind();
            channel.write(one, at);
        }
    }
}
