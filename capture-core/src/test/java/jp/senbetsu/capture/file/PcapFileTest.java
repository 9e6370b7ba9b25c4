package jp.senbetsu.capture.file;

import static jp.senbetsu.capture.file.CaptureBuilder.PCAP_MICROS;
import static jp.senbetsu.capture.file.CaptureBuilder.PCAP_NANOS;
import static jp.senbetsu.capture.file.CaptureBuilder.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Classic pcap files written with known values: both byte orders, both resolutions, header oddities. */
class PcapFileTest
{
    private static final long SECONDS = 1_700_000_000L;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"LITTLE_ENDIAN, false", "LITTLE_ENDIAN, true", "BIG_ENDIAN, false", "BIG_ENDIAN, true"})
    void deliversEveryRecordWithExactValues(final String orderName, final boolean nanos) throws IOException
    {
        final ByteOrder order = "BIG_ENDIAN".equals(orderName) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        final long unit = nanos ? 1 : 1_000;
        final long sub = nanos ? 999_999_999L : 999_999L;
        final CaptureBuilder file = new CaptureBuilder()
            .pcapHeader(order, nanos ? PCAP_NANOS : PCAP_MICROS, 2, 4, 65_535, 1)
            .pcapRecord(SECONDS, 123_456, data(60, 1), 60, 1, SECONDS * 1_000_000_000L + 123_456 * unit)
            .pcapRecord(SECONDS + 1, sub, data(1514, 2), 1514, 1, (SECONDS + 1) * 1_000_000_000L + sub * unit)
            .pcapRecord(0xFFFF_FFF0L, 0, data(0, 3), 0, 1, 0xFFFF_FFF0L * 1_000_000_000L)
            .pcapRecord(SECONDS + 2, 1, data(96, 4), 9000, 1, (SECONDS + 2) * 1_000_000_000L + unit);

        final PacketCollector collector = new PacketCollector();
        final CaptureFileStats stats = PacketCollector.read(file.write(dir.resolve("x.cap")),
            CaptureFileConfiguration.defaults(), collector);

        assertEquals(file.packets(), collector.packets);
        assertEquals(nanos ? CaptureFormat.PCAP_NANOSECONDS : CaptureFormat.PCAP_MICROSECONDS, stats.format());
        assertFalse(stats.compressed());
        assertEquals(4, stats.packets());
        assertEquals(60 + 1514 + 96, stats.capturedBytes());
        assertEquals(60 + 1514 + 9000, stats.wireBytes());
        assertEquals(1, stats.sections());
        final CaptureInterface only = stats.interfaces().getFirst();
        assertEquals(1, only.linkType());
        assertEquals(65_535, only.snaplen());
        assertEquals(nanos ? 9 : 6, only.resolution().tsresol());
        assertEquals(-1, only.fcsLength());
        assertEquals(4, only.packets());
        assertEquals(file.bytes().length, stats.endOffset());
    }

    @ParameterizedTest(name = "field 0x{0}")
    @CsvSource({"00000001, 1, -1", "04000001, 1, 0", "24000069, 105, 4", "30000001, 1, -1", "40000001, 1, -1",
        "300000e5, 229, -1", "08000071, 113, -1"})
    void linkTypeFieldKeepsOnlyTheLinkTypeAndReadsTheFcsLengthOnlyWhenFlagged(
        final String field, final int linkType, final int fcsLength) throws IOException
    {
        final CaptureBuilder file = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, PCAP_MICROS, 2, 4, 128, Integer.parseUnsignedInt(field, 16))
            .pcapRecord(SECONDS, 5, data(20, 1), 20, linkType, SECONDS * 1_000_000_000L + 5_000);
        final PacketCollector collector = new PacketCollector();
        final CaptureFileStats stats = PacketCollector.read(file.write(dir.resolve("l.pcap")),
            CaptureFileConfiguration.defaults(), collector);
        assertEquals(file.packets(), collector.packets);
        assertEquals(fcsLength, stats.interfaces().getFirst().fcsLength());
    }

    @Test
    void reservedLinkTypeBitsAreRefused() throws IOException
    {
        final Path path = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, PCAP_MICROS, 2, 4, 128, 0x0030_0000)
            .write(dir.resolve("r.pcap"));
        final CaptureFileException error = assertThrows(CaptureFileException.class, () -> CaptureFileReader.open(path));
        assertEquals(20, error.offset());
        assertTrue(error.getMessage().contains("reserved bits"), error.getMessage());
        assertTrue(error.getMessage().startsWith(path + ": at byte offset 20: "), error.getMessage());
    }

    @ParameterizedTest(name = "version {0}.{1}")
    @CsvSource({"1, 4, false", "3, 0, false", "0, 0, false", "2, 5, true", "2, 1, true", "2, 4, true"})
    void majorVersionTwoIsRequired(final int major, final int minor, final boolean accepted) throws IOException
    {
        final CaptureBuilder file = new CaptureBuilder()
            .pcapHeader(ByteOrder.BIG_ENDIAN, PCAP_MICROS, major, minor, 128, 1)
            .pcapRecord(SECONDS, 5, data(20, 1), 20, 1, SECONDS * 1_000_000_000L + 5_000);
        final Path path = file.write(dir.resolve("v.pcap"));
        if (accepted)
        {
            final PacketCollector collector = new PacketCollector();
            PacketCollector.read(path, CaptureFileConfiguration.defaults(), collector);
            assertEquals(file.packets(), collector.packets);
        }
        else
        {
            final CaptureFileException error = assertThrows(CaptureFileException.class,
                () -> CaptureFileReader.open(path));
            assertTrue(error.getMessage().endsWith("unsupported pcap version " + major + "." + minor +
                " (major version 2 expected)"), error.getMessage());
        }
    }

    @Test
    void subsecondValuesOfASecondOrMoreAreCarriedAndCounted() throws IOException
    {
        final CaptureBuilder micro = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, PCAP_MICROS, 2, 4, 262_144, 113)
            .pcapRecord(SECONDS, 999_999, data(16, 1), 16, 113, SECONDS * 1_000_000_000L + 999_999_000L)
            .pcapRecord(SECONDS, 1_000_000, data(16, 2), 16, 113, (SECONDS + 1) * 1_000_000_000L)
            .pcapRecord(SECONDS, 2_147_483_648L, data(16, 3), 16, 113,
                SECONDS * 1_000_000_000L + 2_147_483_648_000L);
        final PacketCollector collector = new PacketCollector();
        final CaptureFileStats stats = PacketCollector.read(micro.write(dir.resolve("t.pcap")),
            CaptureFileConfiguration.defaults(), collector);
        assertEquals(micro.packets(), collector.packets);
        assertEquals(2, stats.invalidTimestamps());

        final CaptureBuilder nano = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, PCAP_NANOS, 2, 4, 262_144, 113)
            .pcapRecord(SECONDS, 1_000_000_000L, data(16, 2), 16, 113, (SECONDS + 1) * 1_000_000_000L)
            .pcapRecord(SECONDS, 0xFFFF_FFFFL, data(16, 3), 16, 113, SECONDS * 1_000_000_000L + 0xFFFF_FFFFL);
        final PacketCollector nanoCollector = new PacketCollector();
        final CaptureFileStats nanoStats = PacketCollector.read(nano.write(dir.resolve("n.pcap")),
            CaptureFileConfiguration.defaults(), nanoCollector);
        assertEquals(nano.packets(), nanoCollector.packets);
        assertEquals(2, nanoStats.invalidTimestamps());
    }

    @Test
    void capturedLengthAboveWireLengthOrSnaplenIsDeliveredAsStoredAndCounted() throws IOException
    {
        final CaptureBuilder file = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, PCAP_MICROS, 2, 4, 31, 1)
            .pcapRecord(SECONDS, 0, data(34, 1), 32, 1, SECONDS * 1_000_000_000L)
            .pcapRecord(SECONDS, 0, data(4, 2), 0, 1, SECONDS * 1_000_000_000L)
            .pcapRecord(SECONDS, 0, data(0, 3), 262_144, 1, SECONDS * 1_000_000_000L)
            .pcapRecord(SECONDS, 0, data(8, 3), 0xFFFF_FFFFL, 1, SECONDS * 1_000_000_000L);
        final PacketCollector collector = new PacketCollector();
        final CaptureFileStats stats = PacketCollector.read(file.write(dir.resolve("c.pcap")),
            CaptureFileConfiguration.defaults(), collector);
        assertEquals(file.packets(), collector.packets);
        assertEquals(Integer.MAX_VALUE, collector.packets.getLast().wireLength(), "wire length clamped");
        assertEquals(2, stats.capturedBeyondWire());
        assertEquals(1, stats.capturedBeyondSnaplen());
    }

    @Test
    void capturedLengthBeyondTheLimitIsDamageAfterTheEarlierPackets() throws IOException
    {
        final CaptureBuilder file = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, PCAP_MICROS, 2, 4, 65_535, 1)
            .pcapRecord(SECONDS, 0, data(100, 1), 100, 1, SECONDS * 1_000_000_000L)
            .pcapRecord(SECONDS, 0, data(2000, 2), 2000, 1, SECONDS * 1_000_000_000L);
        final Path path = file.write(dir.resolve("big.pcap"));
        final PacketCollector collector = new PacketCollector();
        final CaptureFileException error = assertThrows(CaptureFileException.class, () ->
            PacketCollector.read(path, CaptureFileConfiguration.defaults().withMaxCapturedLength(1000), collector));
        assertEquals(file.packets().subList(0, 1), collector.packets);
        assertEquals(24 + 16 + 100, error.offset());
        assertTrue(error.getMessage().contains("captured length of 2000 bytes, beyond the limit of 1000"),
            error.getMessage());
    }

    @Test
    void filesThatAreNotCapturesGetAClearError() throws IOException
    {
        assertError(Files.write(dir.resolve("empty.pcap"), new byte[0]), "file has 0 bytes, too short");
        assertError(Files.write(dir.resolve("two.pcap"), new byte[] {(byte)0xD4, (byte)0xC3}), "file has 2 bytes");
        assertError(Files.writeString(dir.resolve("text.pcap"), "GET / HTTP/1.1\r\n"), "bad magic 0x47455420");
        assertError(Files.write(dir.resolve("kuznetsov.pcap"),
            new byte[] {(byte)0xA1, (byte)0xB2, (byte)0xCD, 0x34, 0, 2, 0, 4}), "modified (Kuznetsov) pcap");
        assertError(Files.write(dir.resolve("short.pcap"),
            new byte[] {(byte)0xD4, (byte)0xC3, (byte)0xB2, (byte)0xA1, 2, 0, 4, 0}),
            "end of file inside the pcap file header (24 bytes needed, 8 present)");
        assertError(dir.resolve("missing.pcap"), "no such file");
        assertError(dir, "cannot");
    }

    @Test
    void fileEndingRightAfterTheHeaderHoldsNoPackets() throws IOException
    {
        final Path path = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, PCAP_MICROS, 2, 4, 65_535, 1)
            .write(dir.resolve("header-only.pcap"));
        final PacketCollector collector = new PacketCollector();
        final CaptureFileStats stats = PacketCollector.read(path, CaptureFileConfiguration.defaults(), collector);
        assertEquals(List.of(), collector.packets);
        assertEquals(1, stats.interfaces().size());
    }

    @Test
    void handlerExceptionsPassThroughUnwrapped() throws IOException
    {
        final Path path = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, PCAP_MICROS, 2, 4, 65_535, 1)
            .pcapRecord(SECONDS, 0, data(10, 1), 10, 1, 0)
            .write(dir.resolve("h.pcap"));
        final IllegalStateException thrown = new IllegalStateException("from the handler");
        try (CaptureFileReader reader = CaptureFileReader.open(path))
        {
            assertSame(thrown, assertThrows(IllegalStateException.class, () -> reader.read(
                (index, linkType, ns, wire, buffer, offset, captured) ->
                {
                    throw thrown;
                })));
        }
    }

    @Test
    void statsAreASnapshotAndReadingAfterCloseIsRefused() throws IOException
    {
        final Path path = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, PCAP_MICROS, 2, 4, 65_535, 1)
            .pcapRecord(SECONDS, 0, data(10, 1), 10, 1, 0)
            .write(dir.resolve("s.pcap"));
        final CaptureFileReader reader = CaptureFileReader.open(path);
        final CaptureFileStats before = reader.stats();
        assertEquals(1, reader.read(new PacketCollector()));
        assertEquals(0, before.interfaces().getFirst().packets());
        assertEquals(1, reader.stats().interfaces().getFirst().packets());
        reader.close();
        reader.close();
        assertThrows(IllegalStateException.class, () -> reader.read(new PacketCollector()));
    }

    private static void assertError(final Path path, final String expected)
    {
        final CaptureFileException error = assertThrows(CaptureFileException.class, () ->
        {
            try (CaptureFileReader reader = CaptureFileReader.open(path))
            {
                reader.read(new PacketCollector());
            }
        });
        assertTrue(error.getMessage().startsWith(path.toString() + ": "), error.getMessage());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
