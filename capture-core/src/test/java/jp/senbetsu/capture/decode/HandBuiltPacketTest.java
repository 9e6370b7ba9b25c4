package jp.senbetsu.capture.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Edge cases no capture of the corpus shows cleanly, built byte by byte (hex below, header by header): both
 * byte orders of BSD loopback, 802.3 LLC/SNAP, GRE with every optional field, TCP's NS flag, malformed IPv4,
 * TCP and UDP length fields, ICMP errors, ESP, and IPv6 zero payload length.
 */
class HandBuiltPacketTest
{
    private static final String ETH_IPV4 = "020000000001" + "020000000002" + "0800";
    private static final String IPV4_TCP_10_0_0_1_TO_10_0_0_2 = "45000028" + "00010000" + "40060000" + "0a000001" + "0a000002";
    private static final String TCP_1234_TO_80_SYN_ECE_CWR_NS = "04d20050" + "00000001" + "00000000" + "51c2ffff" + "00000000";

    private final PacketDecoder decoder = new PacketDecoder();

    private MachineInfoRecord decode(final int linkType, final String hex)
    {
        final byte[] bytes = HexFormat.of().parseHex(hex);
        final MachineInfoRecord record = new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
        decoder.decode(0, linkType, 0, bytes.length, new UnsafeBuffer(bytes), 0, bytes.length, record);
        return record;
    }

    private static String json(final MachineInfoRecord record)
    {
        final String full = CapturedPackets.json(record);
        return full.substring(full.indexOf(",\"caplen\":") + 1, full.length() - 1).replaceFirst("^\"caplen\":\\d+,?", "");
    }

    @Test
    void tcpFlagsIncludeEceCwrAndNs()
    {
        final MachineInfoRecord r = decode(1, ETH_IPV4 + IPV4_TCP_10_0_0_1_TO_10_0_0_2 + TCP_1234_TO_80_SYN_ECE_CWR_NS);
        assertEquals("\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"proto\":6,\"sport\":1234,\"dport\":80,\"tcp_flags\":450,\"status\":\"ok\"", json(r));
        assertEquals(20, r.tcpHeaderLength());
        assertEquals(64, r.ttl());
    }

    @Test
    void bsdLoopbackInEitherByteOrder()
    {
        final String ip = IPV4_TCP_10_0_0_1_TO_10_0_0_2 + TCP_1234_TO_80_SYN_ECE_CWR_NS;
        assertEquals("ok", status(decode(0, "02000000" + ip)));        // written by a little-endian host
        assertEquals("ok", status(decode(0, "00000002" + ip)));        // written by a big-endian host
        assertEquals("ok", status(decode(108, "00000002" + ip)));      // LINKTYPE_LOOP: network order always
        assertEquals("null.unsupported_family", status(decode(0, "07000000" + ip)));
    }

    @Test
    void ieee8023WithLlcSnapCarriesIpAndPaddingIsNotPayload()
    {
        // 802.3 length 48 = LLC/SNAP 8 + IPv4 20 + TCP 20; then 4 bytes of padding
        final MachineInfoRecord r = decode(1, "020000000001" + "020000000002" + "0030" + "aaaa03" + "000000" + "0800" +
            IPV4_TCP_10_0_0_1_TO_10_0_0_2 + TCP_1234_TO_80_SYN_ECE_CWR_NS + "00000000");
        assertEquals("ok", status(r));
        assertEquals(1234, r.srcPort());
        assertEquals("llc.unsupported", status(decode(1, "020000000001" + "020000000002" + "0026" + "424203" + "0000")));
    }

    @Test
    void greWithChecksumKeyAndSequenceKeepsTheKey()
    {
        final String outer = "4500004c" + "00000000" + "402f0000" + "c0000201" + "c0000202";
        final String gre = "b000" + "0800" + "00000000" + "0000beef" + "00000007"; // C K S, checksum, key, sequence
        final MachineInfoRecord r = decode(1, ETH_IPV4 + outer + gre + IPV4_TCP_10_0_0_1_TO_10_0_0_2 + TCP_1234_TO_80_SYN_ECE_CWR_NS);
        assertEquals("\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"proto\":6,\"sport\":1234,\"dport\":80,\"tcp_flags\":450," +
            "\"tunnel\":{\"type\":\"gre\",\"src\":\"192.0.2.1\",\"dst\":\"192.0.2.2\",\"id\":48879,\"depth\":1},\"status\":\"ok\"", json(r));
        assertEquals("gre.unsupported_version", status(decode(1, ETH_IPV4 + outer + "0002" + "0800")));
    }

    @Test
    void malformedIpv4KeepsNothingOfIt()
    {
        final MachineInfoRecord badIhl = decode(1, ETH_IPV4 + "44000028" + "00010000" + "40060000" + "0a000001" + "0a000002");
        assertEquals("ipv4.bad_ihl", status(badIhl));
        assertEquals(0, badIhl.presence() & MachineInfoRecord.HAS_IP);
        assertEquals("ipv4.bad_total_length", status(decode(1, ETH_IPV4 + "45000013" + "00010000" + "40060000" + "0a000001" + "0a000002")));
        assertEquals("ipv4.bad_version", status(decode(228, "55000028" + "00010000" + "40060000" + "0a000001" + "0a000002")));
    }

    @Test
    void malformedTransportKeepsItsPorts()
    {
        final MachineInfoRecord badOffset = decode(228, IPV4_TCP_10_0_0_1_TO_10_0_0_2 + "04d20050" + "00000001" + "00000000" + "40020000" + "00000000");
        assertEquals("tcp.bad_data_offset", status(badOffset));
        assertEquals(80, badOffset.dstPort());
        assertEquals(0, badOffset.presence() & MachineInfoRecord.HAS_TCP);
        final MachineInfoRecord badUdp = decode(228, "4500001c" + "00010000" + "40110000" + "0a000001" + "0a000002" + "00350035" + "00040000");
        assertEquals("udp.bad_length", status(badUdp));
        assertEquals(53, badUdp.srcPort());
    }

    @Test
    void icmpErrorKeepsTheOuterPacketNotTheQuotedOne()
    {
        // ICMP destination unreachable (3/3) from 10.0.0.2 quoting a UDP packet 10.0.0.1 -> 198.51.100.7
        final MachineInfoRecord r = decode(228, "45000038" + "00010000" + "40010000" + "0a000002" + "0a000001" +
            "03030000" + "00000000" + "4500001c" + "00010000" + "40110000" + "0a000001" + "c6336407" + "30390035" + "00080000");
        assertEquals("\"src\":\"10.0.0.2\",\"dst\":\"10.0.0.1\",\"proto\":1,\"icmp_type\":3,\"icmp_code\":3,\"status\":\"ok\"", json(r));
        assertTrue(r.has(MachineInfoRecord.ICMP_ERROR));
    }

    @Test
    void espEndsDecodingAndAhIsWalked()
    {
        final String v6 = "60000000" + "0018" + "%s" + "40" + "20010db8000000000000000000000001" + "20010db8000000000000000000000002";
        final MachineInfoRecord esp = decode(229, v6.formatted("32") + "00001000" + "00000001" + "deadbeefdeadbeefdeadbeefdeadbeef");
        assertEquals("\"src\":\"2001:db8::1\",\"dst\":\"2001:db8::2\",\"proto\":50,\"status\":\"ok\"", json(esp));
        // AH (next header UDP, length 5 => 28 bytes, 16-byte ICV) then UDP
        final MachineInfoRecord ah = decode(229, "60000000" + "0024" + "33" + "40" + "20010db8000000000000000000000001" +
            "20010db8000000000000000000000002" + "11050000" + "00001000" + "00000001" + "0000000000000000" + "0000000000000000" +
            "1f901f90" + "00080000");
        assertEquals("\"src\":\"2001:db8::1\",\"dst\":\"2001:db8::2\",\"proto\":17,\"sport\":8080,\"dport\":8080,\"status\":\"ok\"", json(ah));
    }

    @Test
    void ipv6ZeroPayloadLengthIsEmptyUnlessJumbo()
    {
        final String header = "60000000" + "0000" + "00" + "40" + "20010db8000000000000000000000001" + "20010db8000000000000000000000002";
        // hop-by-hop with only padding, then TCP: not a jumbogram, so nothing after the fixed header counts
        final MachineInfoRecord plain = decode(229, header + "06000100" + "00000000" + TCP_1234_TO_80_SYN_ECE_CWR_NS);
        assertEquals("\"src\":\"2001:db8::1\",\"dst\":\"2001:db8::2\",\"proto\":0,\"status\":\"ok\"", json(plain));
        // hop-by-hop with a Jumbo Payload option (C2 04 + length): the payload is the rest of the capture
        final MachineInfoRecord jumbo = decode(229, header + "0600c204" + "00010030" + TCP_1234_TO_80_SYN_ECE_CWR_NS);
        assertEquals("\"src\":\"2001:db8::1\",\"dst\":\"2001:db8::2\",\"proto\":6,\"sport\":1234,\"dport\":80,\"tcp_flags\":450,\"status\":\"ok\"", json(jumbo));
    }

    @Test
    void pppoeWithUncompressedProtocolAndUnsupportedLinkType()
    {
        final MachineInfoRecord r = decode(1, "020000000001" + "020000000002" + "8864" + "1100" + "0001" + "002a" + "0021" +
            IPV4_TCP_10_0_0_1_TO_10_0_0_2 + TCP_1234_TO_80_SYN_ECE_CWR_NS);
        assertEquals("ok", status(r));
        assertEquals(80, r.dstPort());
        assertEquals("linktype.unsupported", status(decode(147, "00")));
        assertEquals("eth.truncated", status(decode(1, "")));
    }

    private static String status(final MachineInfoRecord record)
    {
        return DecodeStatus.ofCode(record.status()).reason();
    }
}
