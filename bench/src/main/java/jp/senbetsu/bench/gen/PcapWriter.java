package jp.senbetsu.bench.gen;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic little-endian nanosecond pcap file (magic 0xa1b23c4d), the format tcpdump, tshark and
 * the peer flow meters all read, so the same generated file can be measured by every tool.
 */
final class PcapWriter implements AutoCloseable
{
    static final int LINKTYPE_ETHERNET = 1;
    private static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
    private static final int RECORD_HEADER_LENGTH = 16;

    private final OutputStream out;
    private final ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);

    PcapWriter(final Path file, final int snaplen) throws IOException
    {
        out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        final ByteBuffer fileHeader = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        fileHeader.putInt(MAGIC_NANOSECONDS).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
            .putInt(snaplen).putInt(LINKTYPE_ETHERNET);
        out.write(fileHeader.array());
    }

    void write(final long timestampNs, final byte[] frame, final int capturedLength, final int wireLength)
        throws IOException
    {
        header.clear();
        header.putInt((int)(timestampNs / 1_000_000_000L)).putInt((int)(timestampNs % 1_000_000_000L))
            .putInt(capturedLength).putInt(wireLength);
        out.write(header.array());
        out.write(frame, 0, capturedLength);
    }

    @Override
    public void close() throws IOException
    {
        out.close();
    }
}
