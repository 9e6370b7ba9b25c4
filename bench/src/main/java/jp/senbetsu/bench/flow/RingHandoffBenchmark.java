package jp.senbetsu.bench.flow;

import java.util.concurrent.TimeUnit;

import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.ring.CapturePipeline;
import jp.senbetsu.capture.ring.CaptureRingConfiguration;
import jp.senbetsu.capture.ring.RingPublisher;
import jp.senbetsu.capture.ring.SourceMode;
import jp.senbetsu.capture.ring.WaitStrategyKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hand-off throughput of the capture ring: a file source publishing 128-byte frame headers through the decode
 * stage and a flow stage (both on their own threads) with a decoder that finds nothing to meter, so what is
 * measured is the copy into the slot, the two hand-offs and the slot bookkeeping. Operations are packets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RingHandoffBenchmark
{
    private static final int BATCH = 10_000;

    @Param({"YIELDING", "SLEEPING", "BLOCKING"})
    WaitStrategyKind waitStrategy;

    private CapturePipeline pipeline;
    private RingPublisher source;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);
    private long timestampNs;

    @Setup(Level.Trial)
    public void open()
    {
        pipeline = new CapturePipeline(
            new CaptureRingConfiguration().ringSize(1 << 16).waitStrategy(waitStrategy),
            new FlowConfiguration().maxFlows(1024),
            (linkType, bytes, offset, length, record) -> { },
            null,
            flow -> { },
            new MetricsRegistry());
        source = pipeline.publisher(SourceMode.FILE);
    }

    @TearDown(Level.Trial)
    public void close()
    {
        pipeline.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void publish()
    {
        for (int i = 0; i < BATCH; i++)
        {
            source.onPacket(0, 1, ++timestampNs, 1514, frame, 0, 1514);
        }
    }
}
