package jp.senbetsu.capture.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Packet by packet against tshark, run now on the corpus files that exercise the container rather than the
 * protocols: every pcapng file, big-endian and nanosecond pcaps, gzip, and the files whose captured length
 * exceeds the wire length or the snaplen, or whose link-type field carries FCS bits. For each packet the
 * section-local interface ID (tshark 4.0's {@code frame.interface_id}), the timestamp in nanoseconds, the
 * wire and the captured length must agree. tshark's custom-block frames (no interface) are not packets.
 * SPB frames have no time in tshark; timestamps of files with invalid sub-second values are our own
 * decision (carried), so those are compared on lengths only. Timestamps beyond the signed 64-bit nanosecond
 * range are compared modulo 2^64, see {@link #nanos(String)}.
 */
class TsharkOracleTest
{
    private static final Set<String> CONTAINER_ODDITIES = Set.of(
        "tcpdump_aoe-oobr-1.pcap", "tcpdump_icmp-icmp_print-oobr-2.pcap", "tcpdump_pim_header_asan-2.pcap",
        "tcpdump_bootp_asan.pcap", "tcpdump_esp_truncated.pcap", "tcpdump_cve2015-0261-crash.pcap",
        "libpcap_pcap-invalid-version-2.pcap", "tcpdump_timestamp_invalid_micro.pcap");

    private record Frame(String interfaceId, Long timestampNs, long wireLength, long capturedLength)
    {
    }

    @TestFactory
    Stream<DynamicTest> packetsAgreeWithTshark() throws IOException, InterruptedException
    {
        final Path pcaps = Path.of(System.getProperty("senbetsu.shared", "../shared")).resolve("pcaps");
        final Path manifest = pcaps.resolve("MANIFEST.tsv");
        assumeTrue(Files.isRegularFile(manifest), "shared capture corpus not present at " + manifest);
        assumeTrue(tsharkAvailable(), "tshark is not installed");

        final List<DynamicTest> tests = new ArrayList<>();
        for (final String line : Files.readAllLines(manifest).subList(1, 151))
        {
            final String[] row = line.split("\t", -1);
            final String name = row[0];
            final String format = row[7];
            final boolean container = format.startsWith("pcapng") || format.contains(" BE ") ||
                format.contains("nsec") || format.startsWith("gzip") || CONTAINER_ODDITIES.contains(name);
            if (container && "ok".equals(row[11]))
            {
                tests.add(DynamicTest.dynamicTest(name, () -> compare(pcaps.resolve(name))));
            }
        }
        assertTrue(tests.size() >= 35, "selected " + tests.size() + " files");
        return tests.stream();
    }

    private static void compare(final Path file) throws IOException, InterruptedException
    {
        final List<Frame> expected = new ArrayList<>();
        for (final String line : tshark(file))
        {
            final String[] f = line.split("\t", -1);
            expected.add(new Frame(f[0], f[1].isEmpty() ? null : nanos(f[1]), Long.parseLong(f[2]),
                Long.parseLong(f[3])));
        }
        final List<Frame> actual = new ArrayList<>();
        final CaptureFileStats stats;
        try (CaptureFileReader reader = CaptureFileReader.open(file))
        {
            final List<int[]> raw = new ArrayList<>();
            final List<Long> times = new ArrayList<>();
            reader.read((index, linkType, ns, wire, buffer, offset, captured) ->
            {
                raw.add(new int[] {index, wire, captured});
                times.add(ns);
            });
            stats = reader.stats();
            for (int i = 0; i < raw.size(); i++)
            {
                final int[] p = raw.get(i);
                final String id = stats.format() == CaptureFormat.PCAPNG ?
                    Integer.toString(stats.interfaces().get(p[0]).localId()) : "";
                actual.add(new Frame(id, times.get(i), p[1] & 0xFFFF_FFFFL, p[2]));
            }
        }
        final List<Frame> tsharkPackets = expected.stream()
            .filter(frame -> stats.format() != CaptureFormat.PCAPNG || !frame.interfaceId().isEmpty()).toList();
        assertEquals(expected.size() - tsharkPackets.size(), stats.customBlocks(), "custom-block frames");
        assertEquals(tsharkPackets.size(), actual.size(), "packets");
        for (int i = 0; i < actual.size(); i++)
        {
            final Frame want = tsharkPackets.get(i);
            final Frame got = actual.get(i);
            final boolean compareTime = want.timestampNs() != null && stats.invalidTimestamps() == 0;
            assertEquals(compareTime ? want : new Frame(want.interfaceId(), null, want.wireLength(),
                want.capturedLength()), compareTime ? got : new Frame(got.interfaceId(), null, got.wireLength(),
                got.capturedLength()), "packet " + (i + 1));
        }
    }

    /**
     * tshark's epoch time in nanoseconds, reduced to its low 64 bits: a pcapng timestamp beyond the signed
     * 64-bit nanosecond range (pcapplusplus_pcapng-example's interface 1 holds 2^64 - 505.4 s in microseconds)
     * wraps in our two's-complement arithmetic exactly like this.
     */
    private static long nanos(final String epoch)
    {
        return new BigDecimal(epoch).movePointRight(9).toBigInteger().longValue();
    }

    private static List<String> tshark(final Path file) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-T", "fields",
            "-e", "frame.interface_id", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len")
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS), "tshark timed out");
        assertEquals(0, process.exitValue(), "tshark exit code on " + file);
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }

    private static boolean tsharkAvailable()
    {
        try
        {
            final Process process = new ProcessBuilder("tshark", "--version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }
}
