package jp.senbetsu.appliance.cli.store;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.json.JsonWriter;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.SealedDataKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code senbetsu store keys list}: the data keys on disk and what seals them; needs no credential (operator). */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List data keys (partition, key ID, fingerprint, master key sealing it) as JSON Lines. "
        + "Needs the operator role, no credential.")
public final class StoreKeysListCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreDirectory store;

    @Override
    public Integer call()
    {
        try (StoreSession session = StoreSession.open(store.directory(), Role.OPERATOR, "list keys"))
        {
            final PrintWriter out = spec.commandLine().getOut();
            final StringBuilder line = new StringBuilder();
            int count = 0;
            for (final SealedDataKey key : new DataKeyRing(session.layout().keys(), null).list())
            {
                line.setLength(0);
                new JsonWriter(line).begin().field("partition", key.partition()).field("keyId", key.keyIdHex())
                    .field("fingerprint", key.fingerprint()).field("masterKey", key.masterKeyId())
                    .field("keystore", session.settings().keystore()).end();
                out.println(line);
                count++;
            }
            out.flush();
            session.record(AuditEvent.KEY_LIST, Map.of("keys", count));
            return 0;
        }
    }
}
