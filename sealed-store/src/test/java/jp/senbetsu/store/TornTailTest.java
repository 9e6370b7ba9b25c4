package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditLog;
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
 * A torn last batch (what a power loss leaves when the queue file's last pages were not all written): verify
 * reports it until the store is opened; opening reports it, audits it, bridges it with a recovery batch, and the
 * chain continues and verifies.
 */
class TornTailTest
{
    @TempDir
    Path dir;

    @Test
    void tornLastBatchIsReportedBridgedAndTheChainContinues()
    {
        TestStores.init(dir);
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(TestStores.T0 + 1_000);
        final String partition = PartitionCycle.name(TestStores.T0);
        final TestRecords records = new TestRecords(3);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.LENGTH]);
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            long acked = append(master, clock, records, buffer, 0, 1000);

            final byte[][] last = new byte[1][];
            try (PartitionDocuments docs = PartitionDocuments.open(new StoreLayout(dir).partition(partition),
                partition, PartitionCycle.HOURLY))
            {
                docs.forEach((doc, length, index) ->
                {
                    last[0] = Arrays.copyOf(doc, length);
                    return true;
                });
            }
            // a batch whose header made it to disk but whose body is only partly there
            final byte[] torn = Arrays.copyOf(last[0], last[0].length);
            new UnsafeBuffer(torn).putLong(16, acked + 1);
            Arrays.fill(torn, 3000, torn.length, (byte)0);
            try (SingleChronicleQueue queue = PartitionQueue.forAppend(new StoreLayout(dir).partition(partition),
                TestStores.T0, PartitionCycle.HOURLY); ExcerptAppender appender = queue.createAppender();
                DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(torn);
            }
            final VerifyReport before = TestStores.verify(dir);
            assertFalse(before.ok());
            assertTrue(before.findings().get(0).reason().contains("not yet recovered"), before.findings()::toString);

            try (AuditLog audit = TestStores.audit(dir);
                SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                    TestStores.actor()))
            {
                assertNotNull(store.recovery(), "opening reports the torn batch");
                assertTrue(store.recovery().contains("does not link") || store.recovery().contains("authenticate"),
                    store.recovery());
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

    private long append(final MasterKeyStore master, final CachedEpochClock clock, final TestRecords records,
        final UnsafeBuffer buffer, final int from, final int to)
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
}
