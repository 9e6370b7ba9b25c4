package jp.senbetsu.capture.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.capture.record.TunnelType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FlowJsonWriterTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FlowRecord.LENGTH]);
    private final FlowRecord flow = new FlowRecord().wrap(buffer, 0);
    private final FlowJsonWriter writer = new FlowJsonWriter();

    @Test
    void printsATcpFlowWithEveryKey() throws IOException
    {
        flow.clear().startNs(1_700_000_000_123_456_789L).endNs(1_700_000_001_000_000_000L)
            .srcPort(40000).dstPort(443).protocol(6).ipVersion(4).endReason(FlowEndReason.END_OF_FLOW.code())
            .packets(3).bytes(1164).wireBytes(1206).reversePackets(2).reverseBytes(120).reverseWireBytes(148)
            .tcpFlags(0x1B).reverseTcpFlags(0x12).flowFlags(FlowRecord.FLAG_HAS_PORTS);
        buffer.putBytes(flow.srcAddressOffset(), new byte[] {(byte)192, 0, 2, 1});
        buffer.putBytes(flow.dstAddressOffset(), new byte[] {(byte)198, 51, 100, 7});
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(flow, out);
        assertEquals("{\"start\":1700000000123456789,\"end\":1700000001000000000,\"src\":\"192.0.2.1\","
            + "\"dst\":\"198.51.100.7\",\"sport\":40000,\"dport\":443,\"proto\":6,\"icmp_type\":null,"
            + "\"icmp_code\":null,\"packets\":3,\"bytes\":1164,\"wbytes\":1206,\"rpackets\":2,\"rbytes\":120,"
            + "\"rwbytes\":148,\"flags\":27,\"rflags\":18,\"end_reason\":\"end\",\"vlan\":null,\"tunnel\":null}\n",
            out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void printsIcmpVlanAndTunnel()
    {
        flow.clear().protocol(1).ipVersion(4).icmpType(8).icmpCode(0).vlanId(100).tunnelType(TunnelType.VXLAN.code())
            .tunnelId(4242).endReason(FlowEndReason.IDLE_TIMEOUT.code()).packets(1)
            .flowFlags(FlowRecord.FLAG_HAS_ICMP | FlowRecord.FLAG_HAS_TUNNEL | FlowRecord.FLAG_HAS_VLAN);
        final String line = new String(writer.lineBytes(), 0, writer.encode(flow), StandardCharsets.US_ASCII);
        assertEquals("{\"start\":0,\"end\":0,\"src\":\"0.0.0.0\",\"dst\":\"0.0.0.0\",\"sport\":null,\"dport\":null,"
            + "\"proto\":1,\"icmp_type\":8,\"icmp_code\":0,\"packets\":1,\"bytes\":0,\"wbytes\":0,\"rpackets\":0,"
            + "\"rbytes\":0,\"rwbytes\":0,\"flags\":null,\"rflags\":null,\"end_reason\":\"idle\",\"vlan\":100,"
            + "\"tunnel\":{\"type\":\"vxlan\",\"id\":4242}}\n", line);
    }

    /**
     * The writer decides what is null and whether a tunnel is printed without branches (see
     * {@link FlowJsonWriter#encode}): one writer, lines of every kind in turn, each exactly as on its own.
     */
    @Test
    void linesOfEveryKindInTurnEachPrintOnlyTheirOwnFields()
    {
        // a tunnelled, VLAN-tagged UDP flow with an unknown tunnel type and an unknown end reason
        flow.clear().protocol(17).ipVersion(4).srcPort(4789).dstPort(53).packets(2).tunnelType(99).tunnelId(7)
            .endReason(200).reversePackets(1).reverseTcpFlags(0x12).vlanId(0)
            .flowFlags(FlowRecord.FLAG_HAS_PORTS | FlowRecord.FLAG_HAS_TUNNEL | FlowRecord.FLAG_HAS_VLAN);
        final String udp = "{\"start\":0,\"end\":0,\"src\":\"0.0.0.0\",\"dst\":\"0.0.0.0\",\"sport\":4789,"
            + "\"dport\":53,\"proto\":17,\"icmp_type\":null,\"icmp_code\":null,\"packets\":2,\"bytes\":0,"
            + "\"wbytes\":0,\"rpackets\":1,\"rbytes\":0,\"rwbytes\":0,\"flags\":null,\"rflags\":null,"
            + "\"end_reason\":\"none\",\"vlan\":0,\"tunnel\":{\"type\":\"none\",\"id\":7}}\n";
        assertEquals(udp, line());
        // then a TCP flow without an answer, tunnel or VLAN: its line must not keep any of the previous line's bytes
        flow.clear().protocol(6).ipVersion(4).srcPort(1).dstPort(2).packets(1).tcpFlags(2)
            .endReason(FlowEndReason.FORCED_END.code()).flowFlags(FlowRecord.FLAG_HAS_PORTS);
        final String unanswered = "{\"start\":0,\"end\":0,\"src\":\"0.0.0.0\",\"dst\":\"0.0.0.0\",\"sport\":1,"
            + "\"dport\":2,\"proto\":6,\"icmp_type\":null,\"icmp_code\":null,\"packets\":1,\"bytes\":0,"
            + "\"wbytes\":0,\"rpackets\":0,\"rbytes\":0,\"rwbytes\":0,\"flags\":2,\"rflags\":null,"
            + "\"end_reason\":\"forced\",\"vlan\":null,\"tunnel\":null}\n";
        assertEquals(unanswered, line());
        // and a flow without ports of an unusual protocol (GRE), answered
        flow.clear().protocol(47).ipVersion(4).packets(1).reversePackets(1).endReason(FlowEndReason.IDLE_TIMEOUT.code());
        assertEquals("{\"start\":0,\"end\":0,\"src\":\"0.0.0.0\",\"dst\":\"0.0.0.0\",\"sport\":null,"
            + "\"dport\":null,\"proto\":47,\"icmp_type\":null,\"icmp_code\":null,\"packets\":1,\"bytes\":0,"
            + "\"wbytes\":0,\"rpackets\":1,\"rbytes\":0,\"rwbytes\":0,\"flags\":null,\"rflags\":null,"
            + "\"end_reason\":\"idle\",\"vlan\":null,\"tunnel\":null}\n", line());
    }

    private String line()
    {
        return new String(writer.lineBytes(), 0, writer.encode(flow), StandardCharsets.US_ASCII);
    }

    @Test
    void ipv6AddressesAreInTheirCanonicalTextForm() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(5952);
        for (int n = 0; n < 5000; n++)
        {
            final byte[] address = new byte[16];
            for (int g = 0; g < 8; g++)
            {
                final int kind = random.nextInt(4);
                final int value = kind == 0 ? 0 : kind == 1 ? random.nextInt(16) : random.nextInt(65536);
                address[2 * g] = (byte)(value >>> 8);
                address[2 * g + 1] = (byte)value;
            }
            flow.clear().ipVersion(6).protocol(17);
            buffer.putBytes(flow.srcAddressOffset(), address);
            final String line = new String(writer.lineBytes(), 0, writer.encode(flow), StandardCharsets.US_ASCII);
            final String text = line.substring(line.indexOf("\"src\":\"") + 7, line.indexOf("\",\"dst\""));
            if (!ipv4Mapped(address))
            {
                assertEquals(rfc5952(address), text);
            }
            assertEquals(InetAddress.getByAddress(address), InetAddress.getByName(text));
        }
    }

    private static boolean ipv4Mapped(final byte[] a)
    {
        for (int i = 0; i < 10; i++)
        {
            if (a[i] != 0)
            {
                return false;
            }
        }
        return a[10] == (byte)0xFF && a[11] == (byte)0xFF;
    }

    /** Straightforward reference: Java's full form, then the longest zero run (length >= 2, first wins) as ::. */
    private static String rfc5952(final byte[] a)
    {
        final int[] g = new int[8];
        for (int i = 0; i < 8; i++)
        {
            g[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
        }
        int best = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++)
        {
            int j = i;
            while (j < 8 && g[j] == 0)
            {
                j++;
            }
            if (j - i > bestLen)
            {
                best = i;
                bestLen = j - i;
            }
        }
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            if (i == best)
            {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && !(best >= 0 && i == best + bestLen))
            {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
