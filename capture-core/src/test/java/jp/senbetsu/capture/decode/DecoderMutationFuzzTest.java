package jp.senbetsu.capture.decode;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing over real packets: 200,000 packets taken from captures that cover every decoder, each
 * mutated (bit flips, interesting bytes in header positions, cuts, splices of another packet, another link
 * type) and decoded from an array of exactly its length, so that a read outside the packet throws. The decoder
 * must never throw, must always set a known status, and must keep the record self-consistent.
 */
class DecoderMutationFuzzTest
{
    private static final long SEED = 0x5E_4B_E7_5Bl;
    private static final int ITERATIONS = 200_000;
    private static final byte[] INTERESTING = {
        0x00, (byte)0xFF, 0x7F, (byte)0x80, 0x01, 0x45, 0x4F, 0x60, 0x08, (byte)0x86, (byte)0xDD, (byte)0x81,
        (byte)0x88, 0x47, (byte)0xA8, 0x64, 0x06, 0x11, 0x2F, 0x29, 0x04, 0x3A, 0x2C, 0x2B, 0x33, 0x32, 0x3C,
        0x12, (byte)0xB5, 0x17, (byte)0xC1, 0x08, 0x65, 0x58, (byte)0xBE, 0x22, (byte)0xEB, (byte)0xE5, (byte)0xE7};
    private static final int[] LINK_TYPES = {0, 1, 9, 12, 14, 50, 101, 104, 105, 107, 108, 113, 127, 192, 228, 229,
        239, 242, 274, 276, 147};

    @Test
    void mutatedRealPacketsNeverBreakTheDecoder()
    {
        final String[] files = {
            "zeek_vxlan-triple-v2.pcap", "zeek_geneve-ipv6.pcap", "zeek_geneve.pcap", "pcapplusplus_gtp-u.pcap",
            "zeek_gtp_ext_header.pcap", "zeek_erspanI.pcap", "zeek_erspanII.pcap", "zeek_erspanIII.pcap",
            "tcpdump_erspan-type-iii-pb-1.pcap", "zeek_gre-within-gre.pcap", "tcpdump_pptp.pcap",
            "zeek_erspan-gre-teb.pcap", "zeek_4in4.pcap", "zeek_ping6-in-ipv4.pcap", "zeek_4in6.pcap", "zeek_Teredo.pcap",
            "tcpdump_mpls-over-udp.pcap", "tcpdump_nsh-over-vxlan-gpe.pcap", "zeek_vlan-qinqinq.pcap",
            "pcapplusplus_QinQ_802.1_AD.pcapng", "pcapplusplus_MplsPackets.pcap", "suricata_pppoe-session-http.pcap",
            "zeek_pppoe.pcap", "zeek_nflog-http.pcap", "pcapplusplus_CiscoHDLC.pcap", "zeek_linux_dlt_sll2.pcap",
            "pcapplusplus_sll.pcap", "pcapplusplus_raw_ip.pcap", "zeek_irc-353.pcap", "gopacket_test_loopback.pcap",
            "suricata_frag-ppp-ip-tcp-syn.pcap", "pcapplusplus_ipv4-options.pcap", "pcapplusplus_ip6_fragments.pcap",
            "pcapplusplus_ip4_fragments.pcap", "libpcap_ipv6_ext_headers.pcap", "pcapplusplus_IcmpPackets.pcap",
            "zeek_icmp6-paramprob.pcap", "tcpdump_ipoib.pcap", "tcpdump_macsec-integonly.pcap", "libpcap_http_PPI.pcap",
            "suricata_decode-etag-01.pcap", "zeek_vntag.pcap", "zeek_cisco-fabric-path.pcap", "zeek_sctp.pcap",
            "tcpdump_icmp-icmp_print-oobr-2.pcap", "zeek_pbb-recursive-frames.pcapng",
            "suricata_decode-too-many-layers.pcap", "tcpdump_bigtcp-ipv6-hbh.pcap", "zeek_ip6_esp.pcap",
            "libpcap_AH-IPcomp-IPv4.pcap", "pcapplusplus_tcp-malformed.pcap", "pcapplusplus_ipv4-malformed.pcap"};
        final List<CapturedPackets.Packet> corpus = new ArrayList<>();
        for (final String file : files)
        {
            final List<CapturedPackets.Packet> packets = CapturedPackets.all(file);
            corpus.addAll(packets.subList(0, Math.min(20, packets.size())));
        }
        assertTrue(corpus.size() > 300, "too few seed packets: " + corpus.size());

        final SplittableRandom random = new SplittableRandom(SEED);
        final DecodeCounters counters = new DecodeCounters();
        final PacketDecoder decoder = new PacketDecoder(new DecoderConfiguration(), counters);
        final MachineInfoRecord record = new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final CapturedPackets.Packet seed = corpus.get(random.nextInt(corpus.size()));
            final byte[] bytes = mutate(seed.bytes(), corpus.get(random.nextInt(corpus.size())).bytes(), random);
            final int linkType = random.nextInt(20) == 0 ? LINK_TYPES[random.nextInt(LINK_TYPES.length)] : seed.linkType();
            final DecodeStatus status;
            try
            {
                status = decoder.decode(0, linkType, seed.timestampNs(), seed.wireLength(), new UnsafeBuffer(bytes), 0,
                    bytes.length, record);
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("iteration " + i + " (seed " + seed.file() + " #" + seed.number() + ", link type " +
                    linkType + ", " + bytes.length + " bytes " + java.util.HexFormat.of().formatHex(bytes) + ")", ex);
            }
            assertNotNull(status);
            assertConsistent(record, bytes.length, i);
        }
        assertTrue(counters.total() == ITERATIONS, "every packet counted once");
        assertTrue(counters.count(DecodeStatus.OK) > ITERATIONS / 10, "mutations too destructive to test deep layers");
        assertTrue(counters.notOk() > ITERATIONS / 10, "mutations too gentle to reach error paths");
    }

    private static void assertConsistent(final MachineInfoRecord record, final int capturedLength, final int iteration)
    {
        final int presence = record.presence();
        if (DecodeStatus.ofCode(record.status()) == null)
        {
            fail("iteration " + iteration + ": unknown status code " + record.status());
        }
        if (record.capturedLength() != capturedLength)
        {
            fail("iteration " + iteration + ": captured length not kept");
        }
        if ((presence & (MachineInfoRecord.HAS_PORTS | MachineInfoRecord.HAS_ICMP | MachineInfoRecord.HAS_FRAGMENT)) != 0 &&
            (presence & MachineInfoRecord.HAS_IP) == 0)
        {
            fail("iteration " + iteration + ": transport or fragment without IP, presence " + presence);
        }
        if ((presence & MachineInfoRecord.HAS_IP) != 0 && record.ipVersion() != 4 && record.ipVersion() != 6)
        {
            fail("iteration " + iteration + ": IP present with version " + record.ipVersion());
        }
        if ((presence & MachineInfoRecord.HAS_TUNNEL) != 0 && record.tunnelDepth() == 0)
        {
            fail("iteration " + iteration + ": tunnel without depth");
        }
    }

    private static byte[] mutate(final byte[] original, final byte[] other, final SplittableRandom random)
    {
        byte[] bytes = original.clone();
        final int mutations = 1 + random.nextInt(6);
        for (int m = 0; m < mutations && bytes.length > 0; m++)
        {
            // header bytes matter most: bias positions towards the first 128 bytes
            final int position = random.nextInt(Math.min(bytes.length, random.nextBoolean() ? 128 : bytes.length));
            switch (random.nextInt(6))
            {
                case 0 -> bytes[position] ^= (byte)(1 << random.nextInt(8));
                case 1 -> bytes[position] = INTERESTING[random.nextInt(INTERESTING.length)];
                case 2 -> bytes[position] = (byte)random.nextInt(256);
                case 3 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                case 4 ->
                {
                    // splice: the tail of another packet after a prefix of this one
                    final int from = random.nextInt(other.length + 1);
                    final byte[] spliced = java.util.Arrays.copyOf(bytes, position + other.length - from);
                    System.arraycopy(other, from, spliced, position, other.length - from);
                    bytes = spliced;
                }
                default ->
                {
                    // a 16-bit length or type field set to an extreme
                    if (position + 1 < bytes.length)
                    {
                        final int value = random.nextBoolean() ? 0 : (random.nextBoolean() ? 0xFFFF : random.nextInt(64));
                        bytes[position] = (byte)(value >>> 8);
                        bytes[position + 1] = (byte)value;
                    }
                }
            }
        }
        return bytes;
    }
}
