package jp.senbetsu.capture.file;

import static jp.senbetsu.capture.file.CaptureBuilder.PCAP_NANOS;
import static jp.senbetsu.capture.file.CaptureBuilder.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage at every position: a small pcap and a small pcapng file cut at every byte offset must deliver exactly
 * the packets whose records are complete before the cut, then end cleanly when the cut falls on a record
 * boundary and raise a {@link CaptureFileException} otherwise. Seeded random corruption (of the file, or of its gzip stream) must never produce
 * any other exception, a hang, or packets outside the buffer.
 */
class TruncationAndCorruptionTest
{
    private static final long SECONDS = 1_600_000_000L;

    @TempDir
    Path dir;

    static CaptureBuilder smallPcap()
    {
        return new CaptureBuilder()
            .pcapHeader(ByteOrder.BIG_ENDIAN, PCAP_NANOS, 2, 4, 96, 1)
            .pcapRecord(SECONDS, 1, data(42, 1), 42, 1, SECONDS * 1_000_000_000L + 1)
            .pcapRecord(SECONDS, 2, data(0, 2), 60, 1, SECONDS * 1_000_000_000L + 2)
            .pcapRecord(SECONDS, 3, data(96, 3), 1514, 1, SECONDS * 1_000_000_000L + 3)
            .pcapRecord(SECONDS, 4, data(7, 4), 7, 1, SECONDS * 1_000_000_000L + 4);
    }

    @Test
    void pcapCutAtEveryOffset() throws IOException
    {
        cutAtEveryOffset(smallPcap(), false);
    }

    @Test
    void pcapngCutAtEveryOffset() throws IOException
    {
        cutAtEveryOffset(PcapngFileTest.twoSections(), false);
    }

    @Test
    void gzipOfACutFileBehavesLikeTheCutFile() throws IOException
    {
        cutAtEveryOffset(smallPcap(), true);
        cutAtEveryOffset(PcapngFileTest.twoSections(), true);
    }

    private void cutAtEveryOffset(final CaptureBuilder file, final boolean gzip) throws IOException
    {
        final byte[] whole = file.bytes();
        final Path path = dir.resolve(gzip ? "cut.gz" : "cut.bin");
        for (int cut = 0; cut <= whole.length; cut++)
        {
            final byte[] prefix = Arrays.copyOf(whole, cut);
            Files.write(path, gzip ? gzip(prefix) : prefix);
            final PacketCollector collector = new PacketCollector();
            final boolean clean = file.boundaries().contains(cut);
            try
            {
                final CaptureFileStats stats = PacketCollector.read(path, CaptureFileConfiguration.defaults(), collector);
                assertTrue(clean, "cut at " + cut + " ended cleanly but is not a record boundary");
                assertEquals(cut, stats.endOffset());
            }
            catch (final CaptureFileException ex)
            {
                assertTrue(!clean, "cut at " + cut + " is a record boundary but failed: " + ex.getMessage());
                assertTrue(ex.getMessage().startsWith(path + ": "), ex.getMessage());
                assertTrue(ex.offset() <= cut, "error offset " + ex.offset() + " after the cut " + cut);
            }
            assertEquals(file.packetsBefore(cut), collector.packets, "packets before the cut at " + cut);
        }
    }

    @Test
    void cutCompressedStreamGivesCaptureFileExceptionAfterAPrefixOfThePackets() throws IOException
    {
        final CaptureBuilder file = PcapngFileTest.twoSections();
        final byte[] compressed = gzip(file.bytes());
        final Path path = dir.resolve("cut.pcapng.gz");
        for (int cut = 0; cut < compressed.length; cut++)
        {
            Files.write(path, Arrays.copyOf(compressed, cut));
            final PacketCollector collector = new PacketCollector();
            try
            {
                PacketCollector.read(path, CaptureFileConfiguration.defaults(), collector);
                fail("compressed stream cut at " + cut + " of " + compressed.length + " read without error");
            }
            catch (final CaptureFileException expected)
            {
                assertTrue(expected.getMessage().startsWith(path + ": "), expected.getMessage());
            }
            assertEquals(file.packets().subList(0, collector.packets.size()), collector.packets);
        }
    }

    @Test
    void seededRandomCorruptionOnlyEverEndsCleanlyOrInACaptureFileException() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(0x5E_BE75_0L);
        final List<byte[]> seeds = List.of(smallPcap().bytes(), PcapngFileTest.twoSections().bytes());
        final Path path = dir.resolve("fuzz.bin");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            for (int round = 0; round < 4000; round++)
            {
                final boolean compressed = round % 8 == 7;
                final byte[] bytes = compressed ? gzip(seeds.get(round & 1)) : seeds.get(round & 1).clone();
                final int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++)
                {
                    final int at = random.nextInt(bytes.length);
                    bytes[at] = random.nextBoolean() ? (byte)random.nextInt(256) : (byte)(bytes[at] ^ 0x80);
                }
                Files.write(path, bytes);
                try
                {
                    final CaptureFileStats stats = PacketCollector.read(path, CaptureFileConfiguration.defaults(),
                        new ManifestCorpusTest.PacketCounter());
                    assertTrue(compressed || stats.endOffset() <= bytes.length);
                }
                catch (final CaptureFileException expected)
                {
                    assertTrue(expected.getMessage().startsWith(path + ": "), expected.getMessage());
                }
            }
        });
    }

    @Test
    void seededRandomCorruptionOfCorpusFilesWithEveryBlockType() throws IOException
    {
        final Path pcaps = Path.of(System.getProperty("senbetsu.shared", "../shared")).resolve("pcaps");
        final List<String> names = List.of("pcapngtest_be_test102.pcapng", "pcapngtest_le_test202.pcapng",
            "scapy_pfcp.pcap", "zeek_pcapng-multi-interface.pcapng", "tcpdump_pim_header_asan-2.pcap");
        assumeTrue(Files.isRegularFile(pcaps.resolve(names.getFirst())), "shared capture corpus not present at " + pcaps);
        final SplittableRandom random = new SplittableRandom(20261127L);
        final Path path = dir.resolve("corpus-fuzz.bin");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            for (final String name : names)
            {
                final byte[] original = Files.readAllBytes(pcaps.resolve(name));
                for (int round = 0; round < 600; round++)
                {
                    final byte[] bytes = original.clone();
                    final int flips = 1 + random.nextInt(3);
                    for (int i = 0; i < flips; i++)
                    {
                        final int at = random.nextInt(Math.min(bytes.length, 4096));
                        bytes[at] = (byte)random.nextInt(256);
                    }
                    Files.write(path, bytes);
                    try
                    {
                        PacketCollector.read(path, CaptureFileConfiguration.defaults(),
                            new ManifestCorpusTest.PacketCounter());
                    }
                    catch (final CaptureFileException expected)
                    {
                        assertTrue(expected.getMessage().startsWith(path + ": "), expected.getMessage());
                    }
                }
            }
        });
    }

    static byte[] gzip(final byte[] bytes) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out))
        {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
