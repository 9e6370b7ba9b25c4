package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.query.ExportFile;
import jp.senbetsu.store.query.Purpose;
import jp.senbetsu.store.query.RecordFilter;
import jp.senbetsu.store.query.RecordQuery;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payload canary. A {@link SelectedFlowRecord} has no field that can hold payload, so the way payload could still
 * reach the store is through the bytes around a record: the pipeline hands the store a buffer and an offset, and
 * a careless store that copied more than the record (a whole slot, to the buffer's end) or logged a buffer would
 * write the packet payload that sits beside it. Here every record is built inside a "capture slot" whose payload
 * bytes (before and after the 256 record bytes) carry a marker. After appending, querying and exporting (plain and
 * encrypted), no file the store, its keys or its audit log wrote, and neither export (decrypted), contains the
 * marker (nor does the IPFIX export).
 *
 * <p>Positive controls keep the test honest: the same scan finds the marker in a dump of the capture slots, and
 * finds a record-only value (the rule set ID) in the decrypted export while not finding it in any store file
 * (records are only ever on disk encrypted).
 */
class PayloadCanaryTest
{
    private static final byte[] MARKER = "PAYLOAD-CANARY-5e9b1d".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORD_ONLY = "rs-canary-plain".getBytes(StandardCharsets.US_ASCII);
    private static final int SLOT = 1024;
    private static final int RECORD_AT = 384;

    @TempDir
    Path work;

    @Test
    void payloadBesideRecordsNeverReachesAnyFile() throws IOException
    {
        final Path dir = work.resolve("store");
        TestStores.init(dir);
        final byte[] slots = new byte[SLOT * 64];
        for (int i = 0; i + MARKER.length <= slots.length; i += MARKER.length)
        {
            System.arraycopy(MARKER, 0, slots, i, MARKER.length);
        }
        final UnsafeBuffer capture = new UnsafeBuffer(slots);
        final TestRecords records = new TestRecords(99);
        final SelectedFlowRecord record = new SelectedFlowRecord();
        final CachedEpochClock clock = new CachedEpochClock();
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            try (AuditLog audit = TestStores.audit(dir);
                SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                    TestStores.actor()))
            {
                for (int i = 0; i < 5000; i++)
                {
                    clock.update(TestStores.T0 + (i / 2000) * 3_600_000L);
                    final int offset = (i % 64) * SLOT + RECORD_AT;
                    records.fill(i, capture, offset);
                    record.wrap(capture, offset).ruleSetId(new String(RECORD_ONLY, StandardCharsets.US_ASCII));
                    store.append(capture, offset);
                    // the slot's payload around the record is untouched marker bytes
                }
            }
            assertTrue(contains(slots, MARKER), "capture slots carry the marker beside each record");

            final StringWriter query = new StringWriter();
            final Path plain = work.resolve("export.jsonl");
            final Path sealed = work.resolve("export.jsonl.sbx");
            final Path ipfix = work.resolve("export.ipfix");
            try (StoreSession session = StoreSession.open(dir, Role.ANALYST, "query records"))
            {
                final RecordQuery q = new RecordQuery(session, master);
                final Purpose purpose = new Purpose("canary test", "ACD-2026-0001");
                // the read is bounded by its approval: record i carries APPROVALS[i % 3], so 1667 of 5000
                assertEquals(1667, q.query(new RecordFilter(), "all", purpose, query));
                q.export(new RecordFilter(), "all", purpose, plain, null);
                q.export(new RecordFilter(), "all", purpose, sealed, "recipient passphrase".toCharArray());
                q.export(new RecordFilter(), "all", purpose, ipfix, RecordQuery.Format.IPFIX, null);
            }
            final byte[] decrypted = ExportFile.decrypt(Files.newInputStream(sealed),
                "recipient passphrase".toCharArray());

            final List<Path> written = files(dir);
            assertTrue(written.size() > 10, "scan covers partitions, keys, audit: " + written);
            for (final Path file : written)
            {
                final byte[] bytes = Files.readAllBytes(file);
                assertFalse(contains(bytes, MARKER), "payload marker in " + file);
                assertFalse(contains(bytes, RECORD_ONLY), "record plaintext in " + file);
            }
            for (final byte[] export : List.of(Files.readAllBytes(plain), decrypted,
                query.toString().getBytes(StandardCharsets.UTF_8)))
            {
                assertFalse(contains(export, MARKER), "payload marker in an export");
                assertTrue(contains(export, RECORD_ONLY), "positive control: exports do hold record values");
            }
            assertFalse(contains(Files.readAllBytes(sealed), RECORD_ONLY), "encrypted export is encrypted");
            assertFalse(contains(Files.readAllBytes(ipfix), MARKER), "payload marker in the IPFIX export");
            final Path dump = work.resolve("slots.bin");
            Files.write(dump, slots);
            assertTrue(contains(Files.readAllBytes(dump), MARKER), "positive control: the scan finds the marker");
        }
    }

    private static List<Path> files(final Path root) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root))
        {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        return files;
    }

    private static boolean contains(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
