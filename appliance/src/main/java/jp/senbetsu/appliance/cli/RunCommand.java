package jp.senbetsu.appliance.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jp.senbetsu.appliance.daemon.Appliance;
import jp.senbetsu.appliance.daemon.ApplianceConfiguration;
import jp.senbetsu.capture.SenbetsuException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code senbetsu run}: the appliance daemon. Captures from the configured live sources until SIGTERM or SIGINT,
 * then drains and seals everything before exiting. SIGHUP re-reads the rule set and table and activates them
 * atomically if they verify; otherwise the previous set stays active and the refusal is audited.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Run the appliance on its live sources until SIGTERM/SIGINT; SIGHUP reloads the signed rule set.",
        "Serves counters at http://<metrics.bind>:<metrics.port>/metrics (Prometheus text format)." })
public final class RunCommand implements Callable<Integer>
{
    @Option(names = { "-c", "--config" }, required = true, paramLabel = "FILE",
        description = "The appliance configuration (YAML; docs/configuration.md).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    @SuppressWarnings("removal")
    public Integer call() throws InterruptedException
    {
        final ApplianceConfiguration configuration = ApplianceConfiguration.load(config);
        if (configuration.sources().isEmpty())
        {
            throw new SenbetsuException(config + ": capture.sources: no live source is configured (use "
                + "'senbetsu ingest' for capture files)", SenbetsuException.EXIT_USAGE, null);
        }
        final PrintWriter err = spec.commandLine().getErr();
        final Appliance appliance = Appliance.start(configuration, config, "run the appliance", true);
        // registered before the sources start, so a SIGTERM at any moment from here on drains and seals
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            try
            {
                appliance.close();
            }
            catch (final RuntimeException ex)
            {
                System.err.println("senbetsu: stopping failed: " + ex.getMessage());
                Runtime.getRuntime().halt(SenbetsuException.EXIT_RUNTIME);
            }
        }, "senbetsu-shutdown"));
        try
        {
            appliance.startLive();
        }
        catch (final RuntimeException ex)
        {
            appliance.close();
            throw ex;
        }
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal ->
        {
            final SenbetsuException refused = appliance.reloadSelection();
            err.println(refused == null ? "senbetsu: rule set reloaded and activated" :
                "senbetsu: rule set refused, previous set stays active: " + refused.getMessage());
            err.flush();
        });
        err.println("senbetsu: running with " + configuration.sources().size() + " source(s); metrics on port "
            + appliance.metricsPort());
        err.flush();
        // returns only when a stage fails fatally; a SIGTERM ends the process through the shutdown hook
        final Throwable fatal = appliance.awaitFatal();
        try
        {
            appliance.close();
        }
        catch (final RuntimeException ex)
        {
            err.println("senbetsu: stopping after the failure also failed: " + ex.getMessage());
        }
        throw new SenbetsuException("the appliance stopped: " + fatal.getMessage(), fatal);
    }
}
