package jp.senbetsu.store.ipfix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpfixFileWriterTest
{
    private static final long START_NS = 1_774_915_200_123_456_789L;

    @TempDir
    Path temp;

    @Test
    void messagesAreSelfContainedAndCarryEveryRecordInTemplateOrder() throws IOException
    {
        final List<SelectedFlowRecord> records = records(3000);
        final byte[] file = export(records);

        final ByteBuffer in = ByteBuffer.wrap(file);
        int decoded = 0;
        int messages = 0;
        long lastSequence = -1;
        while (in.hasRemaining())
        {
            final int start = in.position();
            assertEquals(10, in.getShort() & 0xFFFF, "IPFIX version");
            final int length = in.getShort() & 0xFFFF;
            in.getInt();
            final long sequence = in.getInt() & 0xFFFF_FFFFL;
            assertEquals(7, in.getInt(), "observation domain");
            assertEquals(decoded, sequence, "sequence counts the data records before this message");
            assertTrue(sequence > lastSequence);
            lastSequence = sequence;
            assertEquals(2, in.getShort(in.position()), "every message opens with the template set");
            while (in.position() < start + length)
            {
                final int setStart = in.position();
                final int setId = in.getShort() & 0xFFFF;
                final int setLength = in.getShort() & 0xFFFF;
                if (setId >= 256)
                {
                    while (in.position() < setStart + setLength)
                    {
                        assertRecord(records.get(decoded++), setId == 257, in);
                    }
                }
                in.position(setStart + setLength);
            }
            messages++;
        }
        assertEquals(records.size(), decoded);
        assertTrue(messages > 1, "3000 records need more than one 64 KiB message");
    }

    @Test
    void tsharkReadsTheExportAsIpfix() throws Exception
    {
        final boolean tshark = new ProcessBuilder("tshark", "-v").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        Assumptions.assumeTrue(tshark, "tshark is not installed: the independent IPFIX decoder check is skipped");
        final List<SelectedFlowRecord> records = records(50);
        final Path file = temp.resolve("export.ipfix");
        Files.write(file, export(records));
        final Process process = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-T", "fields",
            "-E", "occurrence=a", "-E", "aggregator=,", "-e", "cflow.dstport", "-e", "cflow.selector_name")
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        final List<String> wantPorts = new ArrayList<>();
        final List<String> wantSelectors = new ArrayList<>();
        for (final SelectedFlowRecord record : records)
        {
            wantPorts.add(String.valueOf(record.flow().dstPort()));
            wantSelectors.add(record.approvalId() + "/" + record.ruleId());
        }
        // one line per IPFIX message, the message's records joined by commas
        final List<String> ports = new ArrayList<>();
        final List<String> selectors = new ArrayList<>();
        for (final String line : output.lines().toList())
        {
            final String[] columns = line.split("\t", -1);
            ports.addAll(List.of(columns[0].split(",")));
            selectors.addAll(List.of(columns[1].split(",")));
        }
        assertEquals(wantPorts, ports, output);
        assertEquals(wantSelectors, selectors, output);
    }

    private static void assertRecord(final SelectedFlowRecord want, final boolean v6, final ByteBuffer in)
    {
        final FlowRecord flow = want.flow();
        assertEquals(flow.ipVersion() == 6, v6);
        final long startSeconds = (in.getInt() & 0xFFFF_FFFFL) - 2_208_988_800L;
        final long startFraction = in.getInt() & 0xFFFF_FFFFL;
        // a reader that truncates the NTP fraction back to nanoseconds gets the exact start time
        assertEquals(flow.startNs(), startSeconds * 1_000_000_000L + ((startFraction * 1_000_000_000L) >>> 32));
        in.getLong();
        final byte[] address = new byte[v6 ? 16 : 4];
        final byte[] expected = new byte[address.length];
        in.get(address);
        flow.buffer().getBytes(flow.srcAddressOffset(), expected);
        assertEquals(ByteBuffer.wrap(expected), ByteBuffer.wrap(address));
        in.get(address);
        assertEquals(flow.srcPort(), in.getShort() & 0xFFFF);
        assertEquals(flow.dstPort(), in.getShort() & 0xFFFF);
        assertEquals(flow.protocol(), in.get() & 0xFF);
        in.getShort();
        in.getShort();
        assertEquals(flow.packets(), in.getLong());
        assertEquals(flow.bytes(), in.getLong());
        assertEquals(flow.tcpFlags(), in.getShort() & 0xFFFF);
        assertEquals(flow.reversePackets(), in.getLong());
        assertEquals(flow.reverseBytes(), in.getLong());
        in.getShort();
        assertEquals(flow.endReason(), in.get() & 0xFF);
        final byte[] selector = new byte[in.get() & 0xFF];
        in.get(selector);
        assertEquals(want.approvalId() + "/" + want.ruleId(), new String(selector, StandardCharsets.US_ASCII));
    }

    private static byte[] export(final List<SelectedFlowRecord> records) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (IpfixFileWriter writer = new IpfixFileWriter(out, 7, START_NS / 1_000_000_000L))
        {
            for (final SelectedFlowRecord record : records)
            {
                writer.write(record);
            }
        }
        return out.toByteArray();
    }

    private static List<SelectedFlowRecord> records(final int count)
    {
        final SplittableRandom random = new SplittableRandom(5103);
        final List<SelectedFlowRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final SelectedFlowRecord record = new SelectedFlowRecord()
                .wrap(new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]), 0);
            final FlowRecord flow = record.flow();
            final boolean v6 = random.nextInt(3) == 0;
            flow.ipVersion(v6 ? 6 : 4).protocol(6).srcPort(1024 + i).dstPort(443 + i % 7)
                .startNs(START_NS + i * 1_000_003L).endNs(START_NS + i * 2_000_000L + 5)
                .packets(1 + random.nextInt(100)).bytes(random.nextInt(1 << 20))
                .reversePackets(random.nextInt(50)).reverseBytes(random.nextInt(1 << 16))
                .tcpFlags(0x1b).reverseTcpFlags(0x12).endReason(3).flowFlags(FlowRecord.FLAG_HAS_PORTS);
            for (int b = 0; b < (v6 ? 16 : 4); b++)
            {
                flow.buffer().putByte(flow.srcAddressOffset() + b, (byte)random.nextInt(256));
                flow.buffer().putByte(flow.dstAddressOffset() + b, (byte)random.nextInt(256));
            }
            record.category(1).approvalId("ACD-2026-000" + (1 + i % 2)).ruleId("rule-" + i % 3);
            records.add(record);
        }
        return records;
    }
}
