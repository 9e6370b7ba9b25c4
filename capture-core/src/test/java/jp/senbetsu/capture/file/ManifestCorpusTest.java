package jp.senbetsu.capture.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads every file of the shared third-party corpus and compares with the oracles recorded in its
 * MANIFEST.tsv (tshark 4.0.17 and tcpdump 4.99.3 / libpcap 1.10.3).
 *
 * <ul>
 *   <li>tshark read it ({@code ok}): our packet count plus the pcapng custom blocks (tshark 4.0 shows each as a
 *   frame) equals {@code tshark_packets}, and no error.</li>
 *   <li>tshark failed but tcpdump read it ({@code ok (N pkts)}; tcpdump_dsa: tshark does not know link type
 *   284, which is no damage of the file): N packets, no error.</li>
 *   <li>both failed: the N packets tcpdump delivered before the damage, then a {@link CaptureFileException}.
 *   The oracles differ only on suricata_bug-6875-fuzz (tshark 2, tcpdump 1): the file is a plain v2.4 pcap
 *   whose second record declares 1,409,179,648 captured bytes; tshark's frame 2 comes from re-guessing the
 *   file as a modified pcap variant, which a reader that trusts the magic does not do.</li>
 * </ul>
 */
class ManifestCorpusTest
{
    private static final Pattern TCPDUMP_OK = Pattern.compile("^ok \\((\\d+) pkts\\)");
    private static final Pattern TCPDUMP_ERROR = Pattern.compile("^ERROR \\(rc=\\d+, (\\d+) pkts\\)");

    @TestFactory
    Stream<DynamicTest> everyCorpusFileMatchesTheOracles() throws IOException
    {
        final Path pcaps = Path.of(System.getProperty("senbetsu.shared", "../shared")).resolve("pcaps");
        final Path manifest = pcaps.resolve("MANIFEST.tsv");
        assumeTrue(Files.isRegularFile(manifest), "shared capture corpus not present at " + manifest);

        final List<String> lines = Files.readAllLines(manifest);
        final List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        final int fileColumn = header.indexOf("file");
        final int packetsColumn = header.indexOf("tshark_packets");
        final int tsharkColumn = header.indexOf("tshark_read");
        final int tcpdumpColumn = header.indexOf("tcpdump_read");
        assertTrue(fileColumn >= 0 && packetsColumn >= 0 && tsharkColumn >= 0 && tcpdumpColumn >= 0,
            "MANIFEST.tsv header lacks a needed column: " + header);

        final List<DynamicTest> tests = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            if (line.isBlank())
            {
                continue;
            }
            final String[] row = line.split("\t", -1);
            final Path file = pcaps.resolve(row[fileColumn]);
            final String tshark = row[tsharkColumn];
            final String tcpdump = row[tcpdumpColumn];
            final long tsharkPackets = Long.parseLong(row[packetsColumn]);
            tests.add(DynamicTest.dynamicTest(row[fileColumn], () ->
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> check(file, tshark, tsharkPackets, tcpdump))));
        }
        assertEquals(150, tests.size(), "corpus rows");
        return tests.stream();
    }

    private static void check(final Path file, final String tshark, final long tsharkPackets, final String tcpdump)
    {
        if ("ok".equals(tshark))
        {
            final CaptureFileStats stats = readAll(file);
            assertEquals(tsharkPackets, stats.packets() + stats.customBlocks(), "packets (+ custom blocks) vs tshark");
            return;
        }
        final Matcher tcpdumpOk = TCPDUMP_OK.matcher(tcpdump);
        if (tcpdumpOk.find())
        {
            assertEquals(Long.parseLong(tcpdumpOk.group(1)), readAll(file).packets(), "packets vs tcpdump");
            return;
        }
        final Matcher tcpdumpError = TCPDUMP_ERROR.matcher(tcpdump);
        if (!tcpdumpError.find())
        {
            fail("manifest row has no usable oracle: tshark=" + tshark + " tcpdump=" + tcpdump);
        }
        final long expected = Long.parseLong(tcpdumpError.group(1));
        final PacketCounter counter = new PacketCounter();
        final CaptureFileException error = assertThrows(CaptureFileException.class, () ->
        {
            try (CaptureFileReader reader = CaptureFileReader.open(file))
            {
                reader.read(counter);
            }
        });
        assertEquals(expected, counter.packets, "packets delivered before the damage");
        assertTrue(error.getMessage().startsWith(file.toString() + ": "), error.getMessage());
    }

    private static CaptureFileStats readAll(final Path file)
    {
        try (CaptureFileReader reader = CaptureFileReader.open(file))
        {
            final PacketCounter counter = new PacketCounter();
            final long packets = reader.read(counter);
            final CaptureFileStats stats = reader.stats();
            assertEquals(packets, counter.packets);
            assertEquals(packets, stats.packets());
            assertEquals(counter.capturedBytes, stats.capturedBytes());
            return stats;
        }
    }

    /** Counts packets and checks each one's bounds against its buffer. */
    static final class PacketCounter implements PacketHandler
    {
        long packets;
        long capturedBytes;

        @Override
        public void onPacket(
            final int interfaceIndex, final int linkType, final long timestampNs, final int wireLength,
            final org.agrona.DirectBuffer buffer, final int offset, final int capturedLength)
        {
            assertTrue(capturedLength >= 0 && offset >= 0 && offset + capturedLength <= buffer.capacity(),
                "packet bounds");
            assertTrue(linkType >= 0 && linkType <= 0xFFFF, "link type " + linkType);
            packets++;
            capturedBytes += capturedLength;
        }
    }
}
