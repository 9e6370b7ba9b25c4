package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.query.RecordReader;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ten million records in, across five hourly partitions and a restart in the middle of one, all read back equal. */
class SealedStoreRoundTripTest
{
    private static final int TOTAL = 10_000_000;
    private static final int PER_PARTITION = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void tenMillionRecordsRoundTripAcrossPartitionsAndARestart()
    {
        TestStores.init(dir);
        final TestRecords records = new TestRecords(42);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        final CachedEpochClock clock = new CachedEpochClock();
        long acknowledged;
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            acknowledged = write(master, clock, records, buffer, 0, TOTAL / 2);
            final long afterRestart = write(master, clock, records, buffer, TOTAL / 2, TOTAL);
            assertTrue(afterRestart > acknowledged, "sequence continues after the restart");
            acknowledged = afterRestart;

            final VerifyReport report = TestStores.verify(dir);
            assertTrue(report.ok(), () -> "verify: " + report.findings());
            assertEquals(TOTAL, report.records());
            assertEquals(5, report.partitions());
            assertEquals(acknowledged, report.lastSequence());

            final StoreLayout layout = new StoreLayout(dir);
            final RecordReader reader = new RecordReader(layout, StoreSettings.load(layout.settings()),
                new DataKeyRing(layout.keys(), master));
            final UnsafeBuffer expected = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
            final long[] next = {0};
            final long read = reader.scan(Long.MIN_VALUE, (record, partition, batch) ->
            {
                records.fill(next[0], expected, 0);
                if (!TestRecords.sameRecord(expected, record))
                {
                    throw new AssertionError("record " + next[0] + " differs (partition " + partition + ", batch "
                        + batch + ")");
                }
                next[0]++;
            });
            assertEquals(TOTAL, read);
        }
    }

    private long write(final MasterKeyStore master, final CachedEpochClock clock, final TestRecords records,
        final UnsafeBuffer buffer, final int from, final int to)
    {
        try (AuditLog audit = TestStores.audit(dir);
            SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                TestStores.actor()))
        {
            for (int i = from; i < to; i++)
            {
                clock.update(TestStores.T0 + (long)(i / PER_PARTITION) * 3_600_000L + 1_000);
                records.fill(i, buffer, 0);
                store.append(buffer, 0);
            }
            store.flush();
            assertEquals(to - from, store.recordsAcknowledged());
            return store.lastAcknowledgedSequence();
        }
    }
}
