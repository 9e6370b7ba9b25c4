package jp.senbetsu.capture.file;

import static jp.senbetsu.capture.file.CaptureBuilder.PCAP_MICROS;
import static jp.senbetsu.capture.file.CaptureBuilder.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two byte sources under the format readers: mapped views that slide (records straddling a view end at
 * every possible split) and gzip inflation into a small buffer that must compact and grow; both must deliver
 * exactly what a plain whole-file read delivers.
 */
class ByteSourceTest
{
    private static final long SECONDS = 1_500_000_000L;

    @TempDir
    Path dir;

    static CaptureBuilder variedRecords(final int count, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final CaptureBuilder file = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, PCAP_MICROS, 2, 4, 65_535, 1);
        for (int i = 0; i < count; i++)
        {
            final int length = random.nextInt(10) == 0 ? 1000 + random.nextInt(3000) : random.nextInt(120);
            file.pcapRecord(SECONDS + i, i, data(length, i), length + 4, 1, (SECONDS + i) * 1_000_000_000L + i * 1000L);
        }
        return file;
    }

    @Test
    void recordsStraddlingTheEndOfAMappedViewAreReadWholeAtEverySplit() throws IOException
    {
        final CaptureBuilder file = variedRecords(200, 7);
        final Path path = file.write(dir.resolve("windows.pcap"));
        for (int window = 1; window <= 160; window++)
        {
            final PacketCollector collector = new PacketCollector();
            PacketCollector.read(path, CaptureFileConfiguration.defaults().withMappedWindowBytes(window), collector);
            assertEquals(file.packets(), collector.packets, "window of " + window + " bytes");
        }
        final CaptureBuilder pcapng = PcapngFileTest.twoSections();
        final Path pcapngPath = pcapng.write(dir.resolve("windows.pcapng"));
        for (int window = 1; window <= 200; window += 3)
        {
            final PacketCollector collector = new PacketCollector();
            PacketCollector.read(pcapngPath, CaptureFileConfiguration.defaults().withMappedWindowBytes(window),
                collector);
            assertEquals(pcapng.packets(), collector.packets, "window of " + window + " bytes");
        }
    }

    @Test
    void gzipInputDeliversTheSamePacketsThroughASmallGrowingBuffer() throws IOException
    {
        final CaptureBuilder file = variedRecords(500, 11);
        final Path gz = file.writeGzip(dir.resolve("varied.pcap.gz"));
        for (final int initial : new int[] {1, 16, 100, 4096, 1 << 20})
        {
            final PacketCollector collector = new PacketCollector();
            final CaptureFileStats stats = PacketCollector.read(gz,
                CaptureFileConfiguration.defaults().withInflateBufferBytes(initial), collector);
            assertEquals(file.packets(), collector.packets, "initial inflate buffer " + initial);
            assertTrue(stats.compressed());
            assertEquals(Files.size(gz), stats.fileBytes());
            assertEquals(file.bytes().length, stats.endOffset());
        }
        final CaptureBuilder pcapng = PcapngFileTest.twoSections();
        final PacketCollector collector = new PacketCollector();
        final CaptureFileStats stats = PacketCollector.read(pcapng.writeGzip(dir.resolve("two.pcapng.gz")),
            CaptureFileConfiguration.defaults().withInflateBufferBytes(8), collector);
        assertEquals(pcapng.packets(), collector.packets);
        assertEquals(CaptureFormat.PCAPNG, stats.format());
        assertEquals(2, stats.customBlocks());
    }

    @Test
    void gzipIsDetectedByMagicWhateverTheName() throws IOException
    {
        final CaptureBuilder file = variedRecords(3, 1);
        final PacketCollector collector = new PacketCollector();
        assertTrue(PacketCollector.read(file.writeGzip(dir.resolve("looks-plain.pcap")),
            CaptureFileConfiguration.defaults(), collector).compressed());
        assertEquals(file.packets(), collector.packets);
        final PacketCollector plain = new PacketCollector();
        assertTrue(!PacketCollector.read(file.write(dir.resolve("looks-compressed.pcap.gz")),
            CaptureFileConfiguration.defaults(), plain).compressed());
        assertEquals(file.packets(), plain.packets);
    }

    @Test
    void corpusFilesReadTheSameCompressedAndMapped() throws IOException
    {
        final Path pcaps = Path.of(System.getProperty("senbetsu.shared", "../shared")).resolve("pcaps");
        assumeTrue(Files.isDirectory(pcaps), "shared capture corpus not present at " + pcaps);
        for (final String name : List.of("pcapngtest_le_test202.pcapng", "pcapngtest_be_test102.pcapng",
            "zeek_ldap-modify-request.pcapng", "scapy_pfcp.pcap", "suricata_nfs3-01.pcap", "zeek_vntag.pcap",
            "pcapplusplus_many-protocols.pcap"))
        {
            final Path plain = pcaps.resolve(name);
            final PacketCollector mapped = new PacketCollector();
            PacketCollector.read(plain, CaptureFileConfiguration.defaults(), mapped);
            final PacketCollector inflated = new PacketCollector();
            PacketCollector.read(new CaptureBuilderFile(Files.readAllBytes(plain)).writeGzip(dir.resolve(name + ".gz")),
                CaptureFileConfiguration.defaults().withInflateBufferBytes(512), inflated);
            assertEquals(mapped.packets, inflated.packets, name);
            assertTrue(mapped.packets.size() > 0, name);
        }
    }

    @Test
    void gzipCorpusFileCountMatchesTheManifest() throws IOException
    {
        final Path pcaps = Path.of(System.getProperty("senbetsu.shared", "../shared")).resolve("pcaps");
        final Path file = pcaps.resolve("zeek_echo-connections.pcap.gz");
        assumeTrue(Files.isRegularFile(file), "shared capture corpus not present at " + pcaps);
        final String row = Files.readAllLines(pcaps.resolve("MANIFEST.tsv")).stream()
            .filter(line -> line.startsWith("zeek_echo-connections.pcap.gz\t")).findFirst().orElseThrow();
        final long expected = Long.parseLong(row.split("\t")[10]);
        try (CaptureFileReader reader = CaptureFileReader.open(file))
        {
            assertEquals(expected, reader.read(new ManifestCorpusTest.PacketCounter()));
            assertTrue(reader.stats().compressed());
            assertEquals(CaptureFormat.PCAP_MICROSECONDS, reader.stats().format());
        }
    }

    /** Raw bytes written gzip-compressed. */
    private record CaptureBuilderFile(byte[] bytes)
    {
        Path writeGzip(final Path path) throws IOException
        {
            return Files.write(path, TruncationAndCorruptionTest.gzip(bytes));
        }
    }
}
