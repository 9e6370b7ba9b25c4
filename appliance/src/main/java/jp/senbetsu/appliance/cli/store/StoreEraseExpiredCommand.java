package jp.senbetsu.appliance.cli.store;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.WriterLock;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.retention.Erasure;
import jp.senbetsu.store.retention.RetentionEraser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code senbetsu store erase-expired}: crypto-shreds partitions whose retention has passed (operator). */
@Command(name = "erase-expired", mixinStandardHelpOptions = true,
    description = "Erase every partition whose records' retention (per approval, default from init) has passed: "
        + "write the erasure entry, destroy the partition's data key, delete its files. Needs the operator role "
        + "and the key store credential (each partition is authenticated before its erasure is certified).")
public final class StoreEraseExpiredCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreDirectory store;

    @Mixin
    KeystoreCredentialOption credential;

    @Override
    public Integer call()
    {
        // a running appliance erases on its own schedule and holds the writer lock: never erase beside it
        try (StoreSession session = StoreSession.open(store.directory(), Role.OPERATOR, "erase expired partitions");
            WriterLock exclusive = WriterLock.acquire(session.layout());
            MasterKeyStore master = session.unlock(credential.file()))
        {
            final List<Erasure> erased = new RetentionEraser(session, master).eraseExpired(System.currentTimeMillis());
            final PrintWriter out = spec.commandLine().getOut();
            for (final Erasure e : erased)
            {
                out.printf("erased %s: %d records in batches %d..%d, key %s (fingerprint %s)%n", e.partition(),
                    e.records(), e.firstSequence(), e.lastSequence(), e.keyId(), e.fingerprint());
            }
            out.printf("%d partition(s) erased%n", erased.size());
            out.flush();
            return 0;
        }
    }
}
