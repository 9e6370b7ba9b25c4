package jp.senbetsu.capture.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.decode.DecodeCounters;
import jp.senbetsu.capture.decode.DecoderConfiguration;
import jp.senbetsu.capture.decode.PacketDecoder;
import jp.senbetsu.capture.file.CaptureFileReader;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No payload byte survives the decode stage: the bundled sample carries the marker {@code SENBETSU-PAYLOAD-CANARY}
 * in every payload, within the 128 header bytes each slot copies; after the file has gone through the pipeline,
 * the marker must be nowhere in the ring's memory (frames and records of every slot).
 */
class PayloadResidueTest
{
    private static final byte[] CANARY = "SENBETSU-PAYLOAD-CANARY".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "decode on source {0}")
    @ValueSource(booleans = {false, true})
    void noPayloadMarkerIsLeftInAnyRingSlotAfterTheSampleIsMetered(final boolean decodeOnSource) throws IOException
    {
        final Path sample = Path.of(System.getProperty("senbetsu.root"), "samples", "border-sample.pcap");
        final byte[] file = Files.readAllBytes(sample);
        final int inFile = occurrences(new UnsafeBuffer(file), file.length);
        assertTrue(inFile > 1000, "the sample carries the marker in its payloads: " + inFile);

        final CaptureRingConfiguration ring = new CaptureRingConfiguration()
            .ringSize(8192).waitStrategy(WaitStrategyKind.BLOCKING).decodeOnSource(decodeOnSource);
        final PacketDecoder decoder = new PacketDecoder(
            new DecoderConfiguration().snaplen(ring.headerBytes()), new DecodeCounters());
        final MetricsRegistry registry = new MetricsRegistry();
        final long[] flows = new long[1];
        try (CapturePipeline pipeline = new CapturePipeline(ring, new FlowConfiguration().maxFlows(1 << 14),
            (linkType, frame, offset, length, record) -> decoder.decode(record.interfaceIndex(), linkType,
                record.timestampNs(), record.wireLength(), frame, offset, length, record),
            null, flow -> flows[0]++, registry))
        {
            try (CaptureFileReader reader = CaptureFileReader.open(sample))
            {
                reader.read(pipeline.publisher(SourceMode.FILE));
            }
            pipeline.stopStages();
            final long packets = registry.value(DecodeHandler.PACKETS);
            // more slots than packets: without zeroing, every packet's frame would still be in its slot
            assertTrue(packets > 1000 && packets < ring.ringSize(), "packets decoded " + packets);
            assertTrue(flows[0] > 0);
            final DirectBuffer slots = pipeline.slotMemory().buffer();
            assertEquals(0, occurrences(slots, slots.capacity()), "payload marker found in ring memory");
        }
    }

    /**
     * What no rule may select does not wait in the ring either: with every packet classified 内内, each record is
     * zeroed as it is dropped, so after the sample the ring's memory (frames and records) holds no byte but 0;
     * with no classifier the records of the metered packets stay until their slots are reused.
     */
    @ParameterizedTest(name = "decode on source {0}")
    @ValueSource(booleans = {false, true})
    void recordsOfDroppedPacketsAreZeroedAtOnce(final boolean decodeOnSource) throws IOException
    {
        final Path sample = Path.of(System.getProperty("senbetsu.root"), "samples", "border-sample.pcap");
        for (final boolean dropAll : new boolean[] {true, false})
        {
            final CaptureRingConfiguration ring = new CaptureRingConfiguration()
                .ringSize(8192).waitStrategy(WaitStrategyKind.BLOCKING).decodeOnSource(decodeOnSource);
            final PacketDecoder decoder = new PacketDecoder(
                new DecoderConfiguration().snaplen(ring.headerBytes()), new DecodeCounters());
            final MetricsRegistry registry = new MetricsRegistry();
            try (CapturePipeline pipeline = new CapturePipeline(ring, new FlowConfiguration().maxFlows(1 << 14),
                (linkType, frame, offset, length, record) -> decoder.decode(record.interfaceIndex(), linkType,
                    record.timestampNs(), record.wireLength(), frame, offset, length, record),
                dropAll ? (version, buffer, src, dst) -> Category.DOMESTIC_DOMESTIC.code() : null, flow -> { },
                registry))
            {
                try (CaptureFileReader reader = CaptureFileReader.open(sample))
                {
                    reader.read(pipeline.publisher(SourceMode.FILE));
                }
                pipeline.stopStages();
                assertTrue(registry.value(DecodeHandler.PACKETS) > 1000);
                final DirectBuffer slots = pipeline.slotMemory().buffer();
                int nonZero = 0;
                for (int i = 0; i < slots.capacity(); i++)
                {
                    nonZero += slots.getByte(i) != 0 ? 1 : 0;
                }
                if (dropAll)
                {
                    assertEquals(0, nonZero, "bytes of dropped packets left in ring memory");
                }
                else
                {
                    assertTrue(nonZero > 10_000, "metered records stay in their slots: " + nonZero);
                }
            }
        }
    }

    private static int occurrences(final DirectBuffer buffer, final int length)
    {
        int found = 0;
        for (int i = 0; i + CANARY.length <= length; i++)
        {
            int j = 0;
            while (j < CANARY.length && buffer.getByte(i + j) == CANARY[j])
            {
                j++;
            }
            if (j == CANARY.length)
            {
                found++;
            }
        }
        return found;
    }
}
