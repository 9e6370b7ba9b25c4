package jp.senbetsu.capture.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes synthetic classic pcap and pcapng files with known contents for the reader tests, remembering where
 * each record ends (so truncation tests know which cuts are clean) and which packets a reader must deliver.
 */
final class CaptureBuilder
{
    /** A packet a reader must deliver, with its captured bytes. */
    record Packet(int interfaceIndex, int linkType, long timestampNs, int wireLength, byte[] data)
    {
        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Packet p && p.interfaceIndex == interfaceIndex && p.linkType == linkType &&
                p.timestampNs == timestampNs && p.wireLength == wireLength && Arrays.equals(p.data, data);
        }

        @Override
        public int hashCode()
        {
            return Long.hashCode(timestampNs) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString()
        {
            return "Packet{if=" + interfaceIndex + ", lt=" + linkType + ", ts=" + timestampNs + ", wire=" +
                wireLength + ", cap=" + data.length + '}';
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Integer> boundaries = new ArrayList<>();
    private final List<Packet> packets = new ArrayList<>();
    private final List<Integer> packetEnds = new ArrayList<>();
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    // ---- classic pcap

    static final int PCAP_MICROS = 0xA1B2C3D4;
    static final int PCAP_NANOS = 0xA1B23C4D;

    CaptureBuilder pcapHeader(
        final ByteOrder order, final int magic, final int major, final int minor, final long snaplen,
        final int linkTypeField)
    {
        this.order = order;
        final ByteBuffer b = buffer(24);
        b.putInt(magic).putShort((short)major).putShort((short)minor).putInt(0).putInt(0)
            .putInt((int)snaplen).putInt(linkTypeField);
        append(b);
        return this;
    }

    /** A record; {@code expectedNs} is what the reader must report (null: no expectation recorded). */
    CaptureBuilder pcapRecord(
        final long seconds, final long subsecond, final byte[] data, final long wireLength, final int linkType,
        final long expectedNs)
    {
        final ByteBuffer b = buffer(16 + data.length);
        b.putInt((int)seconds).putInt((int)subsecond).putInt(data.length).putInt((int)wireLength).put(data);
        append(b);
        expect(new Packet(0, linkType, expectedNs, (int)Math.min(wireLength, Integer.MAX_VALUE), data));
        return this;
    }

    // ---- pcapng

    CaptureBuilder section(final ByteOrder order)
    {
        this.order = order;
        final byte[] app = "senbetsu test".getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer body = buffer(16 + option(4, app).length + 4);
        body.putInt(0x1A2B3C4D).putShort((short)1).putShort((short)0).putLong(-1L).put(option(4, app)).putInt(0);
        return block(0x0A0D0D0A, body.array());
    }

    /** An IDB with optional if_tsresol (-1 for absent) and if_tsoffset (null for absent). */
    CaptureBuilder interfaceDescription(final int linkType, final int snaplen, final int tsresol, final Long tsoffset)
    {
        final ByteArrayOutputStream options = new ByteArrayOutputStream();
        options.writeBytes(option(2, "eth0".getBytes(StandardCharsets.US_ASCII)));
        if (tsresol >= 0)
        {
            options.writeBytes(option(9, new byte[] {(byte)tsresol}));
        }
        if (tsoffset != null)
        {
            options.writeBytes(option(14, buffer(8).putLong(tsoffset).array()));
        }
        options.writeBytes(new byte[4]);
        final ByteBuffer body = buffer(8 + options.size());
        body.putShort((short)linkType).putShort((short)0).putInt(snaplen).put(options.toByteArray());
        return block(1, body.array());
    }

    CaptureBuilder enhancedPacket(
        final int localId, final long units, final byte[] data, final int wireLength, final Packet expected)
    {
        final byte[] comment = option(1, "c".getBytes(StandardCharsets.US_ASCII));
        final ByteBuffer body = buffer(20 + padded(data.length) + comment.length + 4);
        body.putInt(localId).putInt((int)(units >>> 32)).putInt((int)units).putInt(data.length).putInt(wireLength)
            .put(data).position(20 + padded(data.length));
        body.put(comment).putInt(0);
        block(6, body.array());
        expect(expected);
        return this;
    }

    CaptureBuilder obsoletePacket(
        final int localId, final long units, final byte[] data, final int wireLength, final Packet expected)
    {
        final ByteBuffer body = buffer(20 + padded(data.length));
        body.putShort((short)localId).putShort((short)0).putInt((int)(units >>> 32)).putInt((int)units)
            .putInt(data.length).putInt(wireLength).put(data);
        block(2, body.array());
        expect(expected);
        return this;
    }

    CaptureBuilder simplePacket(final byte[] stored, final int wireLength, final Packet expected)
    {
        final ByteBuffer body = buffer(4 + padded(stored.length));
        body.putInt(wireLength).put(stored);
        block(3, body.array());
        expect(expected);
        return this;
    }

    /** A block the reader must skip: NRB (4), ISB (5), DSB (10), custom (0xBAD, 0x40000BAD) or unknown. */
    CaptureBuilder skippedBlock(final int type, final int bodyLength)
    {
        final byte[] body = new byte[bodyLength];
        for (int i = 0; i < bodyLength; i++)
        {
            body[i] = (byte)(0xA5 ^ i);
        }
        return block(type, body);
    }

    CaptureBuilder block(final int type, final byte[] body)
    {
        return rawBlock(type, 12 + body.length, body, 12 + body.length);
    }

    /** A block with the given header and trailer lengths, whatever the body's size. */
    CaptureBuilder rawBlock(final int type, final int headerLength, final byte[] body, final int trailerLength)
    {
        final ByteBuffer b = buffer(12 + body.length);
        b.putInt(type).putInt(headerLength).put(body).putInt(trailerLength);
        append(b);
        return this;
    }

    /** Drops the last {@code count} bytes written. */
    CaptureBuilder truncateBy(final int count)
    {
        final byte[] all = out.toByteArray();
        out.reset();
        out.write(all, 0, all.length - count);
        return this;
    }

    // ---- results

    byte[] bytes()
    {
        return out.toByteArray();
    }

    /** Offsets at which the file may be cut and still end cleanly (after the header, after each record). */
    List<Integer> boundaries()
    {
        return boundaries;
    }

    List<Packet> packets()
    {
        return packets;
    }

    /** The packets whose records end at or before {@code cut}. */
    List<Packet> packetsBefore(final int cut)
    {
        final List<Packet> before = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++)
        {
            if (packetEnds.get(i) <= cut)
            {
                before.add(packets.get(i));
            }
        }
        return before;
    }

    Path write(final Path file) throws IOException
    {
        Files.write(file, bytes());
        return file;
    }

    Path writeGzip(final Path file) throws IOException
    {
        try (GZIPOutputStream gzip = new GZIPOutputStream(Files.newOutputStream(file)))
        {
            gzip.write(bytes());
        }
        return file;
    }

    static byte[] data(final int length, final int seed)
    {
        final byte[] data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(seed * 31 + i * 7);
        }
        return data;
    }

    private void expect(final Packet packet)
    {
        if (packet == null)
        {
            return;
        }
        packets.add(packet);
        packetEnds.add(out.size());
    }

    private byte[] option(final int code, final byte[] value)
    {
        final ByteBuffer b = buffer(4 + padded(value.length));
        b.putShort((short)code).putShort((short)value.length).put(value);
        return b.array();
    }

    private static int padded(final int length)
    {
        return (length + 3) & ~3;
    }

    private ByteBuffer buffer(final int length)
    {
        return ByteBuffer.allocate(length).order(order);
    }

    private void append(final ByteBuffer b)
    {
        out.writeBytes(b.array());
        boundaries.add(out.size());
    }
}
