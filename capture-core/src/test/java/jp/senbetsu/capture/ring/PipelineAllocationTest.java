package jp.senbetsu.capture.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import jp.senbetsu.capture.decode.DecodeCounters;
import jp.senbetsu.capture.decode.DecoderConfiguration;
import jp.senbetsu.capture.decode.PacketDecoder;
import jp.senbetsu.capture.file.CaptureFileReader;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.flow.FlowMetrics;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing per packet is allocated on the heap anywhere in the pipeline: the bundled sample is read through the
 * ring, the real decoder and two flow shards over and over; after a warm-up, the reading thread and every pipeline
 * thread together allocate far less than one byte per packet. Measured with the JVM's per-thread allocation
 * counters, which also see the pipeline's own threads; the JMH benchmarks report the same as B/op.
 */
class PipelineAllocationTest
{
    private static final int ROUNDS = 20;

    @ParameterizedTest(name = "decode on source {0}")
    @ValueSource(booleans = {false, true})
    void readingDecodingAndMeteringAllocateNothingPerPacket(final boolean decodeOnSource) throws IOException
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean &&
            bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
            "per-thread allocation counter not available");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Path sample = Path.of(System.getProperty("senbetsu.root"), "samples", "border-sample.pcap");
        final CaptureRingConfiguration ring = new CaptureRingConfiguration()
            .ringSize(4096).flowShards(2).waitStrategy(WaitStrategyKind.SLEEPING).decodeOnSource(decodeOnSource);
        final PacketDecoder decoder = new PacketDecoder(
            new DecoderConfiguration().snaplen(ring.headerBytes()), new DecodeCounters());
        final MetricsRegistry registry = new MetricsRegistry();
        // timeouts off: time runs backwards each time the sample starts again, and nothing expires on that
        final FlowConfiguration flows = new FlowConfiguration().idleTimeoutNs(0).activeTimeoutNs(0).maxFlows(1 << 14);
        final AtomicLong ended = new AtomicLong();
        try (CapturePipeline pipeline = new CapturePipeline(ring, flows,
            (linkType, frame, offset, length, record) -> decoder.decode(record.interfaceIndex(), linkType,
                record.timestampNs(), record.wireLength(), frame, offset, length, record),
            null, flow -> ended.incrementAndGet(), registry))
        {
            final RingPublisher source = pipeline.publisher(SourceMode.FILE);
            long packetsPerRound = 0;
            for (int round = 0; round < ROUNDS; round++)
            {
                packetsPerRound = readOnce(sample, source);
            }
            long metered = ROUNDS * packetsPerRound;
            awaitMetered(registry, metered);
            final long[] ids = pipeline.stageThreads().stream().mapToLong(Thread::threadId).toArray();
            assertEquals(2 + (decodeOnSource ? 0 : 1), ids.length, "a decode thread unless decoding on the source, "
                + "and one thread per flow shard");
            // the least of three measurements: a compilation finishing late on a busy machine costs one of them
            long allocated = Long.MAX_VALUE;
            long endedWhileMeasured = 0;
            for (int attempt = 0; attempt < 3 && allocated >= ROUNDS * packetsPerRound / 10; attempt++)
            {
                final long endedBefore = ended.get();
                final long[] before = threads.getThreadAllocatedBytes(ids);
                long measured = 0;
                for (int round = 0; round < ROUNDS; round++)
                {
                    try (CaptureFileReader reader = CaptureFileReader.open(sample))
                    {
                        // the reader's opening (file mapping, headers) is once per file, not per packet: not counted
                        final long start = threads.getCurrentThreadAllocatedBytes();
                        assertEquals(packetsPerRound, reader.read(source));
                        measured += threads.getCurrentThreadAllocatedBytes() - start;
                    }
                }
                metered += ROUNDS * packetsPerRound;
                awaitMetered(registry, metered);
                final long[] after = threads.getThreadAllocatedBytes(ids);
                for (int i = 0; i < ids.length; i++)
                {
                    measured += after[i] - before[i];
                }
                allocated = Math.min(allocated, measured);
                endedWhileMeasured = ended.get() - endedBefore;
            }
            final long packets = ROUNDS * packetsPerRound;
            assertTrue(packets >= 100_000, "packets measured " + packets);
            assertTrue(allocated < packets / 10,
                packets + " packets through the pipeline allocated " + allocated + " bytes on the heap");
            assertTrue(endedWhileMeasured > 0,
                "flows ended (FIN, RST) while measuring, so their path was measured too");
        }
    }

    private static long readOnce(final Path sample, final RingPublisher source) throws IOException
    {
        try (CaptureFileReader reader = CaptureFileReader.open(sample))
        {
            return reader.read(source);
        }
    }

    /** Waits until the flow shards have metered {@code packets} packets in all (the stages run behind the reader). */
    private static void awaitMetered(final MetricsRegistry registry, final long packets)
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (registry.value(DecodeHandler.PACKETS) < packets || registry.sum(FlowMetrics.PACKETS) <
            registry.value(DecodeHandler.PACKETS) - registry.sum(RingPublisher.DROPS))
        {
            assertTrue(System.nanoTime() < deadline, "the pipeline did not catch up");
            Thread.onSpinWait();
        }
    }
}
