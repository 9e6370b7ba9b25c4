package jp.senbetsu.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.batch.BatchHeader;
import jp.senbetsu.store.batch.BatchOpener;
import jp.senbetsu.store.batch.BatchSealer;
import jp.senbetsu.store.chain.ChainHash;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.DataKey;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.NonceCounter;
import jp.senbetsu.store.partition.PartitionCycle;
import jp.senbetsu.store.partition.PartitionDocuments;
import jp.senbetsu.store.query.RecordReader;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records name every rule that matched their flow, so they differ in length: the store lays them end to end,
 * bounds a batch by bytes as well as by count, reads each at the offset its predecessors' own counts give, and
 * refuses bytes that are not records rather than guess where the next one starts.
 */
class VariableLengthRecordsTest
{
    @TempDir
    Path dir;

    @Test
    void longestRecordsCloseBatchesByBytesAndReadBackExactly()
    {
        TestStores.init(dir);
        final TestRecords short_ = new TestRecords(5);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        final SelectedFlowRecord record = new SelectedFlowRecord().wrap(buffer, 0);
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(TestStores.T0 + 1_000);
        final int total = 300;
        final List<byte[]> written = new ArrayList<>();
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            try (var audit = TestStores.audit(dir);
                SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                    TestStores.actor()))
            {
                for (int i = 0; i < total; i++)
                {
                    short_.fill(i, buffer, 0);
                    if (i % 3 == 0)
                    {
                        // as many further rules as a record names: the longest record there is
                        record.matchedRuleCount(5_000);
                        for (int j = 0; j < record.furtherRuleCount(); j++)
                        {
                            record.furtherRuleId(j, "r-" + i + "-" + j);
                        }
                        assertEquals(SelectedFlowRecord.MAX_LENGTH, record.length());
                    }
                    written.add(buffer.byteArray().clone());
                    store.append(buffer, 0);
                }
            }
            final VerifyReport report = TestStores.verify(dir);
            assertTrue(report.ok(), () -> "verify: " + report.findings());
            assertEquals(total, report.records());

            // 100 records of 24 808 bytes and 200 short ones: a mebibyte holds at most 42 long ones, so the
            // 256-record limit is never what closes a batch here
            final String partition = PartitionCycle.name(TestStores.T0);
            final StoreLayout layout = new StoreLayout(dir);
            final List<Integer> counts = new ArrayList<>();
            try (PartitionDocuments docs = PartitionDocuments.open(layout.partition(partition), partition,
                PartitionCycle.HOURLY))
            {
                docs.forEach((doc, length, index) ->
                {
                    final BatchHeader header = new BatchHeader().wrap(doc);
                    assertTrue(header.bodyLength() - BatchHeader.TAG_LENGTH <= BatchHeader.MAX_RECORDS_LENGTH,
                        "batch " + header.sequence() + " body " + header.bodyLength());
                    assertEquals(BatchHeader.FORMAT_VERSION, header.version());
                    counts.add(header.recordCount());
                    return true;
                });
            }
            assertTrue(counts.size() >= 3, "batches " + counts);
            assertTrue(counts.stream().allMatch(c -> c < 256), "batches " + counts);

            final RecordReader reader = new RecordReader(layout, StoreSettings.load(layout.settings()),
                new DataKeyRing(layout.keys(), master));
            final int[] next = {0};
            assertEquals(total, reader.scan(Long.MIN_VALUE, (read, p, batch) ->
            {
                final UnsafeBuffer expected = new UnsafeBuffer(written.get(next[0]));
                assertTrue(TestRecords.sameRecord(expected, read), "record " + next[0]);
                if (next[0] % 3 == 0)
                {
                    assertEquals(5_000, read.matchedRuleCount());
                    assertEquals("r-" + next[0] + "-1022", read.furtherRuleId(SelectedFlowRecord.MAX_FURTHER_RULES - 1));
                }
                next[0]++;
            }));
        }
    }

    @Test
    void bytesWhoseRuleCountsDisagreeAreNotAppended()
    {
        TestStores.init(dir);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        new TestRecords(1).fill(0, buffer, 0);
        buffer.putInt(SelectedFlowRecord.FURTHER_RULE_COUNT_OFFSET, 7);
        try (MasterKeyStore master = TestStores.unlock(dir); var audit = TestStores.audit(dir);
            SealedStore store = SealedStore.open(new StoreConfiguration(dir), master, audit, TestStores.actor()))
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> store.append(buffer, 0));
            assertTrue(ex.getMessage().contains("further rules 7"), ex.getMessage());
            assertEquals(0, store.pendingRecords());
        }
    }

    @Test
    void anAuthenticBodyWhoseRecordsDoNotTileItIsRefusedNamingTheRecord()
    {
        final DataKey key = new DataKey(new byte[BatchHeader.KEY_ID_LENGTH], "20260101T00Z",
            new SecretKeySpec(new byte[32], "AES"), "test");
        final byte[] plain = new byte[3 * SelectedFlowRecord.FIXED_LENGTH];
        final UnsafeBuffer view = new UnsafeBuffer(plain);
        final TestRecords records = new TestRecords(2);
        final UnsafeBuffer one = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        for (int i = 0, at = 0; at < plain.length; i++)
        {
            records.fill(i, one, 0);
            if (SelectedFlowRecord.lengthAt(one, 0) != SelectedFlowRecord.FIXED_LENGTH)
            {
                continue;
            }
            view.putBytes(at, one, 0, SelectedFlowRecord.FIXED_LENGTH);
            at += SelectedFlowRecord.FIXED_LENGTH;
        }
        // the second record claims one further rule: it would run one rule ID into the third
        view.putInt(SelectedFlowRecord.FIXED_LENGTH + SelectedFlowRecord.MATCHED_RULE_COUNT_OFFSET, 2);
        view.putInt(SelectedFlowRecord.FIXED_LENGTH + SelectedFlowRecord.FURTHER_RULE_COUNT_OFFSET, 1);

        final BatchSealer sealer = new BatchSealer();
        sealer.use(key, NonceCounter.open(dir.resolve("nonce"), 16), TestStores.T0 / 1000);
        final byte[] doc = new byte[BatchHeader.LENGTH + plain.length + BatchHeader.TAG_LENGTH];
        final int length = sealer.seal(plain, 3, plain.length, 1, new ChainHash(), doc);

        final StoreException ex = assertThrows(StoreException.class,
            () -> new BatchOpener().open(key, doc, length, new byte[BatchOpener.PLAIN_CAPACITY]));
        assertTrue(ex.getMessage().contains("record 2 of 3 at byte 536 does not fit"), ex.getMessage());

        // a header counting fewer records than the body holds leaves bytes no record accounts for
        view.putInt(SelectedFlowRecord.FIXED_LENGTH + SelectedFlowRecord.MATCHED_RULE_COUNT_OFFSET, 1);
        view.putInt(SelectedFlowRecord.FIXED_LENGTH + SelectedFlowRecord.FURTHER_RULE_COUNT_OFFSET, 0);
        final int undercounted = sealer.seal(plain, 2, plain.length, 2, new ChainHash(), doc);
        final StoreException short_ = assertThrows(StoreException.class,
            () -> new BatchOpener().open(key, doc, undercounted, new byte[BatchOpener.PLAIN_CAPACITY]));
        assertTrue(short_.getMessage().contains("2 records end at byte 512 of a body of 768"), short_.getMessage());

        // and the same body with consistent records opens, each at its own offset
        final int again = sealer.seal(plain, 3, plain.length, 3, new ChainHash(), doc);
        final BatchOpener opener = new BatchOpener();
        assertEquals(3, opener.open(key, doc, again, new byte[BatchOpener.PLAIN_CAPACITY]));
        assertEquals(2 * SelectedFlowRecord.FIXED_LENGTH, opener.recordOffset(2));

        // a batch of the pre-release fixed-record format is named, not read with this format's layout
        new UnsafeBuffer(doc).putShort(BatchHeader.VERSION_OFFSET, (short)BatchHeader.FORMAT_VERSION_FIXED_RECORDS);
        final StoreException old = assertThrows(StoreException.class,
            () -> new BatchOpener().open(key, doc, again, new byte[BatchOpener.PLAIN_CAPACITY]));
        assertTrue(old.getMessage().contains("batch format version 1 (fixed 256-byte records"), old.getMessage());

        // and a writer never seals a body its readers would refuse as implausible
        assertThrows(IllegalStateException.class,
            () -> sealer.seal(plain, 4, plain.length, 4, new ChainHash(), doc));
    }
}
