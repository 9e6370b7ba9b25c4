package jp.senbetsu.bench.gen;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficGeneratorTest
{
    @TempDir
    Path temp;

    @Test
    void regeneratesTheBundledSampleByteForByte() throws Exception
    {
        final Path sample = Path.of(System.getProperty("senbetsu.root"), "samples", "border-sample.pcap");
        final Path regenerated = temp.resolve("sample.pcap");
        final int rc = new CommandLine(new TrafficGenerator()).execute(
            "--packets", "5000", "--flows", "200", "--rate", "500", "--seed", "20260331", "-o", regenerated.toString());
        assertEquals(0, rc);
        assertArrayEquals(Files.readAllBytes(sample), Files.readAllBytes(regenerated),
            "samples/border-sample.pcap no longer matches its documented generator command");
    }

    @Test
    void anotherSeedGivesAnotherCaptureOfTheSameSize() throws Exception
    {
        final Path a = temp.resolve("a.pcap");
        final Path b = temp.resolve("b.pcap");
        new CommandLine(new TrafficGenerator()).execute("--packets", "1000", "--seed", "1", "-o", a.toString());
        new CommandLine(new TrafficGenerator()).execute("--packets", "1000", "--seed", "2", "-o", b.toString());
        assertNotEquals(Files.mismatch(a, b), -1L);
        // 24-byte file header, then 1000 records of a 16-byte header plus at most 128 captured bytes
        final long size = Files.size(a);
        assertTrue(size > 24 + 1000L * (16 + 54) && size <= 24 + 1000L * (16 + 128), "size " + size);
    }
}
