package jp.senbetsu.appliance.cli.store;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.chain.ChainVerifier;
import jp.senbetsu.store.chain.Finding;
import jp.senbetsu.store.chain.VerifyReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code senbetsu store verify}: proves the batch chain and the audit chain without any key (auditor). */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify the store's hash chain (across partitions and erasures) and the signed audit log. "
        + "Needs no key. Exit 1 with one line per finding if anything is wrong.")
public final class StoreVerifyCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreDirectory store;

    @Option(names = "--audit-key", paramLabel = "FILE",
        description = "Appliance public key recorded out of band (default: the store's keys/appliance.ed25519.pub).")
    Path auditKey;

    @Override
    public Integer call()
    {
        try (StoreSession session = StoreSession.open(store.directory(), Role.AUDITOR, "verify the store"))
        {
            final Path key = auditKey != null ? auditKey
                : session.layout().keys().resolve(ApplianceKey.PUBLIC_FILE);
            final VerifyReport report =
                new ChainVerifier(session.layout(), session.settings(), ApplianceKey.loadPublic(key)).verify();
            final PrintWriter out = spec.commandLine().getOut();
            for (final String note : report.notes())
            {
                out.println("note: " + note);
            }
            for (final Finding finding : report.findings())
            {
                out.println("FINDING " + finding);
            }
            out.printf("store: %d partitions (%d erased), %d batches, %d records, %d bytes, last batch %d, head %s%n",
                report.partitions(), report.erasedPartitions(), report.batches(), report.records(), report.bytes(),
                report.lastSequence(), report.headHash());
            out.printf("audit: %d entries, signed through entry %d, head %s%n", report.auditEntries(),
                report.auditLastSigned(), report.auditHeadHash());
            out.flush();
            final Map<String, Object> details = new LinkedHashMap<>();
            details.put("result", report.ok() ? "verified" : "failed");
            details.put("findings", report.findings().size());
            details.put("lastSequence", report.lastSequence());
            details.put("head", report.headHash());
            session.record(AuditEvent.VERIFY, details);
            if (!report.ok())
            {
                final Finding first = report.findings().get(0);
                throw new StoreException(first.partition(), first.sequence(), "verification failed with "
                    + report.findings().size() + " finding(s); first: " + first.reason());
            }
            out.println("verified");
            out.flush();
            return 0;
        }
    }
}
