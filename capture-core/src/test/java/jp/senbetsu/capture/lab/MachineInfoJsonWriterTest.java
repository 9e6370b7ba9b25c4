package jp.senbetsu.capture.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jp.senbetsu.capture.decode.DecodeStatus;
import jp.senbetsu.capture.record.MachineInfoRecord;
import jp.senbetsu.capture.record.TunnelType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MachineInfoJsonWriterTest
{
    private final MachineInfoRecord record =
        new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
    private final MachineInfoJsonWriter writer = new MachineInfoJsonWriter();

    /** RFC 5952 section 4 and 5 examples, and the edge cases of choosing the run of zeros. */
    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
        "2001:0db8:0000:0001:0001:0001:0001:0001, 2001:db8:0:1:1:1:1:1",
        "2001:0db8:0000:0000:0001:0000:0000:0000, 2001:db8:0:0:1::",
        "0000:0000:0000:0000:0000:0000:0000:0000, ::",
        "0000:0000:0000:0000:0000:0000:0000:0001, ::1",
        "0001:0000:0000:0000:0000:0000:0000:0000, 1::",
        "fe80:0000:0000:0000:021f:f3ff:fecd:f617, fe80::21f:f3ff:fecd:f617",
        "0000:0000:0000:0000:0000:ffff:c000:0201, ::ffff:192.0.2.1",
        "ABCD:0000:ABCD:0000:ABCD:0000:ABCD:0000, abcd:0:abcd:0:abcd:0:abcd:0"})
    void ipv6AddressesAreRfc5952Text(final String full, final String expected)
    {
        record.clear().ipVersion(6).addPresence(MachineInfoRecord.HAS_IP);
        final String[] groups = full.split(":");
        for (int i = 0; i < 8; i++)
        {
            final int group = Integer.parseInt(groups[i], 16);
            record.buffer().putByte(record.srcAddressOffset() + 2 * i, (byte)(group >>> 8));
            record.buffer().putByte(record.srcAddressOffset() + 2 * i + 1, (byte)group);
        }
        final String json = line();
        assertEquals(expected, json.substring(json.indexOf("\"src\":\"") + 7, json.indexOf("\",\"dst\"")));
    }

    @Test
    void keysWithoutValueAreLeftOutAndOnlyPresentGroupsPrinted()
    {
        record.clear().timestampNs(-5).wireLength(60).capturedLength(14).status(DecodeStatus.IPV4_TRUNCATED.code());
        assertEquals("{\"ts\":-5,\"len\":60,\"caplen\":14,\"status\":\"ipv4.truncated\"}", line());
    }

    @Test
    void everyGroupPrintsInTheDocumentedOrder() throws IOException
    {
        record.clear().timestampNs(1_700_000_000_123_456_789L).wireLength(-1).capturedLength(128)
            .ipVersion(4).protocol(6).srcPort(443).dstPort(51000).tcpFlags(0x1D2)
            .icmpType(3).icmpCode(1).fragment(MachineInfoRecord.FRAGMENT_MORE).fragmentId(0xFFFF).fragmentOffset(185)
            .addVlan(100).addVlan(4095).addMplsLabel(1048575)
            .tunnelType(TunnelType.VXLAN_GPE.code()).outerIpVersion(6).tunnelId(0xFFFF_FFFFL).tunnelDepth(2)
            .addPresence(MachineInfoRecord.HAS_IP | MachineInfoRecord.HAS_PORTS | MachineInfoRecord.HAS_TCP |
                MachineInfoRecord.HAS_ICMP | MachineInfoRecord.HAS_FRAGMENT | MachineInfoRecord.HAS_TUNNEL |
                MachineInfoRecord.HAS_TUNNEL_ID);
        record.buffer().putInt(record.srcAddressOffset(), 0x0100000A); // 10.0.0.1
        record.buffer().putInt(record.dstAddressOffset(), 0xFFFFFFFF);
        record.buffer().putByte(record.outerDstAddressOffset() + 15, (byte)1);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(record, out);
        assertEquals("{\"ts\":1700000000123456789,\"len\":4294967295,\"caplen\":128,\"src\":\"10.0.0.1\"," +
            "\"dst\":\"255.255.255.255\",\"proto\":6,\"sport\":443,\"dport\":51000,\"tcp_flags\":466," +
            "\"icmp_type\":3,\"icmp_code\":1,\"frag\":{\"id\":65535,\"offset\":1480,\"more\":true}," +
            "\"vlan\":[100,4095],\"mpls\":[1048575],\"tunnel\":{\"type\":\"vxlan-gpe\",\"src\":\"::\",\"dst\":\"::1\"," +
            "\"id\":4294967295,\"depth\":2},\"status\":\"ok\"}\n", out.toString(StandardCharsets.US_ASCII));
    }

    private String line()
    {
        final int length = writer.encode(record);
        return new String(writer.lineBytes(), 0, length - 1, StandardCharsets.US_ASCII);
    }
}
