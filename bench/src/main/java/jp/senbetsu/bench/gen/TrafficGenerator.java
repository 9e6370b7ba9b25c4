package jp.senbetsu.bench.gen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Seeded generator of border-like traffic captures: a fixed number of concurrently open flows (TCP with
 * handshake and FIN/RST close, UDP, ICMP echo; IPv4 and IPv6; some 802.1Q-tagged) whose packets interleave at
 * random, with hosts spread over domestic, foreign and unknown address space. The same seed always yields the
 * same bytes, so benchmarks and the bundled sample are reproducible and no one's real traffic is needed.
 *
 * <p>Frames are captured with a headers-only snaplen (default 128) while the recorded wire length follows an
 * IMIX-like size mix, exactly as a tap feed with a header snaplen looks.
 */
@Command(name = "generate-traffic", mixinStandardHelpOptions = true,
    description = "Write a seeded synthetic capture (classic pcap, nanosecond, Ethernet).")
public final class TrafficGenerator implements Callable<Integer>
{
    private static final long DEFAULT_START_NS = 1_774_915_200_000_000_000L; // 2026-03-31T00:00:00Z

    @Option(names = "--packets", description = "Packets to write (default: ${DEFAULT-VALUE}).")
    long packets = 100_000;

    @Option(names = "--flows", description = "Flows open at any moment (default: ${DEFAULT-VALUE}).")
    int concurrentFlows = 1_000;

    @Option(names = "--packets-per-flow", description = "Mean packets per flow (default: ${DEFAULT-VALUE}).")
    int meanPacketsPerFlow = 20;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 20_260_331L;

    @Option(names = "--rate", description = "Mean packets per second of capture time (default: ${DEFAULT-VALUE}).")
    long packetsPerSecond = 1_000_000;

    @Option(names = "--snaplen", description = "Captured bytes per frame (default: ${DEFAULT-VALUE}).")
    int snaplen = 128;

    @Option(names = "--start-ns", description = "Timestamp of the first packet, ns since the epoch.")
    long startNs = DEFAULT_START_NS;

    @Option(names = "--payload-marker", description = "Bytes repeated through every payload (default: ${DEFAULT-VALUE}).")
    String payloadMarker = "SENBETSU-PAYLOAD-CANARY";

    @Option(names = { "-o", "--output" }, required = true, description = "Capture file to write.")
    Path output;

    private final FlowTable flows = new FlowTable();

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new TrafficGenerator()).execute(args));
    }

    @Override
    public Integer call() throws IOException
    {
        final Summary summary = generate();
        System.out.printf("wrote %s: %d packets, %d flows (%d concurrent), seed %d%n",
            output, summary.packets, summary.flowsStarted, concurrentFlows, seed);
        return 0;
    }

    /** What a run produced, for callers that generate captures in process (tests, benchmarks). */
    public record Summary(long packets, long flowsStarted)
    {
    }

    /** Generates the capture described by the options into {@link #output}. */
    public Summary generate() throws IOException
    {
        if (snaplen < 96)
        {
            throw new IllegalArgumentException("--snaplen must be at least 96 to hold the generated headers");
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final FrameBuilder builder = new FrameBuilder(snaplen, payloadMarker.getBytes(StandardCharsets.US_ASCII));
        flows.allocate(concurrentFlows);
        long flowsStarted = 0;
        for (int i = 0; i < concurrentFlows; i++)
        {
            flows.start(i, random, meanPacketsPerFlow);
            flowsStarted++;
        }
        final double meanGapNs = 1e9 / packetsPerSecond;
        long now = startNs;
        try (PcapWriter writer = new PcapWriter(output, snaplen))
        {
            for (long n = 0; n < packets; n++)
            {
                final int f = random.nextInt(concurrentFlows);
                final int wireLength = flows.nextPacket(f, random, builder);
                writer.write(now, builder.frame(), Math.min(snaplen, wireLength), wireLength);
                if (flows.finished(f))
                {
                    flows.start(f, random, meanPacketsPerFlow);
                    flowsStarted++;
                }
                now += 1 + (long)(-Math.log(1.0 - random.nextDouble()) * meanGapNs);
            }
        }
        return new Summary(packets, flowsStarted);
    }

    /** Struct-of-arrays state of the open flows: no object per flow, so millions of flows stay cheap. */
    private static final class FlowTable
    {
        private static final int STATE_SYN = 0;
        private static final int STATE_SYN_ACK = 1;
        private static final int STATE_DATA = 2;
        private static final int STATE_FIN = 3;
        private static final int STATE_FIN_ACK = 4;
        private static final int STATE_DONE = 5;
        private static final int[] SERVICE_PORTS = { 443, 80, 53, 123, 22, 25, 8080, 3389, 445, 993 };

        private boolean[] ipv6;
        private int[] protocol;
        private int[] vlan;
        private long[] aHigh;
        private long[] aLow;
        private long[] bHigh;
        private long[] bLow;
        private int[] aPort;
        private int[] bPort;
        private int[] remaining;
        private int[] state;
        private int[] sequence;

        void allocate(final int n)
        {
            ipv6 = new boolean[n];
            protocol = new int[n];
            vlan = new int[n];
            aHigh = new long[n];
            aLow = new long[n];
            bHigh = new long[n];
            bLow = new long[n];
            aPort = new int[n];
            bPort = new int[n];
            remaining = new int[n];
            state = new int[n];
            sequence = new int[n];
        }

        void start(final int f, final SplittableRandom random, final int meanPackets)
        {
            ipv6[f] = random.nextInt(100) < 20;
            final int p = random.nextInt(100);
            protocol[f] = p < 70 ? FrameBuilder.PROTO_TCP : p < 95 ? FrameBuilder.PROTO_UDP :
                ipv6[f] ? FrameBuilder.PROTO_ICMPV6 : FrameBuilder.PROTO_ICMP;
            vlan[f] = random.nextInt(100) < 10 ? 100 + random.nextInt(8) : 0;
            // category mix: 30% transit, 25% inbound, 25% outbound, 15% domestic-domestic, 5% unknown end
            final int c = random.nextInt(100);
            final AddressPlan.Side sideA = c < 30 ? AddressPlan.Side.FOREIGN : c < 55 ? AddressPlan.Side.FOREIGN :
                c < 95 ? AddressPlan.Side.DOMESTIC : AddressPlan.Side.UNKNOWN;
            final AddressPlan.Side sideB = c < 30 ? AddressPlan.Side.FOREIGN : c < 55 ? AddressPlan.Side.DOMESTIC :
                c < 80 ? AddressPlan.Side.FOREIGN : c < 95 ? AddressPlan.Side.DOMESTIC : AddressPlan.Side.FOREIGN;
            if (ipv6[f])
            {
                aHigh[f] = AddressPlan.randomIpv6High(sideA, random);
                aLow[f] = random.nextLong();
                bHigh[f] = AddressPlan.randomIpv6High(sideB, random);
                bLow[f] = random.nextLong();
            }
            else
            {
                aHigh[f] = 0;
                aLow[f] = AddressPlan.randomIpv4(sideA, random);
                bHigh[f] = 0;
                bLow[f] = AddressPlan.randomIpv4(sideB, random);
            }
            aPort[f] = 1024 + random.nextInt(64_511);
            bPort[f] = wellKnownPort(random);
            remaining[f] = 1 + (int)(-Math.log(1.0 - random.nextDouble()) * meanPackets);
            state[f] = protocol[f] == FrameBuilder.PROTO_TCP ? STATE_SYN : STATE_DATA;
            sequence[f] = random.nextInt();
        }

        boolean finished(final int f)
        {
            return state[f] == STATE_DONE;
        }

        /** Builds the flow's next packet into the builder and returns its wire length. */
        int nextPacket(final int f, final SplittableRandom random, final FrameBuilder builder)
        {
            final boolean tcp = protocol[f] == FrameBuilder.PROTO_TCP;
            boolean forward = random.nextBoolean();
            int flags = 0;
            // control segments carry no payload: their wire length is the bare headers
            int wireLength = imixLength(random);
            switch (state[f])
            {
                case STATE_SYN -> { forward = true; flags = 0x02; wireLength = 0; state[f] = STATE_SYN_ACK; }
                case STATE_SYN_ACK -> { forward = false; flags = 0x12; wireLength = 0; state[f] = STATE_DATA; }
                case STATE_FIN -> { forward = true; flags = 0x11; wireLength = 0; state[f] = STATE_FIN_ACK; }
                case STATE_FIN_ACK -> { forward = false; flags = 0x11; wireLength = 0; state[f] = STATE_DONE; }
                default ->
                {
                    flags = tcp ? 0x18 : 0;
                    if (--remaining[f] <= 0)
                    {
                        if (!tcp)
                        {
                            state[f] = STATE_DONE;
                        }
                        else if (random.nextInt(100) < 5)
                        {
                            flags = 0x04; // reset instead of an orderly close
                            wireLength = 0;
                            state[f] = STATE_DONE;
                        }
                        else
                        {
                            state[f] = STATE_FIN;
                        }
                    }
                }
            }
            final int minimum = 14 + (vlan[f] != 0 ? 4 : 0) + (ipv6[f] ? 40 : 20) + (tcp ? 20 : 8);
            wireLength = Math.max(wireLength, minimum);
            sequence[f] += wireLength;
            if (forward)
            {
                builder.build(vlan[f], ipv6[f], aHigh[f], aLow[f], bHigh[f], bLow[f], protocol[f], aPort[f], bPort[f],
                    flags, sequence[f], wireLength);
            }
            else
            {
                builder.build(vlan[f], ipv6[f], bHigh[f], bLow[f], aHigh[f], aLow[f], protocol[f], bPort[f], aPort[f],
                    flags, sequence[f], wireLength);
            }
            return wireLength;
        }

        private static int wellKnownPort(final SplittableRandom random)
        {
            return SERVICE_PORTS[random.nextInt(SERVICE_PORTS.length)];
        }

        /** Simple IMIX: 7 parts 64 B, 4 parts 576 B, 1 part 1500 B (wire length without FCS: 60, 576, 1514). */
        private static int imixLength(final SplittableRandom random)
        {
            final int r = random.nextInt(12);
            return r < 7 ? 60 : r < 11 ? 576 : 1514;
        }
    }
}
