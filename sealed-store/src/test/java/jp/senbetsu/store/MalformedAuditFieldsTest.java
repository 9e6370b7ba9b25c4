package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditFields;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.chain.Finding;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.partition.PartitionCycle;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An audit log whose entries carry malformed fields (hand-edited, or written by a tool that should not have):
 * {@code verify} reports each as a finding naming the entry, and opening the store for appending refuses with one
 * line naming the entry, instead of either crashing with a parse error or a class cast.
 */
class MalformedAuditFieldsTest
{
    @TempDir
    Path dir;

    @Test
    void verifyReportsMalformedErasureAndAnchorFieldsAsFindings()
    {
        TestStores.init(dir);
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(TestStores.T0 + 1_000);
        final TestRecords records = new TestRecords(5);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            try (AuditLog audit = TestStores.audit(dir);
                SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                    TestStores.actor()))
            {
                for (int i = 0; i < 600; i++)
                {
                    records.fill(i, buffer, 0);
                    store.append(buffer, 0);
                }
            }
        }
        assertTrue(TestStores.verify(dir).ok(), "the store verifies before the audit log is edited");

        final long erasureEntry;
        final long anchorEntry;
        try (AuditLog audit = TestStores.audit(dir))
        {
            final Map<String, Object> erasure = new LinkedHashMap<>();
            erasure.put(AuditFields.PARTITION, PartitionCycle.name(TestStores.T0 - 3_600_000L));
            erasure.put(AuditFields.FIRST_SEQUENCE, "null");
            erasure.put(AuditFields.LAST_SEQUENCE, null);
            erasure.put(AuditFields.CHAIN_BEFORE, "not hex");
            erasure.put(AuditFields.CHAIN_AFTER, "zz");
            erasureEntry = audit.append(AuditEvent.ERASURE, TestStores.actor(), erasure);
            final Map<String, Object> anchor = new LinkedHashMap<>();
            anchor.put(AuditFields.PARTITION, PartitionCycle.name(TestStores.T0));
            anchor.put(AuditFields.SEQUENCE, "null");
            anchor.put(AuditFields.HASH, "00");
            anchorEntry = audit.append(AuditEvent.STORE_HEAD, TestStores.actor(), anchor);
        }

        final VerifyReport report = TestStores.verify(dir);
        assertFalse(report.ok());
        final List<String> reasons = report.findings().stream().map(Finding::reason).toList();
        assertTrue(reasons.stream().anyMatch(r -> r.startsWith("audit entry " + erasureEntry + " (store.erasure): "
            + "field 'firstSequence'")), reasons::toString);
        assertTrue(reasons.stream().anyMatch(r -> r.startsWith("audit entry " + anchorEntry + " (store.head): "
            + "field 'sequence' is a string")), reasons::toString);
        assertEquals(600, report.records(), "the batches themselves are still walked and counted");
    }

    @Test
    void openingRefusesWithOneLineNamingTheEntry()
    {
        TestStores.init(dir);
        // no partition on disk: the chain head comes from the last erasure entry
        final long entry;
        try (AuditLog audit = TestStores.audit(dir))
        {
            final Map<String, Object> erasure = new LinkedHashMap<>();
            erasure.put(AuditFields.PARTITION, PartitionCycle.name(TestStores.T0));
            erasure.put(AuditFields.FIRST_SEQUENCE, 1L);
            erasure.put(AuditFields.LAST_SEQUENCE, "12");
            erasure.put(AuditFields.CHAIN_AFTER, "ab".repeat(32));
            entry = audit.append(AuditEvent.ERASURE, TestStores.actor(), erasure);
        }
        try (MasterKeyStore master = TestStores.unlock(dir); AuditLog audit = TestStores.audit(dir))
        {
            final StoreException ex = assertThrows(StoreException.class, () -> SealedStore.open(
                new StoreConfiguration(dir), master, audit, TestStores.actor()).close());
            assertTrue(ex.getMessage().contains("audit entry " + entry + " (store.erasure): field 'lastSequence' is a "
                + "string, not a non-negative integer"), ex.getMessage());
            assertFalse(ex.getMessage().contains("\n"), "one line");
        }

        try (AuditLog audit = TestStores.audit(dir))
        {
            final Map<String, Object> erasure = new LinkedHashMap<>();
            erasure.put(AuditFields.PARTITION, PartitionCycle.name(TestStores.T0 + 3_600_000L));
            erasure.put(AuditFields.LAST_SEQUENCE, 12L);
            erasure.put(AuditFields.CHAIN_AFTER, "not a hash");
            final long second = audit.append(AuditEvent.ERASURE, TestStores.actor(), erasure);
            try (MasterKeyStore master = TestStores.unlock(dir))
            {
                final StoreException ex = assertThrows(StoreException.class, () -> SealedStore.open(
                    new StoreConfiguration(dir), master, audit, TestStores.actor()).close());
                assertTrue(ex.getMessage().contains("audit entry " + second + " (store.erasure): field 'chainAfter'"),
                    ex.getMessage());
            }
        }
    }
}
