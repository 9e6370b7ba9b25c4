package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.DataKey;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.NonceCounter;
import jp.senbetsu.store.partition.PartitionCycle;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer that dies between creating a partition's key and sealing its first batch leaves a key without batches.
 * Reopening records it as empty — only when the key's nonce counter proves nothing was sealed — and verify passes;
 * a partition whose key did seal batches and whose files are gone stays a finding.
 */
class EmptyPartitionTest
{
    @TempDir
    Path dir;

    @Test
    void neverUsedKeyIsRecordedAsEmptyButAUsedOneStaysAFinding()
    {
        TestStores.init(dir);
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(TestStores.T0 + 5);
        final String unused = PartitionCycle.name(TestStores.T0 + 3_600_000L);
        final String used = PartitionCycle.name(TestStores.T0 + 7_200_000L);
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            write(master, clock, 300);
            final DataKeyRing ring = new DataKeyRing(new StoreLayout(dir).keys(), master);
            try (AuditLog audit = TestStores.audit(dir))
            {
                for (final String name : new String[] {unused, used})
                {
                    final DataKey key = ring.create(name);
                    audit.append(AuditEvent.KEY_CREATE, TestStores.actor(), Map.of("partition", name,
                        "keyId", HexFormat.of().formatHex(key.keyId()), "fingerprint", key.fingerprint()));
                    try (NonceCounter nonces = ring.nonces(name))
                    {
                        if (name.equals(used))
                        {
                            nonces.next(new byte[NonceCounter.NONCE_LENGTH], 0);
                        }
                    }
                }
            }
            final VerifyReport before = TestStores.verify(dir);
            assertTrue(before.findings().stream().anyMatch(f -> unused.equals(f.partition())), before::toString);

            write(master, clock, 10);
            final VerifyReport after = TestStores.verify(dir);
            assertFalse(after.findings().stream().anyMatch(f -> unused.equals(f.partition())),
                () -> after.findings().toString());
            assertTrue(after.notes().stream().anyMatch(n -> n.contains(unused) && n.contains("never held a batch")),
                after.notes()::toString);
            assertTrue(after.findings().stream().anyMatch(f -> used.equals(f.partition())
                && f.reason().contains("partition missing")), () -> after.findings().toString());
        }
    }

    private void write(final MasterKeyStore master, final CachedEpochClock clock, final int count)
    {
        final TestRecords records = new TestRecords(1);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        try (AuditLog audit = TestStores.audit(dir);
            SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                TestStores.actor()))
        {
            for (int i = 0; i < count; i++)
            {
                records.fill(i, buffer, 0);
                store.append(buffer, 0);
            }
        }
    }
}
