package jp.senbetsu.appliance.cli.store;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.keys.KeystoreCredential;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.query.RecordQuery;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code senbetsu store export}: selected records to a file for a recipient, plain or encrypted (analyst). */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write selected records matching the filters to a JSON Lines or IPFIX file for a recipient, plain or "
        + "encrypted (AES-256-GCM under a passphrase agreed with the recipient). The file appears only when "
        + "complete. Needs the analyst role, purpose, approval ID and key store credential; audited.")
public final class StoreExportCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreDirectory store;

    @Mixin
    KeystoreCredentialOption credential;

    @Mixin
    RecordFilterOptions filter;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "File to write.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "JSONL",
        description = "File format: ${COMPLETION-CANDIDATES} (IPFIX: RFC 7011 messages with standard information "
            + "elements, as an RFC 5655 file) (default: ${DEFAULT-VALUE}).")
    RecordQuery.Format format;

    @Option(names = "--recipient-passphrase-file", paramLabel = "FILE",
        description = "Encrypt for the recipient with the passphrase in FILE (first line); plain if absent.")
    Path recipient;

    @Override
    public Integer call()
    {
        final char[] passphrase = recipient == null ? null : KeystoreCredential.fromFile(recipient).secret();
        try (StoreSession session = StoreSession.open(store.directory(), Role.ANALYST, "export records");
            MasterKeyStore master = session.unlock(credential.file()))
        {
            final long records = new RecordQuery(session, master).export(filter.filter(), filter.describe(),
                filter.purpose(), output, format, passphrase);
            spec.commandLine().getOut().printf("exported %d records to %s (%s, %s)%n", records, output,
                format == RecordQuery.Format.IPFIX ? "IPFIX" : "JSON Lines", passphrase == null ? "plain" : "encrypted");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
