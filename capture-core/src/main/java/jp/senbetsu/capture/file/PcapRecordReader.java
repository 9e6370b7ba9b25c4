package jp.senbetsu.capture.file;

import java.nio.ByteOrder;
import java.nio.file.Path;

import org.agrona.DirectBuffer;

/**
 * Reader of classic pcap files: checks the 24-byte global header, then walks the 16-byte record headers.
 *
 * <p>Decisions (see docs/capture-files.md): major version must be 2 (any minor, as tshark); the reserved bits
 * of the link-type field must be zero (as libpcap and tshark); the FCS bits are reported, not applied; a
 * captured length above the snaplen or the wire length is delivered as stored (as tshark), but one above
 * {@link CaptureFileConfiguration#maxCapturedLength()} is damage; a sub-second value of a second or more is
 * carried into the seconds and counted; a file that ends exactly after a record ends cleanly.
 */
final class PcapRecordReader implements FormatReader
{
    private final Path file;
    private final CaptureBytes bytes;
    private final ReadCounters counters;
    private final long maxCapturedLength;
    private final PcapRecordHeader record = new PcapRecordHeader();
    private final ByteOrder order;
    private final TimestampResolution resolution;
    private CaptureInterface captureInterface;
    private long position;

    PcapRecordReader(
        final Path file, final CaptureBytes bytes, final ReadCounters counters,
        final CaptureFileConfiguration configuration, final ByteOrder order, final TimestampResolution resolution)
    {
        this.file = file;
        this.bytes = bytes;
        this.counters = counters;
        this.maxCapturedLength = configuration.maxCapturedLength();
        this.order = order;
        this.resolution = resolution;
    }

    /** Checks the global header and registers the file's one interface. */
    void readFileHeader()
    {
        final int available = bytes.fetch(0, PcapFileHeader.LENGTH);
        if (available < PcapFileHeader.LENGTH)
        {
            throw new CaptureFileException(file, 0, "end of file inside the pcap file header (" +
                PcapFileHeader.LENGTH + " bytes needed, " + available + " present)");
        }
        final PcapFileHeader header = new PcapFileHeader();
        header.wrap(bytes.buffer(), bytes.index(0), order);
        if (header.versionMajor() != 2)
        {
            throw new CaptureFileException(file, PcapFileHeader.VERSION_MAJOR_OFFSET, "unsupported pcap version " +
                header.versionMajor() + "." + header.versionMinor() + " (major version 2 expected)");
        }
        final int linkTypeField = header.linkTypeField();
        if ((linkTypeField & PcapFileHeader.RESERVED_MASK) != 0)
        {
            throw new CaptureFileException(file, PcapFileHeader.LINK_TYPE_FIELD_OFFSET, String.format(
                "reserved bits of the link-type field are set (field 0x%08x)", linkTypeField));
        }
        final int fcsLength = (linkTypeField & PcapFileHeader.FCS_PRESENT) != 0 ?
            2 * (linkTypeField >>> PcapFileHeader.FCS_LENGTH_SHIFT) : -1;
        captureInterface = new CaptureInterface(0, 0, 0, linkTypeField & PcapFileHeader.LINK_TYPE_MASK,
            header.snaplen(), resolution, 0, fcsLength);
        counters.interfaces.add(captureInterface);
        counters.sections = 1;
        position = PcapFileHeader.LENGTH;
        counters.endOffset = position;
    }

    @Override
    public long read(final PacketHandler handler)
    {
        final long before = counters.packets;
        final CaptureInterface captureInterface = this.captureInterface;
        final int linkType = captureInterface.linkType();
        while (true)
        {
            final long recordStart = position;
            final int available = bytes.fetch(recordStart, PcapRecordHeader.LENGTH);
            if (available == 0)
            {
                break;
            }
            if (available < PcapRecordHeader.LENGTH)
            {
                throw new CaptureFileException(file, recordStart, "end of file inside a record header (" +
                    PcapRecordHeader.LENGTH + " bytes needed, " + available + " present)");
            }
            record.wrap(bytes.buffer(), bytes.index(recordStart), order);
            final long capturedLength = record.capturedLength();
            if (capturedLength > maxCapturedLength)
            {
                throw new CaptureFileException(file, recordStart, "record declares a captured length of " +
                    capturedLength + " bytes, beyond the limit of " + maxCapturedLength + " (snaplen " +
                    captureInterface.snaplen() + ")");
            }
            final int recordLength = PcapRecordHeader.LENGTH + (int)capturedLength;
            final int present = bytes.fetch(recordStart, recordLength);
            if (present < recordLength)
            {
                throw new CaptureFileException(file, recordStart, "end of file inside a record: " +
                    capturedLength + " captured bytes declared, " + (present - PcapRecordHeader.LENGTH) +
                    " present");
            }
            final DirectBuffer buffer = bytes.buffer();
            record.wrap(buffer, bytes.index(recordStart), order);
            final long subsecond = record.subsecond();
            if (!resolution.isValidSubsecond(subsecond))
            {
                counters.invalidTimestamps++;
            }
            final long timestampNs = resolution.toNanos(record.seconds(), subsecond);
            final long originalLength = record.originalLength();
            position = recordStart + recordLength;
            counters.endOffset = position;
            counters.count(captureInterface, (int)capturedLength, originalLength);
            handler.onPacket(0, linkType, timestampNs, FormatReader.wireLength(originalLength), buffer,
                record.dataOffset(), (int)capturedLength);
        }
        return counters.packets - before;
    }
}
