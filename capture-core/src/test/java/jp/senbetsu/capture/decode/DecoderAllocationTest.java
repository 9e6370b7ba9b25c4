package jp.senbetsu.capture.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import jp.senbetsu.capture.lab.MachineInfoJsonWriter;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The decoder and the JSON writer allocate nothing per packet: decoding and printing a mix of real packets
 * (every tunnel and link layer) 200,000 times changes this thread's allocated-bytes counter by less than what
 * a single allocation per 100 packets would cost. (The JMH benchmark measures the same with -prof gc.)
 */
class DecoderAllocationTest
{
    @Test
    void decodingAndPrintingAllocateNothingPerPacket()
    {
        final var threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        final com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean)threads;
        assumeTrue(counter.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        counter.setThreadAllocatedMemoryEnabled(true);

        final List<CapturedPackets.Packet> packets = new ArrayList<>();
        for (final String file : new String[] {"zeek_vxlan-triple-v2.pcap", "zeek_geneve-ipv6.pcap", "pcapplusplus_gtp-u.pcap",
            "zeek_erspanIII.pcap", "zeek_gre-within-gre.pcap", "zeek_4in6.pcap", "zeek_Teredo.pcap",
            "pcapplusplus_MplsPackets.pcap", "suricata_pppoe-session-http.pcap", "libpcap_ipv6_ext_headers.pcap",
            "pcapplusplus_IcmpPackets.pcap", "pcapplusplus_sll.pcap", "zeek_irc-353.pcap", "pcapplusplus_ip6_fragments.pcap",
            "zeek_wikipedia.pcap"})
        {
            packets.addAll(CapturedPackets.all(file));
        }
        final UnsafeBuffer[] buffers = packets.stream().map(p -> new UnsafeBuffer(p.bytes())).toArray(UnsafeBuffer[]::new);
        final PacketDecoder decoder = new PacketDecoder();
        final MachineInfoRecord record = new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
        final MachineInfoJsonWriter writer = new MachineInfoJsonWriter();

        final int iterations = 200_000;
        long checksum = run(packets, buffers, decoder, record, writer, iterations); // warm-up
        final long before = counter.getCurrentThreadAllocatedBytes();
        checksum += run(packets, buffers, decoder, record, writer, iterations);
        final long allocated = counter.getCurrentThreadAllocatedBytes() - before;
        assertTrue(checksum != 0);
        assertTrue(allocated < iterations / 100 * 16L,
            allocated + " bytes allocated for " + iterations + " packets decoded and printed");
    }

    private static long run(
        final List<CapturedPackets.Packet> packets, final UnsafeBuffer[] buffers, final PacketDecoder decoder,
        final MachineInfoRecord record, final MachineInfoJsonWriter writer, final int iterations)
    {
        long checksum = 0;
        for (int i = 0; i < iterations; i++)
        {
            final int index = i % buffers.length;
            final CapturedPackets.Packet p = packets.get(index);
            decoder.decode(0, p.linkType(), p.timestampNs(), p.wireLength(), buffers[index], 0, buffers[index].capacity(), record);
            checksum += writer.encode(record);
        }
        return checksum;
    }
}
