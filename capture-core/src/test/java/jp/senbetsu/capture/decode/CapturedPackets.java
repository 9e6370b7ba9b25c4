package jp.senbetsu.capture.decode;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jp.senbetsu.capture.file.CaptureFileException;
import jp.senbetsu.capture.file.CaptureFileReader;
import jp.senbetsu.capture.lab.MachineInfoJsonWriter;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test fixture: real packets of the shared third-party corpus, copied out of the capture file (read with the
 * project's own reader) into arrays of exactly their captured length, so that any read past the packet by the
 * decoder hits Agrona's bounds check and fails the test.
 */
final class CapturedPackets
{
    /** One captured packet: its link type, timestamp, wire length and exactly its captured bytes. */
    record Packet(String file, int number, int interfaceIndex, int linkType, long timestampNs, int wireLength, byte[] bytes)
    {
        /** The first {@code length} bytes only, as if the snaplen had been {@code length}. */
        byte[] truncated(final int length)
        {
            return java.util.Arrays.copyOf(bytes, length);
        }
    }

    private CapturedPackets()
    {
    }

    static Path corpus()
    {
        final Path pcaps = Path.of(System.getProperty("senbetsu.shared", "../shared")).resolve("pcaps");
        assumeTrue(Files.isDirectory(pcaps), "shared capture corpus not present at " + pcaps);
        return pcaps;
    }

    /** Every packet of a corpus file (those before any damage). */
    static List<Packet> all(final String file)
    {
        final List<Packet> packets = new ArrayList<>();
        try (CaptureFileReader reader = CaptureFileReader.open(corpus().resolve(file)))
        {
            reader.read((ifIndex, linkType, ts, wireLength, buffer, offset, capturedLength) ->
            {
                final byte[] bytes = new byte[capturedLength];
                buffer.getBytes(offset, bytes);
                packets.add(new Packet(file, packets.size() + 1, ifIndex, linkType, ts, wireLength, bytes));
            });
        }
        catch (final CaptureFileException damaged)
        {
            // keep what came before the damage
        }
        return packets;
    }

    /** Packet {@code number} (1-based, file order) of a corpus file. */
    static Packet packet(final String file, final int number)
    {
        final List<Packet> packets = all(file);
        if (number < 1 || number > packets.size())
        {
            throw new IllegalArgumentException(file + " has no packet " + number);
        }
        return packets.get(number - 1);
    }

    /** Decode {@code bytes} (an exact-length array) as packet {@code p} and return the record. */
    static MachineInfoRecord decode(final PacketDecoder decoder, final Packet p, final byte[] bytes)
    {
        final MachineInfoRecord record = new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
        decoder.decode(p.interfaceIndex(), p.linkType(), p.timestampNs(), p.wireLength(), new UnsafeBuffer(bytes), 0,
            bytes.length, record);
        return record;
    }

    /** The JSON line {@code senbetsu decode} prints for a record, without its newline. */
    static String json(final MachineInfoRecord record)
    {
        final MachineInfoJsonWriter writer = new MachineInfoJsonWriter();
        final int length = writer.encode(record);
        return new String(writer.lineBytes(), 0, length - 1, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
