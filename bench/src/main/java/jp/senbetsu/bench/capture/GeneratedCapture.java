package jp.senbetsu.bench.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes benchmark input: a classic pcap or a pcapng file of Ethernet/IPv4/TCP packets with real header bytes
 * (addresses and ports spread over {@code flows} flows, timestamps 1 µs apart, zero payload), so reader,
 * decoder and flow-meter benchmarks can share one generator. Not a test fixture: the files exist only for the
 * benchmark run that made them.
 */
public final class GeneratedCapture
{
    /** Container to write. */
    public enum Format
    {
        PCAP,
        PCAPNG
    }

    private static final int ETHERNET_IPV4_TCP = 14 + 20 + 20;
    private static final long FIRST_SECOND = 1_750_000_000L;

    private GeneratedCapture()
    {
    }

    /**
     * @param capturedLength bytes stored per packet (at least 54: the headers).
     * @param wireLength     original length recorded per packet.
     */
    public static void write(final Path file, final Format format, final int packets, final int capturedLength,
        final int wireLength, final int flows) throws IOException
    {
        if (capturedLength < ETHERNET_IPV4_TCP || wireLength < capturedLength)
        {
            throw new IllegalArgumentException("capturedLength " + capturedLength + ", wireLength " + wireLength);
        }
        final int padded = (capturedLength + 3) & ~3;
        final ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
        final byte[] packet = new byte[capturedLength];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            if (format == Format.PCAP)
            {
                chunk.putInt(0xA1B2C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
                    .putInt(262_144).putInt(1);
            }
            else
            {
                chunk.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short)1).putShort((short)0)
                    .putLong(-1L).putInt(28);
                chunk.putInt(1).putInt(20).putShort((short)1).putShort((short)0).putInt(0).putInt(20);
            }
            for (int i = 0; i < packets; i++)
            {
                if (chunk.remaining() < 32 + padded)
                {
                    drain(channel, chunk);
                }
                headers(packet, i % flows, wireLength);
                final long micros = (FIRST_SECOND * 1_000_000L) + i;
                if (format == Format.PCAP)
                {
                    chunk.putInt((int)(micros / 1_000_000)).putInt((int)(micros % 1_000_000))
                        .putInt(capturedLength).putInt(wireLength).put(packet);
                }
                else
                {
                    final int length = 32 + padded;
                    chunk.putInt(6).putInt(length).putInt(0).putInt((int)(micros >>> 32)).putInt((int)micros)
                        .putInt(capturedLength).putInt(wireLength).put(packet);
                    for (int pad = capturedLength; pad < padded; pad++)
                    {
                        chunk.put((byte)0);
                    }
                    chunk.putInt(length);
                }
            }
            drain(channel, chunk);
        }
    }

    private static void headers(final byte[] packet, final int flow, final int wireLength)
    {
        final ByteBuffer b = ByteBuffer.wrap(packet).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x0200_0000).putShort((short)0x0001).putInt(0x0200_0000).putShort((short)0x0002)
            .putShort((short)0x0800);
        b.put((byte)0x45).put((byte)0).putShort((short)Math.min(wireLength - 14, 0xFFFF)).putShort((short)flow)
            .putShort((short)0x4000).put((byte)64).put((byte)6).putShort((short)0)
            .putInt(0xC000_0200 | (flow & 0xFF)).putInt(0xCB00_7100 | ((flow >>> 8) & 0xFF));
        b.putShort((short)(1024 + flow)).putShort((short)443).putInt(flow).putInt(0)
            .put((byte)0x50).put((byte)0x10).putShort((short)0xFFFF).putShort((short)0).putShort((short)0);
    }

    private static void drain(final FileChannel channel, final ByteBuffer chunk) throws IOException
    {
        chunk.flip();
        while (chunk.hasRemaining())
        {
            channel.write(chunk);
        }
        chunk.clear();
    }
}
