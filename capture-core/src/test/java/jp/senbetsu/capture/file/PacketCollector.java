package jp.senbetsu.capture.file;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

/** Test handler that copies every delivered packet, so tests can compare them with what was written. */
final class PacketCollector implements PacketHandler
{
    final List<CaptureBuilder.Packet> packets = new ArrayList<>();

    @Override
    public void onPacket(
        final int interfaceIndex, final int linkType, final long timestampNs, final int wireLength,
        final DirectBuffer buffer, final int offset, final int capturedLength)
    {
        final byte[] data = new byte[capturedLength];
        buffer.getBytes(offset, data);
        packets.add(new CaptureBuilder.Packet(interfaceIndex, linkType, timestampNs, wireLength, data));
    }

    /** Reads the whole file with the given configuration, returning the stats. */
    static CaptureFileStats read(final Path file, final CaptureFileConfiguration configuration,
        final PacketHandler collector)
    {
        try (CaptureFileReader reader = CaptureFileReader.open(file, configuration))
        {
            reader.read(collector);
            return reader.stats();
        }
    }
}
