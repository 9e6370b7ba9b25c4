package jp.senbetsu.capture.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jp.senbetsu.capture.SenbetsuException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibpcapSourceTest
{
    private static final int MATCHING_PORT = 9999;
    private static final int OTHER_PORT = 9998;

    @TempDir
    Path temp;

    @Test
    void capturesReplayedFramesOnAVethWithHeadersOnlySnaplenAndFilter() throws Exception
    {
        final Path file = temp.resolve("replay.pcap");
        final List<Integer> expectedLengths = writeUdpFrames(file, 300);
        final List<int[]> seen = new ArrayList<>();
        final long before = System.currentTimeMillis() * 1_000_000L;
        try (VethPair veth = VethPair.create())
        {
            final LibpcapSourceConfiguration configuration = new LibpcapSourceConfiguration(
                veth.captureEnd, 3, 128, 8 << 20, true, "udp dst port " + MATCHING_PORT, 64);
            try (LibpcapSource source = new LibpcapSource(configuration,
                (interfaceIndex, linkType, timestampNs, wireLength, buffer, offset, capturedLength) ->
                {
                    final int dstPort = buffer.getShort(offset + 36, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                    seen.add(new int[] { interfaceIndex, linkType, wireLength, capturedLength, dstPort,
                        timestampNs >= before ? 1 : 0 });
                }))
            {
                assertEquals(1, source.linkType(), "veth is Ethernet");
                veth.replay(file.toString());
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (seen.size() < expectedLengths.size() && System.nanoTime() < deadline)
                {
                    if (source.doWork() == 0)
                    {
                        Thread.sleep(1);
                    }
                }
                assertEquals(0, source.kernelStatistics()[1], "kernel drops");
            }
        }
        assertEquals(expectedLengths.size(), seen.size(), "frames matching the filter");
        for (int i = 0; i < seen.size(); i++)
        {
            final int[] packet = seen.get(i);
            assertEquals(3, packet[0], "interface index");
            assertEquals(expectedLengths.get(i), packet[2], "wire length of frame " + i);
            assertEquals(Math.min(128, expectedLengths.get(i)), packet[3], "captured length of frame " + i);
            assertEquals(MATCHING_PORT, packet[4], "filter let through port " + packet[4]);
            assertEquals(1, packet[5], "timestamp is wall-clock nanoseconds");
        }
    }

    @Test
    void aMissingDeviceIsNamedInTheError() throws Exception
    {
        try (VethPair ignored = VethPair.create())
        {
            final SenbetsuException error = assertThrows(SenbetsuException.class, () -> new LibpcapSource(
                LibpcapSourceConfiguration.defaults("nosuchif0"), (i, l, t, w, b, o, c) -> { }));
            assertTrue(error.getMessage().contains("nosuchif0"), error.getMessage());
            assertTrue(error.getMessage().contains("no such device"), error.getMessage());
        }
    }

    @Test
    void aBadFilterIsAUsageErrorThatQuotesTheFilter() throws Exception
    {
        try (VethPair veth = VethPair.create())
        {
            final LibpcapSourceConfiguration configuration = new LibpcapSourceConfiguration(
                veth.captureEnd, 0, 128, 8 << 20, true, "udp port banana", 64);
            final SenbetsuException error = assertThrows(SenbetsuException.class,
                () -> new LibpcapSource(configuration, (i, l, t, w, b, o, c) -> { }));
            assertEquals(SenbetsuException.EXIT_USAGE, error.exitCode());
            assertTrue(error.getMessage().contains("udp port banana"), error.getMessage());
        }
    }

    /**
     * Writes Ethernet/IPv4/UDP frames of growing length, alternating between the filtered port and another one.
     *
     * @return the wire lengths of the frames the filter should let through, in order.
     */
    private static List<Integer> writeUdpFrames(final Path file, final int count) throws IOException
    {
        final List<Integer> matching = new ArrayList<>();
        try (OutputStream out = Files.newOutputStream(file))
        {
            final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535)
                .putInt(1);
            out.write(header.array());
            for (int i = 0; i < count; i++)
            {
                final int length = 60 + (i * 7) % 1400;
                final int port = i % 3 == 0 ? OTHER_PORT : MATCHING_PORT;
                if (port == MATCHING_PORT)
                {
                    matching.add(length);
                }
                final ByteBuffer frame = ByteBuffer.allocate(length).order(ByteOrder.BIG_ENDIAN);
                frame.put(new byte[] { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 }).putShort((short)0x0800);
                frame.put((byte)0x45).put((byte)0).putShort((short)(length - 14)).putShort((short)i)
                    .putShort((short)0).put((byte)64).put((byte)17).putShort((short)0)
                    .putInt(0xC0000201).putInt(0xC0000202);
                frame.putShort((short)40000).putShort((short)port).putShort((short)(length - 34)).putShort((short)0);
                final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                record.putInt(1_700_000_000 + i).putInt(0).putInt(length).putInt(length);
                out.write(record.array());
                out.write(frame.array());
            }
        }
        return matching;
    }
}
