package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.KeystoreException;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.PassphraseKeyFile;
import jp.senbetsu.store.partition.PartitionCycle;
import jp.senbetsu.store.query.Purpose;
import jp.senbetsu.store.query.RecordFilter;
import jp.senbetsu.store.query.RecordQuery;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab key store: a wrong passphrase, a corrupted key file and a corrupted wrapped data key each give a clear
 * error, are audited as failed access, and produce no output at all.
 */
class PassphraseKeystoreTest
{
    @TempDir
    Path dir;
    private Path keyFile;

    @BeforeEach
    void store()
    {
        TestStores.init(dir);
        keyFile = StoreSettings.load(new StoreLayout(dir).settings()).keystoreLocation();
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(TestStores.T0 + 1);
        final TestRecords records = new TestRecords(5);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        try (MasterKeyStore master = TestStores.unlock(dir); AuditLog audit = TestStores.audit(dir);
            SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                TestStores.actor()))
        {
            for (int i = 0; i < 700; i++)
            {
                records.fill(i, buffer, 0);
                store.append(buffer, 0);
            }
        }
    }

    @Test
    void keyFileUsesAtLeast600kPbkdf2Iterations() throws Exception
    {
        final Properties p = new Properties();
        try (var in = Files.newInputStream(keyFile))
        {
            p.load(in);
        }
        assertEquals("PBKDF2WithHmacSHA256", p.getProperty("kdf"));
        assertTrue(Integer.parseInt(p.getProperty("iterations")) >= 600_000);
        assertTrue(Files.readString(keyFile).indexOf(TestStores.PASSPHRASE) < 0);
    }

    @Test
    void wrongPassphraseIsRefusedAuditedAndProducesNothing() throws Exception
    {
        final Path credential = dir.resolveSibling("wrong.txt");
        Files.writeString(credential, "not the passphrase\n");
        final StringWriter out = new StringWriter();
        try (StoreSession session = StoreSession.open(dir, Role.ANALYST, "query records"))
        {
            final KeystoreException ex = assertThrows(KeystoreException.class, () ->
                new RecordQuery(session, session.unlock(credential)).query(new RecordFilter(), "all",
                    new Purpose("incident 42", "ACD-2026-0001"), out));
            assertTrue(ex.getMessage().contains("wrong passphrase for key file"), ex.getMessage());
        }
        assertEquals("", out.toString());
        assertTrue(AuditLog.read(new StoreLayout(dir).audit()).stream().anyMatch(r ->
            AuditEvent.ACCESS_DENIED.label().equals(r.event()) && r.body().contains("wrong passphrase")));
        Files.delete(credential);
    }

    @Test
    void corruptedKeyFileIsToldApartFromAWrongPassphrase() throws Exception
    {
        final Properties p = new Properties();
        try (var in = Files.newInputStream(keyFile))
        {
            p.load(in);
        }
        final String current = p.getProperty("current");
        final byte[] blob = java.util.Base64.getDecoder().decode(p.getProperty("key." + current));
        blob[20] ^= 1;
        p.setProperty("key." + current, java.util.Base64.getEncoder().encodeToString(blob));
        try (var out = Files.newOutputStream(keyFile))
        {
            p.store(out, null);
        }
        final KeystoreException ex = assertThrows(KeystoreException.class,
            () -> PassphraseKeyFile.open(keyFile, TestStores.PASSPHRASE.toCharArray()));
        assertTrue(ex.getMessage().contains("corrupted"), ex.getMessage());
        assertFalse(ex.getMessage().contains("wrong passphrase"));
    }

    @Test
    void corruptedWrappedDataKeyStopsAQueryBeforeAnyOutput() throws Exception
    {
        final Path sealed = new StoreLayout(dir).keys().resolve("data")
            .resolve(PartitionCycle.name(TestStores.T0) + ".key");
        final byte[] bytes = Files.readAllBytes(sealed);
        bytes[bytes.length - 1] ^= 0x10;
        Files.write(sealed, bytes);
        final StringWriter out = new StringWriter();
        try (StoreSession session = StoreSession.open(dir, Role.ANALYST, "query records");
            MasterKeyStore master = TestStores.unlock(dir))
        {
            final KeystoreException ex = assertThrows(KeystoreException.class, () ->
                new RecordQuery(session, master).query(new RecordFilter(), "all",
                    new Purpose("incident 42", "ACD-2026-0001"), out));
            assertTrue(ex.getMessage().contains("does not authenticate under master key"), ex.getMessage());
        }
        assertEquals("", out.toString(), "no partial output");
    }

    @Test
    void tooFewIterationsAreRefused()
    {
        assertThrows(KeystoreException.class, () -> PassphraseKeyFile.create(dir.resolve("weak.key"),
            "long enough passphrase".toCharArray(), 100_000));
    }
}
