package jp.senbetsu.appliance.cli.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import jp.senbetsu.store.StoreInitializer;
import jp.senbetsu.store.access.AccessPolicy;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.keys.KeystoreCredential;
import jp.senbetsu.store.partition.PartitionCycle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code senbetsu store init}: creates an empty store with its master key, audit key and role assignments. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create a new sealed store: directories (0700), master key, audit signing key, roles.")
public final class StoreInitCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreDirectory store;

    @Mixin
    KeystoreCredentialOption credential;

    @Option(names = "--partition", paramLabel = "CYCLE", defaultValue = "HOURLY",
        description = "Partition width: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    PartitionCycle cycle;

    @Option(names = "--keystore", paramLabel = "TYPE", defaultValue = "passphrase",
        description = "Master key store: passphrase (key file, labs) or pkcs11 (HSM) (default: ${DEFAULT-VALUE}).")
    String keystore;

    @Option(names = "--keystore-location", paramLabel = "FILE",
        description = "passphrase: key file to create (default: <store>/keys/master.key); "
            + "pkcs11: SunPKCS11 configuration file of the token.")
    Path location;

    @Option(names = "--operator", split = ",", paramLabel = "USER", description = "OS users holding the operator "
        + "role.")
    List<String> operators = new ArrayList<>();

    @Option(names = "--analyst", split = ",", paramLabel = "USER", description = "OS users holding the analyst role.")
    List<String> analysts = new ArrayList<>();

    @Option(names = "--auditor", split = ",", paramLabel = "USER", description = "OS users holding the auditor role.")
    List<String> auditors = new ArrayList<>();

    @Option(names = "--retention-days", paramLabel = "DAYS", defaultValue = "730",
        description = "Retention for approvals that state none (default: ${DEFAULT-VALUE}).")
    long retentionDays;

    @Override
    public Integer call()
    {
        final Map<Role, Set<String>> users = new EnumMap<>(Role.class);
        users.put(Role.OPERATOR, new LinkedHashSet<>(operators));
        users.put(Role.ANALYST, new LinkedHashSet<>(analysts));
        users.put(Role.AUDITOR, new LinkedHashSet<>(auditors));
        if (operators.isEmpty())
        {
            users.get(Role.OPERATOR).add(System.getProperty("user.name"));
        }
        final StoreInitializer.Result result = StoreInitializer.init(store.directory(), cycle, keystore, location,
            KeystoreCredential.resolve(credential.file()), AccessPolicy.of(users), Duration.ofDays(retentionDays));
        spec.commandLine().getOut().printf("store %s created at %s%n", result.storeId(),
            store.directory().toAbsolutePath());
        spec.commandLine().getOut().printf("master key %s; audit signing key fingerprint %s "
            + "(record it out of band for auditors)%n", result.masterKeyId(), result.auditKeyFingerprint());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
