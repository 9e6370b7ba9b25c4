package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.DecodeStatus.ETH_TRUNCATED;
import static jp.senbetsu.capture.decode.DecodeStatus.ICMP_TRUNCATED;
import static jp.senbetsu.capture.decode.DecodeStatus.IPV4_TRUNCATED;
import static jp.senbetsu.capture.decode.DecodeStatus.IPV6_TRUNCATED;
import static jp.senbetsu.capture.decode.DecodeStatus.MPLS_TRUNCATED;
import static jp.senbetsu.capture.decode.DecodeStatus.OK;
import static jp.senbetsu.capture.decode.DecodeStatus.TCP_TRUNCATED;
import static jp.senbetsu.capture.decode.DecodeStatus.UDP_TRUNCATED;
import static jp.senbetsu.capture.decode.DecodeStatus.VLAN_TRUNCATED;
import static jp.senbetsu.capture.decode.DecodeStatus.VXLAN_TRUNCATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.junit.jupiter.api.Test;

/**
 * Real packets cut at every byte (as a snaplen would cut them), in arrays of exactly the cut length so that
 * any read past the cut fails: each cut inside a header must be reported as that header's truncation, and the
 * headers before the cut must still be in the record.
 */
class TruncationTest
{
    private final PacketDecoder decoder = new PacketDecoder();

    @Test
    void rawIpv4TcpIsCutAtEveryByte()
    {
        // LINKTYPE_IPV4: IPv4 (20) TCP (20)
        assertCuts(CapturedPackets.packet("suricata_linktype-228.pcap", 1), 20,
            new int[] {20, 40}, new DecodeStatus[] {IPV4_TRUNCATED, TCP_TRUNCATED});
    }

    @Test
    void fourInSixIsCutAtEveryByte()
    {
        // Ethernet (14) IPv6 (40) IPv4 (20) TCP (20)
        assertCuts(CapturedPackets.packet("zeek_4in6.pcap", 1), 54,
            new int[] {14, 54, 74, 94}, new DecodeStatus[] {ETH_TRUNCATED, IPV6_TRUNCATED, IPV4_TRUNCATED, TCP_TRUNCATED});
    }

    @Test
    void mplsPseudowireIsCutAtEveryByte()
    {
        // Ethernet (14) MPLS 18 (4) MPLS 16 (4) control word (4) Ethernet (14) 802.1Q (4) IPv4 (20) ICMP (4)
        assertCuts(CapturedPackets.packet("pcapplusplus_MplsPackets.pcap", 2), 64,
            new int[] {14, 18, 22, 26, 40, 44, 64, 68},
            new DecodeStatus[] {ETH_TRUNCATED, MPLS_TRUNCATED, MPLS_TRUNCATED, MPLS_TRUNCATED, ETH_TRUNCATED,
                VLAN_TRUNCATED, IPV4_TRUNCATED, ICMP_TRUNCATED});
    }

    @Test
    void tripleVxlanIsCutAtEveryByte()
    {
        // three times Ethernet (14) IPv4 (20) UDP (8) VXLAN (8), then Ethernet IPv4 UDP (DNS payload not decoded)
        assertCuts(CapturedPackets.packet("zeek_vxlan-triple-v2.pcap", 1), 34,
            new int[] {14, 34, 42, 50, 64, 84, 92, 100, 114, 134, 142, 150, 164, 184, 192},
            new DecodeStatus[] {ETH_TRUNCATED, IPV4_TRUNCATED, UDP_TRUNCATED, VXLAN_TRUNCATED,
                ETH_TRUNCATED, IPV4_TRUNCATED, UDP_TRUNCATED, VXLAN_TRUNCATED,
                ETH_TRUNCATED, IPV4_TRUNCATED, UDP_TRUNCATED, VXLAN_TRUNCATED,
                ETH_TRUNCATED, IPV4_TRUNCATED, UDP_TRUNCATED});
    }

    /**
     * Every packet of captures covering each decoder, cut at every byte: never an exception or a read past the
     * cut, and a cut packet is never reported "ok" unless it decodes exactly as the whole packet does (the
     * decoder does not silently hand out a shorter result as complete).
     */
    @Test
    void noCutIsSilentlyReportedAsComplete()
    {
        final String[] files = {
            "zeek_vxlan-triple-v2.pcap", "zeek_geneve-ipv6.pcap", "pcapplusplus_gtp-u.pcap", "zeek_gtp_ext_header.pcap",
            "zeek_erspanI.pcap", "zeek_erspanII.pcap", "zeek_erspanIII.pcap", "zeek_gre-within-gre.pcap",
            "tcpdump_pptp.pcap", "zeek_4in4.pcap", "zeek_ping6-in-ipv4.pcap", "zeek_4in6.pcap",
            "tcpdump_mpls-over-udp.pcap", "tcpdump_nsh-over-vxlan-gpe.pcap", "zeek_vlan-qinqinq.pcap",
            "pcapplusplus_QinQ_802.1_AD.pcapng", "pcapplusplus_MplsPackets.pcap", "suricata_pppoe-session-http.pcap",
            "zeek_pppoe.pcap", "zeek_nflog-http.pcap", "pcapplusplus_CiscoHDLC.pcap", "zeek_linux_dlt_sll2.pcap",
            "pcapplusplus_sll.pcap", "pcapplusplus_raw_ip.pcap", "zeek_irc-353.pcap", "gopacket_test_loopback.pcap",
            "suricata_frag-ppp-ip-tcp-syn.pcap", "pcapplusplus_ipv4-options.pcap", "pcapplusplus_ip6_fragments.pcap",
            "libpcap_ipv6_ext_headers.pcap", "pcapplusplus_IcmpPackets.pcap", "zeek_icmp6-paramprob.pcap",
            "tcpdump_ipoib.pcap", "tcpdump_macsec-integonly.pcap", "libpcap_http_PPI.pcap", "suricata_decode-etag-01.pcap",
            "zeek_vntag.pcap", "zeek_cisco-fabric-path.pcap", "zeek_sctp.pcap", "tcpdump_icmp-icmp_print-oobr-2.pcap"};
        int cuts = 0;
        for (final String file : files)
        {
            final List<CapturedPackets.Packet> packets = CapturedPackets.all(file);
            for (final CapturedPackets.Packet p : packets.subList(0, Math.min(6, packets.size())))
            {
                final String whole = withoutLengths(CapturedPackets.json(CapturedPackets.decode(decoder, p, p.bytes())));
                for (int length = 0; length < p.bytes().length; length++)
                {
                    final MachineInfoRecord record = CapturedPackets.decode(decoder, p, p.truncated(length));
                    if (record.status() == OK.code())
                    {
                        assertEquals(whole, withoutLengths(CapturedPackets.json(record)),
                            p.file() + " #" + p.number() + " cut to " + length + " bytes is ok but differs from the whole");
                    }
                    cuts++;
                }
            }
        }
        assertTrue(cuts > 10_000, "too few cuts tried: " + cuts);
    }

    /**
     * As in a mapped capture file or a ring slot: the cut packet is followed in memory by more bytes (here the
     * whole packet again), and they must count for nothing. Each cut gives the same record as the cut packet alone
     * in an array of its exact length, where any read past the cut would throw.
     */
    @Test
    void bytesAfterTheCapturedLengthNeverReachTheRecord()
    {
        final CapturedPackets.Packet p = CapturedPackets.packet("zeek_vxlan-triple-v2.pcap", 1);
        final byte[] whole = p.bytes();
        final int at = 64;
        final byte[] file = new byte[at + 2 * whole.length];
        for (int length = 0; length <= whole.length; length++)
        {
            java.util.Arrays.fill(file, (byte)0);
            System.arraycopy(whole, 0, file, at, length);
            System.arraycopy(whole, 0, file, at + length, whole.length);
            final MachineInfoRecord inFile = new MachineInfoRecord()
                .wrap(new org.agrona.concurrent.UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
            decoder.decode(p.interfaceIndex(), p.linkType(), p.timestampNs(), p.wireLength(),
                new org.agrona.concurrent.UnsafeBuffer(file), at, length, inFile);
            final MachineInfoRecord alone = CapturedPackets.decode(decoder, p, p.truncated(length));
            assertEquals(CapturedPackets.json(alone), CapturedPackets.json(inFile), "cut to " + length + " bytes");
        }
    }

    private void assertCuts(
        final CapturedPackets.Packet p, final int firstIpEnd, final int[] headerEnds, final DecodeStatus[] statuses)
    {
        assertEquals(headerEnds[headerEnds.length - 1] <= p.bytes().length, true, "packet shorter than its headers");
        int header = 0;
        for (int length = 0; length <= p.bytes().length; length++)
        {
            while (header < headerEnds.length && length >= headerEnds[header])
            {
                header++;
            }
            final DecodeStatus expected = header < headerEnds.length ? statuses[header] : OK;
            final MachineInfoRecord record = CapturedPackets.decode(decoder, p, p.truncated(length));
            assertEquals(expected.reason(), DecodeStatus.ofCode(record.status()).reason(),
                p.file() + " #" + p.number() + " cut to " + length + " bytes");
            assertEquals(length, record.capturedLength());
            if (length >= firstIpEnd)
            {
                // once an IP header is complete, a later cut keeps it
                assertNotEquals(0, record.presence() & MachineInfoRecord.HAS_IP, "IP lost at cut " + length);
            }
        }
    }

    private static String withoutLengths(final String json)
    {
        return json.replaceFirst("\"caplen\":\\d+,", "").replaceFirst(",\"status\":\"[^\"]*\"", "");
    }
}
