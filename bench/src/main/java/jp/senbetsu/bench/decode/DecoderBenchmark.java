package jp.senbetsu.bench.decode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jp.senbetsu.capture.decode.PacketDecoder;
import jp.senbetsu.capture.file.CaptureFileException;
import jp.senbetsu.capture.file.CaptureFileReader;
import jp.senbetsu.capture.lab.MachineInfoJsonWriter;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The header decoder on a mix of real packets from the shared third-party corpus, already in memory (the
 * capture-file reader is measured on its own): one operation decodes one packet into a record; {@code print}
 * also encodes the record as a JSON line, as {@code senbetsu decode} does. Reports ns/packet; with
 * {@code -prof gc} the allocation per packet, which must be 0.
 *
 * <pre>
 *   mvn -q -B -pl bench -am -DskipTests package
 *   SENBETSU_BENCH_OPTS=-Dsenbetsu.shared=/path/to/shared bench/run-jmh.sh DecoderBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecoderBenchmark
{
    /**
     * {@code enterprise}: every packet of captures of plain traffic (Ethernet, VLAN, IPv4/IPv6, TCP/UDP/ICMP,
     * DNS, HTTP); {@code tunnels}: every packet of the tunnel and link-layer captures (VXLAN, Geneve, GTP-U, GRE,
     * ERSPAN, MPLS, PPPoE, IP-in-IP, Teredo, SLL, raw, null).
     */
    @Param({"enterprise", "tunnels"})
    public String mix;

    private static final String[] ENTERPRISE = {
        "pcapplusplus_many-protocols.pcap", "zeek_wikipedia.pcap", "pcapplusplus_DnsPackets.pcap",
        "zeek_dns-edns-ecs.pcap", "zeek_http-vlan-0.pcap", "pcapplusplus_ip-frag.pcap"};
    private static final String[] TUNNELS = {
        "zeek_vxlan-triple-v2.pcap", "zeek_vxlan.pcap", "zeek_geneve.pcap", "zeek_geneve-ipv6.pcap",
        "pcapplusplus_gtp-u.pcap", "zeek_gtp7_ipv6.pcap", "zeek_gre-sample.pcap", "zeek_gre-within-gre.pcap",
        "pcapplusplus_GrePackets.cap", "zeek_erspanII.pcap", "zeek_erspanIII.pcap", "pcapplusplus_MplsPackets.pcap",
        "zeek_mixed-vlan-mpls.pcap", "suricata_pppoe-session-http.pcap", "zeek_4in4.pcap", "zeek_4in6.pcap",
        "zeek_ping6-in-ipv4.pcap", "zeek_Teredo.pcap", "pcapplusplus_sll.pcap", "pcapplusplus_raw_ip.pcap",
        "zeek_irc-353.pcap", "zeek_linux_dlt_sll2.pcap"};

    private UnsafeBuffer[] packets;
    private int[] linkTypes;
    private int[] wireLengths;
    private int next;
    private final PacketDecoder decoder = new PacketDecoder();
    private final MachineInfoRecord record =
        new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
    private final MachineInfoJsonWriter writer = new MachineInfoJsonWriter();

    @Setup
    public void loadPackets()
    {
        final Path pcaps = Path.of(System.getProperty("senbetsu.shared", "../shared")).resolve("pcaps");
        if (!Files.isDirectory(pcaps))
        {
            throw new IllegalStateException("shared capture corpus not found at " + pcaps.toAbsolutePath() +
                "; pass -Dsenbetsu.shared=...");
        }
        final List<byte[]> bytes = new ArrayList<>();
        final List<int[]> meta = new ArrayList<>();
        for (final String file : "tunnels".equals(mix) ? TUNNELS : ENTERPRISE)
        {
            try (CaptureFileReader reader = CaptureFileReader.open(pcaps.resolve(file)))
            {
                reader.read((ifIndex, linkType, ts, wireLength, buffer, offset, capturedLength) ->
                {
                    final byte[] copy = new byte[capturedLength];
                    buffer.getBytes(offset, copy);
                    bytes.add(copy);
                    meta.add(new int[] {linkType, wireLength});
                });
            }
            catch (final CaptureFileException ex)
            {
                throw new IllegalStateException(ex.getMessage(), ex);
            }
        }
        packets = bytes.stream().map(UnsafeBuffer::new).toArray(UnsafeBuffer[]::new);
        linkTypes = meta.stream().mapToInt(m -> m[0]).toArray();
        wireLengths = meta.stream().mapToInt(m -> m[1]).toArray();
    }

    @Benchmark
    public int decode()
    {
        final int i = nextPacket();
        final UnsafeBuffer packet = packets[i];
        return decoder.decode(0, linkTypes[i], 0L, wireLengths[i], packet, 0, packet.capacity(), record).code();
    }

    @Benchmark
    public int decodeAndPrint()
    {
        final int i = nextPacket();
        final UnsafeBuffer packet = packets[i];
        decoder.decode(0, linkTypes[i], 0L, wireLengths[i], packet, 0, packet.capacity(), record);
        return writer.encode(record);
    }

    private int nextPacket()
    {
        final int i = next;
        next = i + 1 == packets.length ? 0 : i + 1;
        return i;
    }
}
