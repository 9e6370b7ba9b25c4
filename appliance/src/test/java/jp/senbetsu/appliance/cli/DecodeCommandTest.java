package jp.senbetsu.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code senbetsu decode} end to end on real captures, in process. */
class DecodeCommandTest
{
    private static Path capture(final String name)
    {
        final Path file = Path.of(System.getProperty("senbetsu.shared", "../shared")).resolve("pcaps").resolve(name);
        assumeTrue(Files.isRegularFile(file), "shared capture corpus not present: " + file);
        return file;
    }

    private record Run(int exitCode, List<String> lines, String err)
    {
    }

    private static Run run(final String... args)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final StringWriter err = new StringWriter();
        final PrintStream previous = System.out;
        final int exitCode;
        try
        {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.US_ASCII));
            final CommandLine commandLine = SenbetsuCommand.commandLine();
            commandLine.setErr(new PrintWriter(err, true));
            exitCode = commandLine.execute(args);
        }
        finally
        {
            System.setOut(previous);
        }
        final String out = bytes.toString(StandardCharsets.US_ASCII);
        return new Run(exitCode, out.isEmpty() ? List.of() : List.of(out.split("\n")), err.toString());
    }

    @Test
    void printsOneObjectPerPacketInFileOrderAcrossFiles()
    {
        final Run run = run("decode", "--stats", capture("zeek_vxlan-triple-v2.pcap").toString(),
            capture("pcapplusplus_IcmpPackets.pcap").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1 + 15, run.lines().size());
        assertTrue(run.lines().get(0).contains("\"tunnel\":{\"type\":\"vxlan\""), run.lines().get(0));
        for (final String line : run.lines())
        {
            assertTrue(line.startsWith("{\"ts\":") && line.endsWith("}") && line.contains("\"status\":\""), line);
        }
        assertTrue(run.err().startsWith("packets 16"), run.err());
    }

    @Test
    void snaplenLimitsWhatIsDecoded()
    {
        final Run run = run("decode", "--snaplen", "40", capture("zeek_vxlan-triple-v2.pcap").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.lines().get(0).contains("\"status\":\"udp.truncated\""), run.lines().get(0));
    }

    @Test
    void damagedFilePrintsThePacketsBeforeTheDamageThenFailsWithOneLine()
    {
        final Run run = run("decode", capture("suricata_http-mime-truncated.pcap").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.lines().size() > 2000, "packets before the damage: " + run.lines().size());
        assertTrue(run.err().startsWith("senbetsu: ") && run.err().contains("suricata_http-mime-truncated.pcap"),
            run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void usageErrorsExitWithTwo()
    {
        assertEquals(2, run("decode").exitCode());
        assertEquals(2, run("decode", "--snaplen", "0", "x.pcap").exitCode());
    }
}
