package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.MasterKeyStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per store: a second {@link SealedStore} on the same store — in this process, or in another process
 * (the appliance and an {@code ingest} beside it) — is refused with one line naming the store, instead of both
 * continuing from the same chain head and forking the chain. Closing (or the holder dying) frees the store.
 */
class SingleWriterTest
{
    @TempDir
    Path dir;

    @Test
    void secondWriterInTheSameProcessIsRefusedAndTheChainDoesNotFork()
    {
        TestStores.init(dir);
        final TestRecords records = new TestRecords(21);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        try (MasterKeyStore master = TestStores.unlock(dir); AuditLog audit = TestStores.audit(dir))
        {
            try (SealedStore first = SealedStore.open(new StoreConfiguration(dir), master, audit,
                TestStores.actor()))
            {
                append(first, records, buffer, 0, 600);
                final StoreException ex = assertThrows(StoreException.class, () -> SealedStore.open(
                    new StoreConfiguration(dir), master, audit, TestStores.actor()).close());
                assertTrue(ex.getMessage().contains("store " + dir + " has another writer")
                    && ex.getMessage().contains("writer.lock is locked"), ex.getMessage());
                assertFalse(ex.getMessage().contains("\n"), "one line");
                append(first, records, buffer, 600, 1200);
            }
            // closed: the store has a writer again, which continues the one chain
            try (SealedStore next = SealedStore.open(new StoreConfiguration(dir), master, audit, TestStores.actor()))
            {
                append(next, records, buffer, 1200, 1500);
            }
        }
        final VerifyReport report = TestStores.verify(dir);
        assertTrue(report.ok(), () -> report.findings().toString());
        assertEquals(1500, report.records());
    }

    @Test
    void writerInAnotherProcessIsRespected() throws IOException, InterruptedException
    {
        TestStores.init(dir);
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java,
            "@" + Path.of(System.getProperty("senbetsu.root"), "config", "jvm.args"), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString(), "1");
        builder.environment().put("SENBETSU_KEYSTORE_CREDENTIAL", TestStores.PASSPHRASE);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        final Process child = builder.start();
        try
        {
            final BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII));
            String line = in.readLine();
            while (line != null && !line.startsWith("ready"))
            {
                line = in.readLine();
            }
            assertTrue(line != null, "the child writer opened the store");
            try (MasterKeyStore master = TestStores.unlock(dir); AuditLog audit = TestStores.audit(dir))
            {
                final StoreException ex = assertThrows(StoreException.class, () -> SealedStore.open(
                    new StoreConfiguration(dir), master, audit, TestStores.actor()).close());
                assertTrue(ex.getMessage().contains("has another writer") && ex.getMessage().contains(
                    "by process " + child.pid()), ex.getMessage());
            }
        }
        finally
        {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        // the OS released the dead holder's lock: this process may write now
        try (MasterKeyStore master = TestStores.unlock(dir); AuditLog audit = TestStores.audit(dir);
            SealedStore store = SealedStore.open(new StoreConfiguration(dir), master, audit, TestStores.actor()))
        {
            append(store, new TestRecords(2), new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]), 0, 10);
        }
        final VerifyReport report = TestStores.verify(dir);
        assertTrue(report.findings().stream().noneMatch(f -> f.reason().contains("sequence")
            || f.reason().contains("link")), () -> report.findings().toString());
    }

    private static void append(final SealedStore store, final TestRecords records, final UnsafeBuffer buffer,
        final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            records.fill(i, buffer, 0);
            store.append(buffer, 0);
        }
        store.flush();
    }
}
