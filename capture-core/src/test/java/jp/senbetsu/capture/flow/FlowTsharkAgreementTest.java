package jp.senbetsu.capture.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import jp.senbetsu.capture.decode.DecodeCounters;
import jp.senbetsu.capture.decode.DecoderConfiguration;
import jp.senbetsu.capture.decode.PacketDecoder;
import jp.senbetsu.capture.file.CaptureFileReader;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.capture.ring.CapturePipeline;
import jp.senbetsu.capture.ring.CaptureRingConfiguration;
import jp.senbetsu.capture.ring.RingPublisher;
import jp.senbetsu.capture.ring.SourceMode;
import jp.senbetsu.capture.ring.WaitStrategyKind;
import org.junit.jupiter.api.Test;

/**
 * With timeouts off, the flows of every capture tshark reads without error must add up, per TCP and UDP
 * conversation and per direction, to tshark's {@code -z conv,tcp} and {@code -z conv,udp} (frames exactly, bytes
 * as tshark prints them: exact below 10,000, then truncated to kB/MB). The reference is committed
 * (src/test/tshark/generate-conv-reference.sh). Captures that differ for a documented reason are listed with the
 * reason and the exact counts of their difference in {@code tshark-conv/differences.tsv} (see docs/flows.md); any
 * other difference fails, a listed capture whose counts change fails (a new difference cannot hide behind an old
 * reason), and a listed capture that no longer differs fails too, so the list stays true. A per-capture summary
 * is written to target/flow-tshark-agreement.tsv.
 */
class FlowTsharkAgreementTest
{
    private static final Pattern LINE = Pattern.compile(
        "^(\\S+):(\\d+)\\s+<->\\s+(\\S+):(\\d+)\\s+(\\d+)\\s+(\\d+) (bytes|kB|MB|GB|TB)\\s+(\\d+)\\s+(\\d+) (bytes|kB|MB|GB|TB)\\s+.*$");

    @Test
    void conversationsAgreeWithTshark() throws Exception
    {
        final Path shared = Path.of(System.getProperty("senbetsu.shared", "../shared"));
        final Path pcaps = shared.resolve("pcaps");
        assumeTrue(Files.isDirectory(pcaps), "shared captures not present at " + pcaps + ": skipped");
        final Path reference = Path.of(System.getProperty("senbetsu.root", "..")).resolve(
            "capture-core/src/test/resources/tshark-conv");
        final Map<String, String> allowed = readDifferences(reference.resolve("differences.tsv"));

        final List<Path> convs;
        try (Stream<Path> s = Files.list(reference))
        {
            convs = s.filter(p -> p.getFileName().toString().endsWith(".conv.gz")).sorted().toList();
        }
        assertTrue(convs.size() > 100, "reference tables: " + convs.size());

        int capturesAgreeing = 0;
        int conversationsCompared = 0;
        int conversationsAgreeing = 0;
        final List<String> failures = new ArrayList<>();
        final Path summaryFile = Path.of("target/flow-tshark-agreement.tsv");
        Files.createDirectories(summaryFile.getParent());
        try (PrintWriter summary = new PrintWriter(Files.newBufferedWriter(summaryFile)))
        {
            summary.println("capture\tconversations\tagreeing\tdiffering\ttshark_only\tours_only\tfirst_difference");
            for (final Path conv : convs)
            {
                final String capture = conv.getFileName().toString().replace(".conv.gz", "");
                final Map<String, long[]> theirs = readTshark(conv);
                final Map<String, long[]> ours = meter(pcaps.resolve(capture));
                final TreeSet<String> keys = new TreeSet<>(theirs.keySet());
                keys.addAll(ours.keySet());
                int agreeing = 0;
                int differing = 0;
                int tsharkOnly = 0;
                int oursOnly = 0;
                String first = "";
                for (final String key : keys)
                {
                    final long[] t = theirs.get(key);
                    final long[] o = ours.get(key);
                    if (o == null)
                    {
                        tsharkOnly++;
                    }
                    else if (t == null)
                    {
                        oursOnly++;
                    }
                    else if (t[0] == o[0] && t[2] == o[2] && t[1] == tsharkBytes(o[1]) && t[3] == tsharkBytes(o[3]))
                    {
                        agreeing++;
                        continue;
                    }
                    else
                    {
                        differing++;
                    }
                    if (first.isEmpty())
                    {
                        first = key + " tshark " + text(t) + " ours " + text(o);
                    }
                }
                conversationsCompared += keys.size();
                conversationsAgreeing += agreeing;
                summary.println(capture + "\t" + keys.size() + "\t" + agreeing + "\t" + differing + "\t" + tsharkOnly
                    + "\t" + oursOnly + "\t" + first);
                final boolean agrees = agreeing == keys.size();
                if (agrees)
                {
                    capturesAgreeing++;
                }
                final String counts = keys.size() + "\t" + agreeing + "\t" + differing + "\t" + tsharkOnly + "\t" +
                    oursOnly;
                if (agrees && allowed.containsKey(capture))
                {
                    failures.add(capture + ": listed in differences.tsv but now agrees");
                }
                else if (!agrees && !allowed.containsKey(capture))
                {
                    failures.add(capture + ": " + first);
                }
                else if (!agrees && !allowed.get(capture).equals(counts))
                {
                    // a listed capture differs otherwise than its entry says: a new difference may hide behind the
                    // old reason
                    failures.add(capture + ": differences.tsv pins (conversations, agreeing, differing, tshark only, "
                        + "ours only) " + allowed.get(capture).replace('\t', ' ') + ", now " + counts.replace('\t', ' ')
                        + "; first difference " + first);
                }
            }
            summary.println("# captures " + convs.size() + ", agreeing " + capturesAgreeing + "; conversations "
                + conversationsCompared + ", agreeing " + conversationsAgreeing);
        }
        System.out.println("flow/tshark agreement: captures " + convs.size() + ", agreeing " + capturesAgreeing
            + "; conversations " + conversationsCompared + ", agreeing " + conversationsAgreeing);
        assertEquals(List.of(), failures);
    }

    /** The flows of one capture, timeouts off, summed per conversation as tshark keys them. */
    private static Map<String, long[]> meter(final Path capture) throws IOException
    {
        final Map<String, long[]> totals = new HashMap<>();
        final FlowConfiguration flows = new FlowConfiguration().idleTimeoutNs(0).activeTimeoutNs(0).maxFlows(1 << 16);
        final CaptureRingConfiguration ring = new CaptureRingConfiguration()
            .ringSize(1024).waitStrategy(WaitStrategyKind.BLOCKING);
        final PacketDecoder decoder = new PacketDecoder(
            new DecoderConfiguration().snaplen(ring.headerBytes()), new DecodeCounters());
        final FlowEndHandler handler = flow ->
        {
            if (flow.protocol() != 6 && flow.protocol() != 17)
            {
                return;
            }
            final String a = endpoint(flow, flow.srcAddressOffset(), flow.srcPort());
            final String b = endpoint(flow, flow.dstAddressOffset(), flow.dstPort());
            final boolean ordered = a.compareTo(b) <= 0;
            final String key = (flow.protocol() == 6 ? "tcp " : "udp ") + (ordered ? a + " " + b : b + " " + a);
            final long[] t = totals.computeIfAbsent(key, k -> new long[4]);
            t[ordered ? 0 : 2] += flow.packets();
            t[ordered ? 1 : 3] += flow.wireBytes();
            t[ordered ? 2 : 0] += flow.reversePackets();
            t[ordered ? 3 : 1] += flow.reverseWireBytes();
        };
        final Throwable error;
        try (CapturePipeline pipeline = new CapturePipeline(ring, flows,
            (linkType, frame, offset, length, record) -> decoder.decode(record.interfaceIndex(), linkType,
                record.timestampNs(), record.wireLength(), frame, offset, length, record),
            null, handler, new MetricsRegistry()))
        {
            final RingPublisher source = pipeline.publisher(SourceMode.FILE);
            try (CaptureFileReader reader = CaptureFileReader.open(capture))
            {
                reader.read(source);
            }
            catch (final RuntimeException ex)
            {
                // a capture tshark reads may still end in a way our reader reports: compare what was read
            }
            pipeline.close();
            error = pipeline.firstStageError();
        }
        if (error != null)
        {
            throw new AssertionError(capture + ": pipeline stage failed", error);
        }
        return totals;
    }

    private static String endpoint(final FlowRecord flow, final int offset, final int port)
    {
        final byte[] address = new byte[flow.ipVersion() == 4 ? 4 : 16];
        flow.buffer().getBytes(offset, address);
        return HexFormat.of().formatHex(address) + "." + port;
    }

    private static Map<String, long[]> readTshark(final Path conv) throws IOException
    {
        final Map<String, long[]> totals = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(conv)), StandardCharsets.UTF_8)))
        {
            String protocol = null;
            String line;
            while ((line = in.readLine()) != null)
            {
                if (line.startsWith("TCP Conversations"))
                {
                    protocol = "tcp ";
                    continue;
                }
                if (line.startsWith("UDP Conversations"))
                {
                    protocol = "udp ";
                    continue;
                }
                final Matcher m = LINE.matcher(line);
                if (protocol == null || !m.matches())
                {
                    continue;
                }
                final String a = HexFormat.of().formatHex(InetAddress.getByName(m.group(1)).getAddress()) + "." + m.group(2);
                final String b = HexFormat.of().formatHex(InetAddress.getByName(m.group(3)).getAddress()) + "." + m.group(4);
                // columns: "<-" is B to A, "->" is A to B
                final long framesBA = Long.parseLong(m.group(5));
                final long bytesBA = scaled(Long.parseLong(m.group(6)), m.group(7));
                final long framesAB = Long.parseLong(m.group(8));
                final long bytesAB = scaled(Long.parseLong(m.group(9)), m.group(10));
                final boolean ordered = a.compareTo(b) <= 0;
                final long[] t = totals.computeIfAbsent(protocol + (ordered ? a + " " + b : b + " " + a), k -> new long[4]);
                t[0] += ordered ? framesAB : framesBA;
                t[1] += ordered ? bytesAB : bytesBA;
                t[2] += ordered ? framesBA : framesAB;
                t[3] += ordered ? bytesBA : bytesAB;
            }
        }
        // a conversation tshark splits (TCP port reuse) prints twice; summed bytes in kB are then approximate
        return totals;
    }

    /** tshark's byte column as a comparable number: bytes below 10,000, else the unit count times a marker. */
    private static long scaled(final long value, final String unit)
    {
        return switch (unit)
        {
            case "bytes" -> value;
            case "kB" -> -value;
            case "MB" -> -value * 1_000_000_000L;
            default -> -value * 1_000_000_000_000_000L;
        };
    }

    /** Our exact byte count as tshark would print it (wsutil format_size: SI, truncating, from 10 of a unit). */
    static long tsharkBytes(final long size)
    {
        if (size / 1000 / 1000 / 1000 >= 10)
        {
            return -(size / 1000 / 1000 / 1000) * 1_000_000_000_000_000L;
        }
        if (size / 1000 / 1000 >= 10)
        {
            return -(size / 1000 / 1000) * 1_000_000_000L;
        }
        if (size / 1000 >= 10)
        {
            return -(size / 1000);
        }
        return size;
    }

    private static String text(final long[] t)
    {
        return t == null ? "none" : "[" + t[0] + " " + t[1] + " / " + t[2] + " " + t[3] + "]";
    }

    private static Map<String, String> readDifferences(final Path file) throws IOException
    {
        final Map<String, String> allowed = new TreeMap<>();
        if (Files.exists(file))
        {
            for (final String line : Files.readAllLines(file))
            {
                if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("capture\t"))
                {
                    // capture, five counts, reason: the counts are what the test holds a listed capture to
                    final String[] f = line.split("\t", 7);
                    assertEquals(7, f.length, "differences.tsv: capture, five counts and a reason: " + line);
                    allowed.put(f[0], String.join("\t", f[1], f[2], f[3], f[4], f[5]));
                }
            }
        }
        return allowed;
    }
}
