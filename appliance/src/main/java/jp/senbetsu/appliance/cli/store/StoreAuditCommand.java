package jp.senbetsu.appliance.cli.store;

import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;

import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.audit.AuditRecord;
import jp.senbetsu.store.json.JsonWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code senbetsu store audit}: the audit log as JSON Lines; needs no data key (auditor). */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Print the audit log as JSON Lines (sequence, time, type, chain hash and the entry's fields). "
        + "Needs the auditor role and no key. Run 'store verify' to check its chain and signatures.")
public final class StoreAuditCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreDirectory store;

    @Override
    public Integer call()
    {
        try (StoreSession session = StoreSession.open(store.directory(), Role.AUDITOR, "read the audit log"))
        {
            final PrintWriter out = spec.commandLine().getOut();
            final StringBuilder line = new StringBuilder(512);
            long count = 0;
            for (final AuditRecord r : AuditLog.read(session.layout().audit()))
            {
                line.setLength(0);
                final JsonWriter json = new JsonWriter(line).begin()
                    .field("seq", r.sequence())
                    .field("time", AuditLog.isoTime(r.timeMs()))
                    .field("type", r.type() == AuditLog.TYPE_CHECKPOINT ? "checkpoint" : "entry")
                    .field("hash", HexFormat.of().formatHex(r.hash()));
                for (final Map.Entry<String, Object> e : r.fields().entrySet())
                {
                    json.field(e.getKey(), e.getValue());
                }
                json.end();
                out.println(line);
                count++;
            }
            out.flush();
            session.record(AuditEvent.AUDIT_READ, Map.of("entries", count));
            return 0;
        }
    }
}
