package jp.senbetsu.bench.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

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

import jp.senbetsu.capture.file.CaptureFileReader;

/**
 * The gzip path of the capture-file reader: the same header walk as {@link CaptureFileReaderBenchmark} over a
 * gzip-compressed generated pcap, inflated as a stream into the reader's reusable buffer. One operation is one
 * packet; the cost is dominated by inflation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(GzipCaptureReaderBenchmark.PACKETS)
public class GzipCaptureReaderBenchmark
{
    static final int PACKETS = 100_000;

    /** Bytes stored per packet: 64 for a headers-only capture, 1514 for full Ethernet frames. */
    @Param({"64", "1514"})
    public int capturedLength;

    private Path directory;
    private Path file;
    private final CaptureFileReaderBenchmark.HeaderWalk walk = new CaptureFileReaderBenchmark.HeaderWalk();

    @Setup(Level.Trial)
    public void writeCapture() throws IOException
    {
        directory = Files.createTempDirectory("senbetsu-bench-");
        final Path plain = directory.resolve("generated.pcap");
        GeneratedCapture.write(plain, GeneratedCapture.Format.PCAP, PACKETS, capturedLength,
            Math.max(capturedLength, 1514), 4096);
        file = directory.resolve("generated.pcap.gz");
        try (InputStream in = Files.newInputStream(plain); OutputStream out =
            new GZIPOutputStream(Files.newOutputStream(file), 1 << 16))
        {
            in.transferTo(out);
        }
        Files.delete(plain);
    }

    @TearDown(Level.Trial)
    public void deleteCapture() throws IOException
    {
        Files.deleteIfExists(file);
        Files.deleteIfExists(directory);
    }

    @Benchmark
    public long headerWalk()
    {
        try (CaptureFileReader reader = CaptureFileReader.open(file))
        {
            if (reader.read(walk) != PACKETS)
            {
                throw new IllegalStateException("generated file did not read back whole");
            }
        }
        return walk.sum;
    }
}
