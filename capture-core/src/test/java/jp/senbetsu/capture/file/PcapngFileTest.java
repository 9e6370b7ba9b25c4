package jp.senbetsu.capture.file;

import static jp.senbetsu.capture.file.CaptureBuilder.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pcapng files written with known values: two sections of different byte order, three interfaces with
 * different link types and timestamp resolutions, every packet block type, skipped blocks, and damage.
 */
class PcapngFileTest
{
    static final long NS = 1_000_000_000L;
    static final long SECONDS = 1_700_000_000L;
    static final int EN10MB = 1;
    static final int RAW = 101;
    static final int LINUX_SLL = 113;

    @TempDir
    Path dir;

    /** The file several tests use; its packets carry the values a reader must deliver. */
    static CaptureBuilder twoSections()
    {
        final CaptureBuilder file = new CaptureBuilder();
        file.section(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(EN10MB, 0, 3, null)                          // index 0: milliseconds
            .interfaceDescription(RAW, 128, 0x80 | 20, 3600L)                  // index 1: 2^-20 s, +1 h
            .skippedBlock(4, 16)                                               // NRB
            .skippedBlock(0xBAD, 12)                                           // custom, copiable
            .skippedBlock(0x1234_5678, 40)                                     // unknown
            .enhancedPacket(0, SECONDS * 1000 + 123, data(60, 1), 60,
                packet(0, EN10MB, SECONDS * NS + 123_000_000L, 60, data(60, 1)))
            .enhancedPacket(1, (SECONDS << 20) + (1 << 19) + 1, data(41, 2), 1500,
                packet(1, RAW, (SECONDS + 3600) * NS + 500_000_000L + 953, 1500, data(41, 2)))
            .simplePacket(data(10, 3), 10,                                     // padding is not data
                packet(0, EN10MB, (SECONDS + 3600) * NS + 500_000_000L + 953, 10, data(10, 3)))
            .simplePacket(data(60, 4), 1500,                                   // data area limits it
                packet(0, EN10MB, (SECONDS + 3600) * NS + 500_000_000L + 953, 1500, data(60, 4)))
            .obsoletePacket(1, (SECONDS + 1) << 20, data(20, 5), 20,
                packet(1, RAW, (SECONDS + 3601) * NS, 20, data(20, 5)))
            .skippedBlock(5, 20);                                              // ISB
        file.section(ByteOrder.BIG_ENDIAN)
            .interfaceDescription(LINUX_SLL, 32, 9, -10L)                      // index 2: ns, -10 s
            .skippedBlock(0x0A, 8)                                             // DSB
            .enhancedPacket(0, SECONDS * NS + 123_456_789L, data(32, 6), 74,
                packet(2, LINUX_SLL, (SECONDS - 10) * NS + 123_456_789L, 74, data(32, 6)))
            .skippedBlock(0x4000_0BAD, 4)                                      // custom, not copiable
            .simplePacket(data(40, 7), 100,                                    // snaplen limits it
                packet(2, LINUX_SLL, (SECONDS - 10) * NS + 123_456_789L, 100, java.util.Arrays.copyOf(data(40, 7), 32)))
            .enhancedPacket(0, 0, data(0, 8), 0, packet(2, LINUX_SLL, -10 * NS, 0, data(0, 8)));
        return file;
    }

    static CaptureBuilder.Packet packet(final int index, final int linkType, final long ns, final int wire,
        final byte[] data)
    {
        return new CaptureBuilder.Packet(index, linkType, ns, wire, data);
    }

    @Test
    void deliversEveryPacketOfEverySectionWithFileWideInterfaceIndices() throws IOException
    {
        final CaptureBuilder file = twoSections();
        final PacketCollector collector = new PacketCollector();
        final CaptureFileStats stats = PacketCollector.read(file.write(dir.resolve("two.pcapng")),
            CaptureFileConfiguration.defaults(), collector);

        assertEquals(file.packets(), collector.packets);
        assertEquals(CaptureFormat.PCAPNG, stats.format());
        assertEquals(2, stats.sections());
        assertEquals(8, stats.packets());
        assertEquals(2, stats.customBlocks());
        assertEquals(4, stats.skippedBlocks());
        assertEquals(3, stats.simplePackets());
        final List<CaptureInterface> interfaces = stats.interfaces();
        assertEquals(3, interfaces.size());
        assertInterface(interfaces.get(0), 0, 0, 0, EN10MB, 0, "10^-3", 0, 3);
        assertInterface(interfaces.get(1), 1, 0, 1, RAW, 128, "2^-20", 3600, 2);
        assertInterface(interfaces.get(2), 2, 1, 0, LINUX_SLL, 32, "10^-9", -10, 3);
        assertEquals(file.bytes().length, stats.endOffset());
    }

    private static void assertInterface(final CaptureInterface i, final int index, final int section,
        final int localId, final int linkType, final long snaplen, final String resolution, final long tsoffset,
        final long packets)
    {
        assertEquals(index, i.index());
        assertEquals(section, i.section());
        assertEquals(localId, i.localId());
        assertEquals(linkType, i.linkType());
        assertEquals(snaplen, i.snaplen());
        assertEquals(resolution, i.resolution().toString());
        assertEquals(tsoffset, i.tsoffsetSeconds());
        assertEquals(packets, i.packets());
    }

    @Test
    void sectionVersionOneTwoIsReadAndOthersRefused() throws IOException
    {
        for (final int[] version : new int[][] {{1, 2, 1}, {1, 1, 0}, {2, 0, 0}, {0, 1, 0}})
        {
            final CaptureBuilder file = new CaptureBuilder().section(ByteOrder.LITTLE_ENDIAN);
            final byte[] bytes = file.bytes();
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                .putShort(12, (short)version[0]).putShort(14, (short)version[1]);
            final Path path = java.nio.file.Files.write(dir.resolve("v.pcapng"), bytes);
            if (version[2] == 1)
            {
                assertEquals(1, PacketCollector.read(path, CaptureFileConfiguration.defaults(),
                    new PacketCollector()).sections());
            }
            else
            {
                final CaptureFileException error = assertThrows(CaptureFileException.class,
                    () -> PacketCollector.read(path, CaptureFileConfiguration.defaults(), new PacketCollector()));
                assertEquals(12, error.offset());
                assertTrue(error.getMessage().contains("unsupported pcapng version " + version[0] + "." +
                    version[1]), error.getMessage());
            }
        }
    }

    @Test
    void blockLengthNotAMultipleOfFour() throws IOException
    {
        assertDamage(f -> f.block(0x1234, new byte[] {1, 2, 3}), "block length 15 of a type 0x00001234 block " +
            "is not a multiple of 4");
    }

    @Test
    void blockLengthBelowTheMinimumOfItsType() throws IOException
    {
        assertDamage(f -> f.block(6, new byte[12]), "block length 24 of a enhanced packet block is below its " +
            "minimum of 32");
    }

    @Test
    void blockLengthBeyondTheLimit() throws IOException
    {
        assertDamage(f -> f.block(0x1234, new byte[4096]), "block length 4108 of a type 0x00001234 block is " +
            "beyond the limit of 1024");
    }

    @Test
    void trailerDisagreeingWithTheHeader() throws IOException
    {
        assertDamage(f -> f.rawBlock(5, 28, new byte[16], 24),
            "block length mismatch in a interface statistics block: header says 28, trailer says 24");
    }

    @Test
    void blockLongerThanTheRestOfTheFile() throws IOException
    {
        assertDamage(f -> f.block(0x1234, new byte[8]).truncateBy(4),
            "end of file inside a type 0x00001234 block: 20 bytes declared, 16 present");
    }

    @Test
    void packetOfAnUndescribedInterface() throws IOException
    {
        assertDamage(f -> f.enhancedPacket(1, 0, data(8, 1), 8, null),
            "enhanced packet block refers to interface 1 but section 0 has described 1");
        assertDamage(f -> f.obsoletePacket(7, 0, data(8, 1), 8, null),
            "packet block refers to interface 7 but section 0 has described 1");
    }

    @Test
    void capturedLengthRunningPastTheBlock() throws IOException
    {
        assertDamage(f -> f.block(6, ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(0).putInt(0).putInt(0).putInt(9).putInt(9).array()),
            "captured length 9 runs past the data area of 4 bytes of its block");
    }

    @Test
    void optionRunningPastItsBlock() throws IOException
    {
        assertDamage(f -> f.block(1, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
            .putShort((short)1).putShort((short)0).putInt(0).putShort((short)2).putShort((short)1233).array()),
            "option 2 of length 1233 runs past the end of its interface description block");
    }

    @Test
    void sectionHeaderOptionRunningPastItsBlock() throws IOException
    {
        assertDamage(f -> f.block(0x0A0D0D0A, ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(0x1A2B3C4D).putShort((short)1).putShort((short)0).putLong(-1L)
            .putShort((short)3).putShort((short)500).array()),
            "option 3 of length 500 runs past the end of its section header block");
    }

    @Test
    void unrepresentableTimestampResolution() throws IOException
    {
        assertDamage(f -> f.interfaceDescription(1, 0, 40, null),
            "if_tsresol 0x28 of interface 1 cannot be represented in nanoseconds");
    }

    @Test
    void badByteOrderMagicInALaterSection() throws IOException
    {
        assertDamage(f -> f.block(0x0A0D0D0A, ByteBuffer.allocate(16).putInt(0x11223344).array()),
            "bad byte-order magic 0x11223344 in a section header block");
    }

    @Test
    void endOfFileInsideABlockHeader() throws IOException
    {
        assertDamage(f -> f.block(0x1234, new byte[0]).truncateBy(7),
            "end of file inside a block header (8 bytes needed, 5 present)");
    }

    /**
     * Writes a good section with one packet, then what {@code damage} adds: the packet must be delivered, then
     * an error naming the damaged block's offset.
     */
    private void assertDamage(final Consumer<CaptureBuilder> damage, final String expected) throws IOException
    {
        final CaptureBuilder file = new CaptureBuilder().section(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(EN10MB, 0, -1, null)
            .enhancedPacket(0, SECONDS * 1_000_000L, data(30, 1), 30, packet(0, EN10MB, SECONDS * NS, 30, data(30, 1)));
        final List<CaptureBuilder.Packet> good = List.copyOf(file.packets());
        final int damageOffset = file.bytes().length;
        damage.accept(file);
        final Path path = file.write(dir.resolve("damaged.pcapng"));
        final PacketCollector collector = new PacketCollector();
        final CaptureFileException error = assertThrows(CaptureFileException.class, () -> PacketCollector.read(path,
            CaptureFileConfiguration.defaults().withMaxBlockLength(1024), collector));
        assertEquals(good, collector.packets);
        assertTrue(error.getMessage().startsWith(path + ": at byte offset "), error.getMessage());
        assertTrue(error.offset() >= damageOffset, "offset " + error.offset() + " before the damage " + damageOffset);
        assertTrue(error.getMessage().endsWith(expected), error.getMessage());
    }
}
