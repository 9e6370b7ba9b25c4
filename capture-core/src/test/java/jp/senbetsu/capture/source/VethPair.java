package jp.senbetsu.capture.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway veth pair for live-capture tests: one end stays in this process's namespace (where the test
 * captures), the other is moved into a new network namespace (where tcpreplay sends). Neither end has an
 * address and IPv6 is off on both, so the only frames on the wire are the ones the test replays, and nothing
 * can leave the machine. Names are random per run; {@link #close()} deletes the namespace and with it the pair.
 */
public final class VethPair implements AutoCloseable
{
    public final String namespace;
    public final String captureEnd;
    public final String sendEnd;

    private VethPair(final String suffix)
    {
        namespace = "sbt" + suffix;
        captureEnd = "sbc" + suffix;
        sendEnd = "sbs" + suffix;
    }

    /** Creates the pair, or skips the test (fails it under CI=true) when this machine cannot. */
    public static VethPair create() throws IOException, InterruptedException
    {
        final boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        final boolean root = "root".equals(System.getProperty("user.name"));
        final boolean tools = run(false, "ip", "-V") == 0 && run(false, "tcpreplay", "-V") == 0;
        if (!ci)
        {
            Assumptions.assumeTrue(root, "live capture test skipped: needs root for network namespaces");
            Assumptions.assumeTrue(tools, "live capture test skipped: needs iproute2 and tcpreplay");
        }
        final VethPair pair = new VethPair(Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF)));
        try
        {
            pair.exec("ip", "netns", "add", pair.namespace);
            pair.exec("ip", "link", "add", pair.captureEnd, "type", "veth", "peer", "name", pair.sendEnd);
            pair.exec("ip", "link", "set", pair.sendEnd, "netns", pair.namespace);
            pair.exec("sysctl", "-q", "-w", "net.ipv6.conf." + pair.captureEnd + ".disable_ipv6=1");
            pair.exec("ip", "netns", "exec", pair.namespace,
                "sysctl", "-q", "-w", "net.ipv6.conf." + pair.sendEnd + ".disable_ipv6=1");
            pair.exec("ip", "link", "set", pair.captureEnd, "up");
            pair.exec("ip", "-n", pair.namespace, "link", "set", pair.sendEnd, "up");
            return pair;
        }
        catch (final IOException | RuntimeException e)
        {
            pair.close();
            throw e;
        }
    }

    /** Replays a capture file out of the namespace end, at top speed. */
    public void replay(final String pcapFile) throws IOException, InterruptedException
    {
        exec("ip", "netns", "exec", namespace, "tcpreplay", "-q", "--topspeed", "-i", sendEnd, pcapFile);
    }

    @Override
    public void close() throws IOException, InterruptedException
    {
        run(false, "ip", "link", "del", captureEnd);
        run(false, "ip", "netns", "del", namespace);
    }

    private void exec(final String... command) throws IOException, InterruptedException
    {
        if (run(true, command) != 0)
        {
            throw new IOException("command failed: " + String.join(" ", command));
        }
    }

    private static int run(final boolean inheritErrors, final String... command)
        throws IOException, InterruptedException
    {
        final List<String> args = new ArrayList<>(List.of(command));
        final ProcessBuilder builder = new ProcessBuilder(args).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(inheritErrors ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException notInstalled)
        {
            return -1;
        }
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
