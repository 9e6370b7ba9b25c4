package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.KeystoreCredential;
import jp.senbetsu.store.keys.KeystoreException;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.MasterKeyStores;
import jp.senbetsu.store.keys.Pkcs11Token;
import jp.senbetsu.store.partition.PartitionCycle;
import jp.senbetsu.store.query.RecordReader;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master key in a PKCS#11 token (SoftHSM2 through SunPKCS11): records sealed under data keys wrapped by a
 * token key read back after a fresh login; wrong PIN, missing token and a corrupted wrapped key give clear errors
 * before any record is produced; rotation re-seals every data key and destroys the old token key.
 */
class Pkcs11KeystoreTest
{
    private static Path config;

    @TempDir
    Path dir;

    @BeforeAll
    static void token() throws Exception
    {
        config = SoftHsmToken.providerConfig();
    }

    @Test
    void recordsSealedUnderATokenKeyReadBackAfterAFreshLogin()
    {
        final StoreSettings settings = initAndWrite(600);
        try (MasterKeyStore master = login(settings, SoftHsmToken.PIN))
        {
            assertEquals(600, readAll(master));
        }
        assertTrue(TestStores.verify(dir).ok());
    }

    @Test
    void wrongPinIsRefusedClearly()
    {
        final StoreSettings settings = initAndWrite(10);
        final KeystoreException ex = assertThrows(KeystoreException.class, () -> login(settings, "9999"));
        assertTrue(ex.getMessage().contains("wrong PIN"), ex.getMessage());
    }

    @Test
    void missingTokenIsRefusedClearly() throws Exception
    {
        final StoreSettings settings = initAndWrite(10);
        final Path noSlot = dir.resolve("no-slot.cfg");
        Files.writeString(noSlot, "name = Missing\nlibrary = " + SoftHsmToken.LIBRARY + "\nslotListIndex = 9\n");
        final KeystoreException a = assertThrows(KeystoreException.class,
            () -> Pkcs11Token.login(noSlot, SoftHsmToken.PIN.toCharArray(), "x"));
        assertTrue(a.getMessage().contains("PKCS#11 token not available"), a.getMessage());
        final Path noLibrary = dir.resolve("no-library.cfg");
        Files.writeString(noLibrary, "name = Gone\nlibrary = /nonexistent/libpkcs11.so\nslotListIndex = 0\n");
        final KeystoreException b = assertThrows(KeystoreException.class,
            () -> Pkcs11Token.login(noLibrary, SoftHsmToken.PIN.toCharArray(), "x"));
        assertTrue(b.getMessage().contains("PKCS#11 token not available"), b.getMessage());
        final KeystoreException c = assertThrows(KeystoreException.class,
            () -> Pkcs11Token.login(dir.resolve("absent.cfg"), SoftHsmToken.PIN.toCharArray(), "x"));
        assertTrue(c.getMessage().contains("not found"), c.getMessage());
        assertTrue(settings.keystore().equals(StoreSettings.PKCS11));
    }

    @Test
    void corruptedWrappedKeyIsRefusedBeforeAnyRecord() throws Exception
    {
        final StoreSettings settings = initAndWrite(300);
        final String partition = PartitionCycle.name(TestStores.T0);
        final Path keyFile = new StoreLayout(dir).keys().resolve("data").resolve(partition + ".key");
        final byte[] bytes = Files.readAllBytes(keyFile);
        bytes[bytes.length - 20] ^= 0x40;
        Files.write(keyFile, bytes);
        try (MasterKeyStore master = login(settings, SoftHsmToken.PIN))
        {
            final long[] seen = {0};
            final KeystoreException ex = assertThrows(KeystoreException.class, () -> reader(master)
                .scan(Long.MIN_VALUE, (r, p, b) -> seen[0]++));
            assertTrue(ex.getMessage().contains("does not authenticate"), ex.getMessage());
            assertEquals(0, seen[0], "no record before the key error");
        }
    }

    @Test
    void rotationResealsDataKeysAndDestroysTheOldTokenKey()
    {
        final StoreSettings settings = initAndWrite(500);
        try (MasterKeyStore master = login(settings, SoftHsmToken.PIN);
            StoreSession session = StoreSession.open(dir, jp.senbetsu.store.access.Role.OPERATOR, "rotate keys"))
        {
            final String old = master.currentMasterKeyId();
            final String fresh = jp.senbetsu.store.keys.MasterKeyRotation.rotate(session, master);
            assertFalse(old.equals(fresh));
            assertFalse(((Pkcs11Token)master).masterKeyIds().contains(old), "old token key destroyed");
            assertEquals(500, readAll(master));
        }
    }

    private StoreSettings initAndWrite(final int count)
    {
        StoreInitializer.init(dir, PartitionCycle.HOURLY, StoreSettings.PKCS11, config,
            new KeystoreCredential(SoftHsmToken.PIN.toCharArray(), "test"), TestStores.everyone(),
            StoreSettings.DEFAULT_RETENTION);
        final StoreSettings settings = StoreSettings.load(new StoreLayout(dir).settings());
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(TestStores.T0 + 10);
        final TestRecords records = new TestRecords(11);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        try (MasterKeyStore master = login(settings, SoftHsmToken.PIN); AuditLog audit = TestStores.audit(dir);
            SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                TestStores.actor()))
        {
            for (int i = 0; i < count; i++)
            {
                records.fill(i, buffer, 0);
                store.append(buffer, 0);
            }
        }
        return settings;
    }

    private static MasterKeyStore login(final StoreSettings settings, final String pin)
    {
        return MasterKeyStores.open(settings.keystore(), settings.keystoreLocation(), settings.storeId(),
            new KeystoreCredential(pin.toCharArray(), "test"));
    }

    private RecordReader reader(final MasterKeyStore master)
    {
        final StoreLayout layout = new StoreLayout(dir);
        return new RecordReader(layout, StoreSettings.load(layout.settings()), new DataKeyRing(layout.keys(), master));
    }

    private long readAll(final MasterKeyStore master)
    {
        final TestRecords records = new TestRecords(11);
        final UnsafeBuffer expected = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        final long[] i = {0};
        return reader(master).scan(Long.MIN_VALUE, (record, partition, batch) ->
        {
            records.fill(i[0]++, expected, 0);
            assertTrue(TestRecords.sameRecord(expected, record), "record " + (i[0] - 1));
        });
    }
}
