package jp.senbetsu.appliance.cli.store;

import java.util.concurrent.Callable;

import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.WriterLock;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.keys.MasterKeyRotation;
import jp.senbetsu.store.keys.MasterKeyStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code senbetsu store keys rotate}: new master key, every data key re-sealed, old master key destroyed. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
    description = "Rotate the master key: create a new one in the key store, re-seal every data key under it, "
        + "destroy the old one. Needs the operator role and the key store credential; audited.")
public final class StoreKeysRotateCommand implements Callable<Integer>
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
        // a running appliance keeps the old master key in memory: rotating under it would seal new partition keys
        // under a destroyed key, so rotation needs the writer lock (the appliance stopped)
        try (StoreSession session = StoreSession.open(store.directory(), Role.OPERATOR, "rotate the master key");
            WriterLock exclusive = WriterLock.acquire(session.layout());
            MasterKeyStore master = session.unlock(credential.file()))
        {
            final String fresh = MasterKeyRotation.rotate(session, master);
            spec.commandLine().getOut().printf("master key rotated: now %s%n", fresh);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
