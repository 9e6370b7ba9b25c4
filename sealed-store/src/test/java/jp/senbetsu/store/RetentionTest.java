package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.audit.AuditRecord;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.partition.PartitionCycle;
import jp.senbetsu.store.retention.Erasure;
import jp.senbetsu.store.retention.RetentionEraser;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention by crypto-shredding: a partition is erased only when the retention of every approval in it has
 * passed; its key is destroyed and files deleted; the erasure entry lets verify bridge the gap and states what was
 * erased; the store keeps appending after it.
 */
class RetentionTest
{
    @TempDir
    Path dir;

    @Test
    void expiredPartitionsAreShreddedAndVerifyBridgesTheGap()
    {
        TestStores.init(dir);
        final StoreLayout layout = new StoreLayout(dir);
        // approval 1 keeps 1 day, approval 2 keeps 3 days, approval 3 falls back to the default (2 years)
        StoreSettings.load(layout.settings()).withRetention("ACD-2026-0001", Duration.ofDays(1))
            .withRetention("ACD-2026-0002", Duration.ofDays(3)).save(layout.settings());
        final CachedEpochClock clock = new CachedEpochClock();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        final SelectedFlowRecord record = new SelectedFlowRecord();
        final TestRecords records = new TestRecords(9);
        final String[] approvalOfHour = {"ACD-2026-0001", "ACD-2026-0002", "ACD-2026-0001", "ACD-2026-0003"};
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            try (AuditLog audit = TestStores.audit(dir);
                SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                    TestStores.actor()))
            {
                for (int hour = 0; hour < 4; hour++)
                {
                    clock.update(TestStores.T0 + hour * 3_600_000L + 100);
                    for (int i = 0; i < 1000; i++)
                    {
                        records.fill(hour * 1000L + i, buffer, 0);
                        record.wrap(buffer, 0).approvalId(approvalOfHour[hour]);
                        record.flow().endNs((TestStores.T0 + hour * 3_600_000L) * 1_000_000L);
                        store.append(buffer, 0);
                    }
                    store.flush();
                }
            }
            final long now = TestStores.T0 + Duration.ofDays(2).toMillis();
            final List<Erasure> erased;
            try (StoreSession session = StoreSession.open(dir, Role.OPERATOR, "erase expired partitions"))
            {
                erased = new RetentionEraser(session, master).eraseExpired(now);
            }
            assertEquals(List.of(PartitionCycle.name(TestStores.T0), PartitionCycle.name(TestStores.T0 + 7_200_000L)),
                erased.stream().map(Erasure::partition).toList(), "only the 1-day partitions expired");
            assertEquals(1000, erased.get(0).records());
            final DataKeyRing ring = new DataKeyRing(layout.keys(), master);
            for (final Erasure e : erased)
            {
                assertFalse(Files.exists(layout.partition(e.partition())), "files deleted");
                assertFalse(ring.exists(e.partition()), "data key destroyed");
            }
            assertTrue(ring.exists(PartitionCycle.name(TestStores.T0 + 3_600_000L)));

            VerifyReport report = TestStores.verify(dir);
            assertTrue(report.ok(), () -> "verify across the gaps: " + report.findings());
            assertEquals(2, report.erasedPartitions());
            assertEquals(2000, report.records());
            final List<AuditRecord> entries = AuditLog.read(layout.audit()).stream()
                .filter(r -> AuditEvent.ERASURE.label().equals(r.event())).toList();
            assertEquals(2, entries.size());
            assertEquals(erased.get(0).fingerprint(), entries.get(0).fields().get("fingerprint"));
            assertEquals(1000L, entries.get(0).fields().get("records"));

            // later: everything but the default-retention partition expires; the store keeps appending
            try (StoreSession session = StoreSession.open(dir, Role.OPERATOR, "erase expired partitions"))
            {
                assertEquals(1, new RetentionEraser(session, master)
                    .eraseExpired(TestStores.T0 + Duration.ofDays(10).toMillis()).size());
            }
            clock.update(TestStores.T0 + 5 * 3_600_000L);
            try (AuditLog audit = TestStores.audit(dir);
                SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                    TestStores.actor()))
            {
                for (int i = 0; i < 300; i++)
                {
                    records.fill(i, buffer, 0);
                    store.append(buffer, 0);
                }
            }
            final VerifyReport later = TestStores.verify(dir);
            assertTrue(later.ok(), () -> "verify after more erasure and appends: " + later.findings());
            assertEquals(3, later.erasedPartitions());
            assertEquals(1300, later.records());
        }
    }

    @Test
    void futureFlowTimestampsDoNotPostponeErasure()
    {
        TestStores.init(dir);
        final StoreLayout layout = new StoreLayout(dir);
        StoreSettings.load(layout.settings()).withRetention("ACD-2026-0001", Duration.ofDays(1)).save(layout.settings());
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(TestStores.T0 + 100);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        final SelectedFlowRecord record = new SelectedFlowRecord();
        final TestRecords records = new TestRecords(11);
        // 2100-01-01T00:00Z: a tap clock gone wrong, or a crafted capture file
        final long year2100Ns = 4_102_444_800_000L * 1_000_000L;
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            try (AuditLog audit = TestStores.audit(dir);
                SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                    TestStores.actor()))
            {
                for (int i = 0; i < 500; i++)
                {
                    records.fill(i, buffer, 0);
                    record.wrap(buffer, 0).approvalId("ACD-2026-0001");
                    record.flow().endNs(i == 250 ? year2100Ns : TestStores.T0 * 1_000_000L);
                    store.append(buffer, 0);
                }
            }
            final String partition = PartitionCycle.name(TestStores.T0);
            try (StoreSession session = StoreSession.open(dir, Role.OPERATOR, "erase expired partitions"))
            {
                assertEquals(List.of(), new RetentionEraser(session, master)
                    .eraseExpired(TestStores.T0 + Duration.ofHours(24).toMillis()), "not yet: hour end + 1 day");
                final List<Erasure> erased = new RetentionEraser(session, master)
                    .eraseExpired(TestStores.T0 + Duration.ofHours(25).toMillis());
                assertEquals(List.of(partition), erased.stream().map(Erasure::partition).toList(),
                    "the future flow end counts as the partition end (hour end + 1 day)");
                assertEquals(TestStores.T0 + Duration.ofHours(25).toMillis(), erased.get(0).expiredAtMs());
            }
            assertFalse(Files.exists(layout.partition(partition)));
            final VerifyReport report = TestStores.verify(dir);
            assertTrue(report.ok(), () -> report.findings().toString());
        }
    }
}
