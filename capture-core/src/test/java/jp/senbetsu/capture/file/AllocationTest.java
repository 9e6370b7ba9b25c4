package jp.senbetsu.capture.file;

import static jp.senbetsu.capture.file.CaptureBuilder.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapped read path allocates nothing per packet: reading 20,000 packets after a warm-up allocates a
 * (small, fixed) number of bytes on the reading thread, far below one byte per packet. Measured with the
 * JVM's per-thread allocation counter; the JMH benchmark reports the same as B/op.
 */
class AllocationTest
{
    private static final int PACKETS = 20_000;

    @TempDir
    Path dir;

    @Test
    void mappedPcapReadAllocatesNothingPerPacket() throws IOException
    {
        final CaptureBuilder file = new CaptureBuilder()
            .pcapHeader(ByteOrder.LITTLE_ENDIAN, CaptureBuilder.PCAP_MICROS, 2, 4, 65_535, 1);
        for (int i = 0; i < PACKETS; i++)
        {
            file.pcapRecord(1_000 + i, i, data(64 + (i & 63), i), 1500, 1, 0);
        }
        assertBelowOneBytePerPacket(file.write(dir.resolve("alloc.pcap")));
    }

    @Test
    void mappedPcapngReadAllocatesNothingPerPacket() throws IOException
    {
        final CaptureBuilder file = new CaptureBuilder().section(ByteOrder.BIG_ENDIAN)
            .interfaceDescription(1, 0, 9, null).interfaceDescription(101, 0, 0x80 | 24, 5L);
        for (int i = 0; i < PACKETS; i++)
        {
            file.enhancedPacket(i & 1, 1_000_000L * i, data(64 + (i & 63), i), 1500, null);
        }
        assertBelowOneBytePerPacket(file.write(dir.resolve("alloc.pcapng")));
    }

    private static void assertBelowOneBytePerPacket(final Path path)
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean &&
            bean.isThreadAllocatedMemorySupported(), "per-thread allocation counter not available");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Checksum checksum = new Checksum();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++)
        {
            try (CaptureFileReader reader = CaptureFileReader.open(path))
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                final long packets = reader.read(checksum);
                allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
                assertEquals(PACKETS, packets);
            }
        }
        assertTrue(allocated < PACKETS / 10, "read of " + PACKETS + " packets allocated " + allocated + " bytes");
        assertTrue(checksum.sum != 0);
    }

    /** Touches every packet's first and last byte so the read cannot be optimised away. */
    private static final class Checksum implements PacketHandler
    {
        long sum;

        @Override
        public void onPacket(
            final int interfaceIndex, final int linkType, final long timestampNs, final int wireLength,
            final DirectBuffer buffer, final int offset, final int capturedLength)
        {
            sum += timestampNs + buffer.getByte(offset) + buffer.getByte(offset + capturedLength - 1) + linkType;
        }
    }
}
