package jp.senbetsu.store;

import java.io.PrintStream;
import java.nio.file.Path;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.KeystoreCredential;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.PassphraseKeyFile;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Child process of {@link CrashRecoveryTest}: appends records at full speed and prints {@code ack <sequence>}
 * (flushed) each time a batch is acknowledged, until it is killed.
 */
public final class CrashWriter
{
    private CrashWriter()
    {
    }

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        final StoreSettings settings = StoreSettings.load(new StoreLayout(dir).settings());
        final KeystoreCredential credential = KeystoreCredential.resolve(null);
        try (MasterKeyStore master = PassphraseKeyFile.open(settings.keystoreLocation(), credential.secret());
            AuditLog audit = TestStores.audit(dir);
            SealedStore store = SealedStore.open(new StoreConfiguration(dir), master, audit, TestStores.actor()))
        {
            final TestRecords records = new TestRecords(seed);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
            out.println("ready " + store.lastAcknowledgedSequence());
            out.flush();
            long acked = store.lastAcknowledgedSequence();
            for (long i = 0; ; i++)
            {
                records.fill(i, buffer, 0);
                store.append(buffer, 0);
                final long now = store.lastAcknowledgedSequence();
                if (now != acked)
                {
                    acked = now;
                    out.println("ack " + acked);
                    out.flush();
                }
            }
        }
    }
}
