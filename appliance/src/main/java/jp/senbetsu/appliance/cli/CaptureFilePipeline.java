package jp.senbetsu.appliance.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.classify.CommunicationClassifier;
import jp.senbetsu.capture.decode.DecodeCounters;
import jp.senbetsu.capture.decode.DecoderConfiguration;
import jp.senbetsu.capture.decode.PacketDecoder;
import jp.senbetsu.capture.file.CaptureFileReader;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.flow.FlowEndHandler;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.ring.CapturePipeline;
import jp.senbetsu.capture.ring.CaptureRingConfiguration;
import jp.senbetsu.capture.ring.FrameDecoder;
import jp.senbetsu.capture.ring.RingPublisher;
import jp.senbetsu.capture.ring.SourceMode;

/**
 * The pipeline of the tools that read capture files the operator already holds ({@code senbetsu flows},
 * {@code senbetsu rules test}): the appliance's own stages (file → decode → classify → flow meter → the caller's
 * handler) with the settings a file wants. The reading thread decodes (a thread and a hand-off fewer, no frame
 * byte in the ring) and waits for room rather than drop, so the ring only smooths the two threads' pace: small
 * enough to stay in cache beats deep. One flow shard, so the handler runs on one thread.
 */
public final class CaptureFilePipeline
{
    /**
     * Slots of the ring between the reading and the flow thread. A paired A/B on 5 M packets picked it: 1.16-1.21 s
     * against 1.21-1.28 s with 4 096 slots and 1.28-1.38 s with 65 536 (docs/performance.md).
     */
    static final int RING_SIZE = 16384;

    private CaptureFilePipeline()
    {
    }

    /**
     * Reads the files one after the other as one capture and shuts the pipeline down, which ends every flow still
     * open with reason forced end.
     *
     * @param classifier null to meter every IP packet; otherwise only the eligible categories.
     * @param handler    receives each ended flow, on the flow thread.
     * A file that cannot be opened or is damaged throws the reader's own error, which names it.
     *
     * @return the first exception a stage threw (its slot was skipped and counted), or null; see
     *     {@link #throwIfFailed(Throwable)}.
     */
    public static Throwable run(final List<Path> files, final FlowConfiguration flows,
        final CommunicationClassifier classifier, final FlowEndHandler handler, final MetricsRegistry registry)
    {
        final CaptureRingConfiguration ring = new CaptureRingConfiguration().decodeOnSource(true).ringSize(RING_SIZE);
        final PacketDecoder decoder =
            new PacketDecoder(new DecoderConfiguration().snaplen(ring.headerBytes()), new DecodeCounters());
        final FrameDecoder frameDecoder = (linkType, frame, offset, length, record) -> decoder.decode(
            record.interfaceIndex(), linkType, record.timestampNs(), record.wireLength(), frame, offset, length,
            record);
        try (CapturePipeline pipeline = new CapturePipeline(ring, flows, frameDecoder, classifier, handler, registry))
        {
            final RingPublisher source = pipeline.publisher(SourceMode.FILE);
            for (final Path file : files)
            {
                try (CaptureFileReader reader = CaptureFileReader.open(file))
                {
                    reader.read(source);
                }
            }
            pipeline.close();
            return pipeline.firstStageError();
        }
    }

    /**
     * Fails the command for a stage error returned by {@link #run}: the handler's own output failing (a closed pipe,
     * a full disk) as that {@link IOException}; anything else, a defect, as a runtime failure that names the kind of
     * error only, since a stage's message may describe what it was working on.
     */
    public static void throwIfFailed(final Throwable stageError) throws IOException
    {
        if (stageError instanceof UncheckedIOException output)
        {
            throw output.getCause();
        }
        if (stageError != null)
        {
            throw new SenbetsuException("a pipeline stage failed: " + stageError.getClass().getName(), stageError);
        }
    }
}
