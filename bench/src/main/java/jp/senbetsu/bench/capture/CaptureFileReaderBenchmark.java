package jp.senbetsu.bench.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
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
import jp.senbetsu.capture.file.PacketHandler;

/**
 * Header walk of the memory-mapped capture-file reader: open a generated file, deliver every packet to a
 * handler that reads two header fields, close. One operation is one packet, so the score is packets per
 * second and {@code -prof gc} reports bytes allocated per packet (0 expected: the only allocations are the
 * reader's, once per file of 250,000 packets).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(CaptureFileReaderBenchmark.PACKETS)
public class CaptureFileReaderBenchmark
{
    static final int PACKETS = 250_000;

    @Param({"PCAP", "PCAPNG"})
    public GeneratedCapture.Format format;

    /** Bytes stored per packet: 64 for a headers-only capture, 1514 for full Ethernet frames. */
    @Param({"64", "1514"})
    public int capturedLength;

    private Path directory;
    private Path file;
    private final HeaderWalk walk = new HeaderWalk();

    @Setup(Level.Trial)
    public void writeCapture() throws IOException
    {
        directory = Files.createTempDirectory("senbetsu-bench-");
        file = directory.resolve("generated." + format.name().toLowerCase());
        GeneratedCapture.write(file, format, PACKETS, capturedLength, Math.max(capturedLength, 1514), 4096);
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

    /** Reads the EtherType and the IPv4 protocol of each packet, as the decoder's first step would. */
    static final class HeaderWalk implements PacketHandler
    {
        long sum;

        @Override
        public void onPacket(
            final int interfaceIndex, final int linkType, final long timestampNs, final int wireLength,
            final DirectBuffer buffer, final int offset, final int capturedLength)
        {
            sum += buffer.getShort(offset + 12) + buffer.getByte(offset + 23) + timestampNs + wireLength;
        }
    }
}
