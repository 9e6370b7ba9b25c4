package jp.senbetsu.appliance.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import jp.senbetsu.appliance.daemon.Appliance;
import jp.senbetsu.appliance.daemon.ApplianceConfiguration;
import jp.senbetsu.store.json.JsonWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code senbetsu ingest}: runs capture files through the whole appliance — decode, classify, flows, signed
 * selection, sealing — into the configured store, exactly as a live feed would go, and prints only counters.
 * Unselected flows leave nothing but those counters; selected ones are read back with {@code senbetsu store query}.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
        "Run capture files through the full pipeline into the sealed store, as the appliance would a live feed.",
        "Prints counters only (JSON): packets, flows selected per category, discarded per category and reason,",
        "records acknowledged by the store. The live sources of the configuration are not started." })
public final class IngestCommand implements Callable<Integer>
{
    @Option(names = { "-c", "--config" }, required = true, paramLabel = "FILE",
        description = "The appliance configuration (YAML; docs/configuration.md).")
    Path config;

    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "pcap, pcapng or gzip-compressed capture files.")
    List<Path> captures;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        final ApplianceConfiguration configuration = ApplianceConfiguration.load(config);
        final long packets;
        final Map<String, Long> totals;
        final long acknowledged;
        final long sequence;
        try (Appliance appliance = Appliance.start(configuration, config, "ingest capture files", false))
        {
            packets = appliance.ingest(captures);
            appliance.close();
            totals = appliance.selectionTotals();
            acknowledged = appliance.recordsAcknowledged();
            sequence = appliance.lastAcknowledgedSequence();
        }
        final PrintWriter out = spec.commandLine().getOut();
        final StringBuilder json = new StringBuilder(256);
        final JsonWriter writer = new JsonWriter(json).begin().field("packets", packets);
        totals.forEach((name, count) -> writer.field(name, count.longValue()));
        writer.field("records_acknowledged", acknowledged).field("last_acknowledged_sequence", sequence).end();
        out.println(json);
        out.flush();
        return 0;
    }
}
