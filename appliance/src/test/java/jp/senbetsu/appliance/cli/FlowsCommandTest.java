package jp.senbetsu.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FlowsCommandTest
{
    private static final Path PCAPS = Path.of(System.getProperty("senbetsu.shared", "../shared")).resolve("pcaps");
    private static final Pattern KEYS = Pattern.compile(
        "\\{\"start\":(\\d+),\"end\":(\\d+),\"src\":\"[^\"]+\",\"dst\":\"[^\"]+\",\"sport\":(\\d+|null),"
            + "\"dport\":(\\d+|null),\"proto\":(\\d+),\"icmp_type\":(\\d+|null),\"icmp_code\":(\\d+|null),"
            + "\"packets\":(\\d+),\"bytes\":(\\d+),\"wbytes\":(\\d+),\"rpackets\":(\\d+),\"rbytes\":(\\d+),"
            + "\"rwbytes\":(\\d+),\"flags\":(\\d+|null),\"rflags\":(\\d+|null),"
            + "\"end_reason\":\"(idle|active|end|forced|resources)\",\"vlan\":(\\d+|null),\"tunnel\":(null|\\{.*\\})}");

    private static List<String> run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = new CommandLine(new FlowsCommand().output(out)).execute(args);
        assertEquals(0, exit);
        return out.toString(StandardCharsets.US_ASCII).lines().toList();
    }

    @Test
    void withTimeoutsOffEveryIpPacketIsInExactlyOneForcedFlow()
    {
        final Path capture = PCAPS.resolve("zeek_wikipedia.pcap");
        assumeTrue(Files.exists(capture), "shared captures not present at " + PCAPS + ": skipped");
        final List<String> lines = run("--idle-timeout", "0", "--active-timeout", "0", capture.toString());
        long packets = 0;
        long previousEnd = 0;
        for (final String line : lines)
        {
            final Matcher m = KEYS.matcher(line);
            assertTrue(m.matches(), line);
            assertEquals("forced", m.group(16), "nothing times out and no TCP conversation closes in this capture");
            assertTrue(Long.parseLong(m.group(1)) <= Long.parseLong(m.group(2)));
            packets += Long.parseLong(m.group(8)) + Long.parseLong(m.group(11));
            previousEnd = Math.max(previousEnd, Long.parseLong(m.group(2)));
        }
        assertEquals(126, packets, "tshark: 126 of the 136 frames are IPv4 or IPv6");
    }

    @Test
    void shortTimeoutsSplitTheSameTrafficIntoMoreFlowsWithoutLosingPackets()
    {
        final Path capture = PCAPS.resolve("zeek_wikipedia.pcap");
        assumeTrue(Files.exists(capture), "shared captures not present at " + PCAPS + ": skipped");
        final List<String> untimed = run("--idle-timeout", "0", "--active-timeout", "0", capture.toString());
        final List<String> timed = run("--idle-timeout", "500ms", "--active-timeout", "2s", capture.toString());
        assertTrue(timed.size() > untimed.size(), timed.size() + " vs " + untimed.size());
        long packets = 0;
        int timeouts = 0;
        for (final String line : timed)
        {
            final Matcher m = KEYS.matcher(line);
            assertTrue(m.matches(), line);
            packets += Long.parseLong(m.group(8)) + Long.parseLong(m.group(11));
            timeouts += m.group(16).equals("idle") || m.group(16).equals("active") ? 1 : 0;
        }
        assertEquals(126, packets);
        assertTrue(timeouts > 0);
    }

    @Test
    void statsCountEveryFrameReadAndEveryFlowPrinted()
    {
        final Path capture = PCAPS.resolve("zeek_wikipedia.pcap");
        assumeTrue(Files.exists(capture), "shared captures not present at " + PCAPS + ": skipped");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final StringWriter err = new StringWriter();
        final CommandLine cli = new CommandLine(new FlowsCommand().output(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(0, cli.execute("--stats", "--idle-timeout", "0", "--active-timeout", "0", capture.toString()));
        final long flows = out.toString(StandardCharsets.US_ASCII).lines().count();
        final Matcher m = Pattern.compile(
            "flows: (\\d+) packets, (\\d+) flows; pipeline \\d+\\.\\d{3} s \\(\\d+\\.\\d{2} M packets/s\\), "
                + "JVM start-up before it \\d+\\.\\d{3} s; flow table memory (locked|NOT locked \\(swappable: raise "
                + "RLIMIT_MEMLOCK\\))\\R").matcher(err.toString());
        assertTrue(m.matches(), err.toString());
        assertEquals(136, Long.parseLong(m.group(1)), "every frame of the capture was read");
        assertEquals(flows, Long.parseLong(m.group(2)), "one ended flow per line printed");
        assertTrue(flows > 0);
    }

    @Test
    void mistakesAreReportedWithTheirExitCode() throws Exception
    {
        final StringWriter err = new StringWriter();
        final CommandLine cli = SenbetsuCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("flows", "--idle-timeout", "soon", "x.pcap"));
        assertTrue(err.toString().contains("soon"), err.toString());

        final Path missing = Files.createTempDirectory("flows").resolve("missing.pcap");
        final StringWriter err2 = new StringWriter();
        final CommandLine cli2 = SenbetsuCommand.commandLine();
        cli2.setErr(new PrintWriter(err2));
        assertEquals(1, cli2.execute("flows", missing.toString()));
        assertTrue(err2.toString().contains("missing.pcap"), err2.toString());
    }
}
