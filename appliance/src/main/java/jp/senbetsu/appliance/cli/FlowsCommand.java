package jp.senbetsu.appliance.cli;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.flow.FlowMetrics;
import jp.senbetsu.capture.lab.FlowJsonWriter;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.ring.RingPublisher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Lab tool {@code senbetsu flows}: runs capture files the operator already holds through the same pipeline as
 * the appliance (file → ring → decode → flow meter) and prints each flow as one JSON line when it ends, in end
 * order (keys in docs/flows.md). Files are read one after the other as one capture. No classifier runs, so
 * every IP flow is printed; it never reads a live feed.
 */
@Command(
    name = "flows",
    mixinStandardHelpOptions = true,
    description = "Print the bidirectional flows of capture files as JSON Lines, one per flow when it ends.")
public final class FlowsCommand implements Callable<Integer>
{
    @Option(names = "--idle-timeout", converter = DurationConverter.class, paramLabel = "D",
        description = "End a flow after this long without a packet; 0 = never (default: 60s).")
    Duration idleTimeout = Duration.ofNanos(FlowConfiguration.DEFAULT_IDLE_TIMEOUT_NS);

    @Option(names = "--active-timeout", converter = DurationConverter.class, paramLabel = "D",
        description = "End (and restart) a flow that has lasted this long; 0 = never (default: 1800s).")
    Duration activeTimeout = Duration.ofNanos(FlowConfiguration.DEFAULT_ACTIVE_TIMEOUT_NS);

    @Option(names = "--max-flows", paramLabel = "N",
        description = "Open flows held at most; the oldest beyond it end as 'resources' (default: ${DEFAULT-VALUE}).")
    int maxFlows = FlowConfiguration.DEFAULT_MAX_FLOWS;

    @Option(names = "--vlan-key", description = "Make the outermost VLAN ID part of the flow key.")
    boolean vlanKey;

    @Option(names = "--tunnel-key", description = "Make the tunnel type and ID part of the flow key.")
    boolean tunnelKey;

    @Option(names = "--stats", description = "When done, print packet and flow counts and the time taken to"
        + " standard error (JVM start-up, the pipeline's run, packets per second).")
    boolean stats;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "pcap, pcapng or gzip-compressed capture files.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    private OutputStream output;

    /** For tests: print somewhere other than standard output. */
    FlowsCommand output(final OutputStream out)
    {
        this.output = out;
        return this;
    }

    @Override
    public Integer call() throws IOException
    {
        final FlowConfiguration flowConfiguration = new FlowConfiguration()
            .idleTimeoutNs(idleTimeout.toNanos())
            .activeTimeoutNs(activeTimeout.toNanos())
            .maxFlows(maxFlows)
            .vlanInKey(vlanKey)
            .tunnelInKey(tunnelKey)
            // one capture, then exit: pay only for the table entries the capture's flows use
            .prefaultMemory(false);
        try
        {
            flowConfiguration.validate();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new SenbetsuException(ex.getMessage(), SenbetsuException.EXIT_USAGE, ex);
        }
        final BufferedOutputStream out = new BufferedOutputStream(
            output != null ? output : new FileOutputStream(FileDescriptor.out), 1 << 16);
        final FlowJsonWriter writer = new FlowJsonWriter();
        final MetricsRegistry metrics = new MetricsRegistry();
        final long startNs = System.nanoTime();
        final Throwable stageError = CaptureFilePipeline.run(files, flowConfiguration, null, flow ->
        {
            try
            {
                writer.write(flow, out);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }, metrics);
        out.flush();
        if (stats)
        {
            printStats(metrics, System.nanoTime() - startNs);
        }
        CaptureFilePipeline.throwIfFailed(stageError);
        return 0;
    }

    /**
     * The run's counts and times, for measuring the tool (bench/run-flows.sh): the pipeline's own time (tables
     * built, every file read and metered, every flow printed) apart from the JVM's start-up before it.
     */
    private void printStats(final MetricsRegistry metrics, final long pipelineNs)
    {
        final long packets = metrics.sum(RingPublisher.PACKETS);
        final long flows = metrics.sum(FlowMetrics.ENDED);
        final boolean locked = metrics.sum(FlowMetrics.MEMORY_LOCKED) > 0;
        final double pipelineSeconds = pipelineNs / 1e9;
        final double startupSeconds = Math.max(0,
            ManagementFactory.getRuntimeMXBean().getUptime() / 1e3 - pipelineSeconds);
        final PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT,
            "flows: %d packets, %d flows; pipeline %.3f s (%.2f M packets/s), JVM start-up before it %.3f s;"
                + " flow table memory %s%n",
            packets, flows, pipelineSeconds, packets / pipelineSeconds / 1e6, startupSeconds,
            locked ? "locked" : "NOT locked (swappable: raise RLIMIT_MEMLOCK)");
        err.flush();
    }
}
