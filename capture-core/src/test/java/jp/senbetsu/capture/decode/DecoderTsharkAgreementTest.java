package jp.senbetsu.capture.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import jp.senbetsu.capture.file.CaptureFileException;
import jp.senbetsu.capture.file.CaptureFileReader;
import jp.senbetsu.capture.lab.MachineInfoJsonWriter;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The decoder against tshark 4.0.17 on every capture of the shared third-party corpus, packet by packet: ts, len,
 * caplen, src, dst, proto, sport, dport as {@code senbetsu decode} prints them against tshark's values (the
 * committed output of src/test/tshark/generate-decode-reference.sh, so no tshark is needed here).
 *
 * <p>Every disagreement must be listed in docs/decoder-differences.md with its reason, and every listed one must
 * still occur: the observed set and the documented set are compared exactly, so a fix and a regression both
 * fail this test until the document is updated.
 */
class DecoderTsharkAgreementTest
{
    private static final String[] FIELDS = {
        "ts", "len", "caplen", "src", "dst", "proto", "sport", "dport",
        "tcp_flags", "icmp_type", "icmp_code", "vlan", "mpls"};
    private static final Pattern JSON_VALUE = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-0-9]+|\\[[0-9,]*])");
    private static final AtomicLong PACKETS = new AtomicLong();
    private static final AtomicLong PACKETS_AGREEING = new AtomicLong();
    private static final AtomicLong FIELDS_COMPARED = new AtomicLong();
    private static final AtomicLong FIELDS_AGREEING = new AtomicLong();
    private static final List<String> SUMMARY = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> everyCaptureAgreesWithTsharkOrTheDifferenceIsDocumented() throws IOException
    {
        final Path pcaps = Path.of(System.getProperty("senbetsu.shared", "../shared")).resolve("pcaps");
        final Path manifest = pcaps.resolve("MANIFEST.tsv");
        assumeTrue(Files.isRegularFile(manifest), "shared capture corpus not present at " + manifest);
        final Path differencesDoc = Path.of(System.getProperty("senbetsu.root", "..")).resolve("docs/decoder-differences.md");
        final DocumentedDifferences documented = DocumentedDifferences.parse(differencesDoc);

        final List<String> files = Files.readAllLines(manifest).stream().skip(1)
            .map(line -> line.split("\t", 2)[0]).filter(name -> !name.isEmpty()).toList();
        final Set<String> unknown = new TreeSet<>(documented.files());
        files.forEach(unknown::remove);
        assertTrue(unknown.isEmpty(), "decoder-differences.md lists files not in the corpus: " + unknown);

        return files.stream().map(name -> DynamicTest.dynamicTest(name, () ->
        {
            final Set<String> observed = compare(pcaps.resolve(name), name);
            assertEquals(documented.forFile(name), observed,
                "disagreements with tshark differ from docs/decoder-differences.md for " + name);
        }));
    }

    @AfterAll
    static void printAgreement()
    {
        System.out.printf("decoder vs tshark: %d/%d packets agree on all fields, %d/%d fields agree%n",
            PACKETS_AGREEING.get(), PACKETS.get(), FIELDS_AGREEING.get(), FIELDS_COMPARED.get());
        synchronized (SUMMARY)
        {
            SUMMARY.forEach(System.out::println);
        }
    }

    /** @return the disagreements as "packet field ours=… tshark=…" keys reduced to "packet field". */
    private static Set<String> compare(final Path capture, final String name) throws IOException
    {
        final List<TsharkFrame> frames = readReference(name);
        final List<String[]> ours = decodeAll(capture);
        final Set<String> disagreements = new TreeSet<>();
        final StringBuilder detail = new StringBuilder();
        final int n = Math.max(frames.size(), ours.size());
        int agreeingPackets = 0;
        for (int i = 0; i < n; i++)
        {
            final int packet = i + 1;
            if (i >= frames.size() || i >= ours.size())
            {
                disagreements.add(packet + " count");
                continue;
            }
            final TsharkFrame t = frames.get(i);
            final String[] theirs = {
                t.timestampNs(), Long.toString(t.wireLength()), Long.toString(t.capturedLength()),
                t.src(), t.dst(), t.protocol(), t.srcPort(), t.dstPort(),
                t.tcpFlags(), t.icmpType(), t.icmpCode(), t.vlans(), t.mplsLabels()};
            boolean all = true;
            for (int f = 0; f < FIELDS.length; f++)
            {
                FIELDS_COMPARED.incrementAndGet();
                if (Objects.equals(ours.get(i)[f], theirs[f]))
                {
                    FIELDS_AGREEING.incrementAndGet();
                }
                else
                {
                    all = false;
                    disagreements.add(packet + " " + FIELDS[f]);
                    if (detail.length() < 40000)
                    {
                        detail.append(String.format("  %s #%d %s: ours=%s tshark=%s%n",
                            name, packet, FIELDS[f], ours.get(i)[f], theirs[f]));
                    }
                }
            }
            if (all)
            {
                agreeingPackets++;
            }
        }
        PACKETS.addAndGet(n);
        PACKETS_AGREEING.addAndGet(agreeingPackets);
        synchronized (SUMMARY)
        {
            SUMMARY.add(String.format("%-55s %6d/%-6d packets agree%s", name, agreeingPackets, n,
                detail.isEmpty() ? "" : "\n" + detail.toString().stripTrailing()));
        }
        return disagreements;
    }

    /** Our side: each packet as the JSON the lab tool prints, reduced to the compared keys. */
    private static List<String[]> decodeAll(final Path capture)
    {
        final List<String[]> result = new ArrayList<>();
        final PacketDecoder decoder = new PacketDecoder();
        final MachineInfoRecord record = new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
        final MachineInfoJsonWriter writer = new MachineInfoJsonWriter();
        try (CaptureFileReader reader = CaptureFileReader.open(capture))
        {
            reader.read((ifIndex, linkType, ts, wireLength, buffer, offset, capturedLength) ->
            {
                decoder.decode(ifIndex, linkType, ts, wireLength, buffer, offset, capturedLength, record);
                final int length = writer.encode(record);
                final String json = new String(writer.lineBytes(), 0, length, StandardCharsets.US_ASCII);
                final String[] values = new String[FIELDS.length];
                final Matcher m = JSON_VALUE.matcher(json);
                while (m.find())
                {
                    final int f = Arrays.asList(FIELDS).indexOf(m.group(1));
                    if (f >= 0 && values[f] == null)
                    {
                        values[f] = m.group(2).replace("\"", "");
                    }
                }
                result.add(values);
            });
        }
        catch (final CaptureFileException expected)
        {
            // damaged file: the packets before the damage were delivered, which is what tshark printed too
        }
        return result;
    }

    private static List<TsharkFrame> readReference(final String name) throws IOException
    {
        final String resource = "/tshark-decode/" + name + ".tsv.gz";
        final List<TsharkFrame> frames = new ArrayList<>();
        try (InputStream in = DecoderTsharkAgreementTest.class.getResourceAsStream(resource))
        {
            assertTrue(in != null, "missing tshark reference " + resource + "; run generate-decode-reference.sh");
            final BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            List<String> header = null;
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (line.startsWith("#"))
                {
                    continue;
                }
                if (header == null)
                {
                    header = Arrays.asList(line.split("\t", -1));
                    continue;
                }
                final TsharkFrame frame = TsharkFrame.parse(header, line);
                if (!frame.isPcapngCustomBlock())
                {
                    frames.add(frame);
                }
            }
        }
        return frames;
    }
}
