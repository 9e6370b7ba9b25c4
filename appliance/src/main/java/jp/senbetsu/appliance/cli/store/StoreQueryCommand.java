package jp.senbetsu.appliance.cli.store;

import java.util.concurrent.Callable;

import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.query.RecordQuery;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code senbetsu store query}: selected records as JSON Lines (analyst, with purpose and credential). */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Print selected records matching the filters as JSON Lines. Needs the analyst role, a stated "
        + "purpose and approval ID, and the key store credential. Verifies and authenticates everything it reads "
        + "before printing anything; audited.")
public final class StoreQueryCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreDirectory store;

    @Mixin
    KeystoreCredentialOption credential;

    @Mixin
    RecordFilterOptions filter;

    @Override
    public Integer call()
    {
        try (StoreSession session = StoreSession.open(store.directory(), Role.ANALYST, "query records");
            MasterKeyStore master = session.unlock(credential.file()))
        {
            new RecordQuery(session, master).query(filter.filter(), filter.describe(), filter.purpose(),
                spec.commandLine().getOut());
            return 0;
        }
    }
}
