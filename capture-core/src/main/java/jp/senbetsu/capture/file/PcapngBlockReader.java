package jp.senbetsu.capture.file;

import java.nio.ByteOrder;
import java.nio.file.Path;

import org.agrona.DirectBuffer;

/**
 * Reader of pcapng files: walks blocks of any number of sections, each in its own byte order, learns the
 * interfaces from IDBs, delivers the packets of EPBs, SPBs and obsolete Packet Blocks, and skips every other
 * block by its length after checking that length.
 *
 * <p>Decisions (see docs/capture-files.md): the interface index handed on is file-wide (IDB order across all
 * sections); SHB version 1.0 and 1.2 are read (as libpcap and Wireshark do), anything else is refused; an SPB
 * has no timestamp and gets the previous packet's; custom blocks are counted because tshark 4.0 shows them as
 * frames; a file that ends exactly after a block ends cleanly.
 */
final class PcapngBlockReader implements FormatReader
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Path file;
    private final CaptureBytes bytes;
    private final ReadCounters counters;
    private final long maxCapturedLength;
    private final long maxBlockLength;
    private final PcapngBlock block = new PcapngBlock();
    private final SectionHeaderBlock sectionHeader = new SectionHeaderBlock();
    private final InterfaceDescriptionBlock interfaceDescription = new InterfaceDescriptionBlock();
    private final EnhancedPacketBlock packetBlock = new EnhancedPacketBlock();
    private final SimplePacketBlock simplePacket = new SimplePacketBlock();
    private final PcapngOptions options = new PcapngOptions();
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private int sectionFirstInterface;
    private int sectionInterfaces;
    private long position;
    private long lastTimestampNs;

    PcapngBlockReader(
        final Path file, final CaptureBytes bytes, final ReadCounters counters,
        final CaptureFileConfiguration configuration)
    {
        this.file = file;
        this.bytes = bytes;
        this.counters = counters;
        this.maxCapturedLength = configuration.maxCapturedLength();
        this.maxBlockLength = configuration.maxBlockLength();
    }

    @Override
    public long read(final PacketHandler handler)
    {
        final long before = counters.packets;
        while (true)
        {
            final long blockStart = position;
            int available = bytes.fetch(blockStart, PcapngBlock.HEADER_LENGTH);
            if (available == 0)
            {
                break;
            }
            if (available < PcapngBlock.HEADER_LENGTH)
            {
                throw damage(blockStart, "end of file inside a block header (" + PcapngBlock.HEADER_LENGTH +
                    " bytes needed, " + available + " present)");
            }
            block.wrap(bytes.buffer(), bytes.index(blockStart), order);
            final int type = block.type();
            if (type == PcapngBlock.SECTION_HEADER)
            {
                order = sectionByteOrder(blockStart);
                block.wrap(bytes.buffer(), bytes.index(blockStart), order);
            }
            final long totalLength = block.totalLength();
            checkLength(blockStart, type, totalLength);
            final int length = (int)totalLength;
            available = bytes.fetch(blockStart, length);
            if (available < length)
            {
                throw damage(blockStart, "end of file inside a " + blockName(type) + " block: " + length +
                    " bytes declared, " + available + " present");
            }
            final DirectBuffer buffer = bytes.buffer();
            final int index = bytes.index(blockStart);
            block.wrap(buffer, index, order);
            final long trailer = block.trailerLength(length);
            if (trailer != totalLength)
            {
                throw damage(blockStart, "block length mismatch in a " + blockName(type) + " block: header says " +
                    totalLength + ", trailer says " + trailer);
            }
            switch (type)
            {
                case PcapngBlock.SECTION_HEADER -> onSectionHeader(blockStart, buffer, index, length);
                case PcapngBlock.INTERFACE_DESCRIPTION -> onInterfaceDescription(blockStart, buffer, index, length);
                case PcapngBlock.ENHANCED_PACKET -> onPacketBlock(blockStart, buffer, index, length, false, handler);
                case PcapngBlock.OBSOLETE_PACKET -> onPacketBlock(blockStart, buffer, index, length, true, handler);
                case PcapngBlock.SIMPLE_PACKET -> onSimplePacket(blockStart, buffer, index, length, handler);
                case PcapngBlock.CUSTOM_COPIABLE, PcapngBlock.CUSTOM_NOT_COPIABLE -> counters.customBlocks++;
                default -> counters.skippedBlocks++;
            }
            position = blockStart + length;
            counters.endOffset = position;
        }
        return counters.packets - before;
    }

    private ByteOrder sectionByteOrder(final long blockStart)
    {
        final int available = bytes.fetch(blockStart, SectionHeaderBlock.BYTE_ORDER_MAGIC_OFFSET + 4);
        if (available < SectionHeaderBlock.BYTE_ORDER_MAGIC_OFFSET + 4)
        {
            throw damage(blockStart, "end of file inside a section header block (" +
                (SectionHeaderBlock.BYTE_ORDER_MAGIC_OFFSET + 4) + " bytes needed, " + available + " present)");
        }
        final int magic = bytes.buffer().getInt(
            bytes.index(blockStart) + SectionHeaderBlock.BYTE_ORDER_MAGIC_OFFSET, ByteOrder.BIG_ENDIAN);
        if (magic == SectionHeaderBlock.BYTE_ORDER_MAGIC)
        {
            return ByteOrder.BIG_ENDIAN;
        }
        if (Integer.reverseBytes(magic) == SectionHeaderBlock.BYTE_ORDER_MAGIC)
        {
            return ByteOrder.LITTLE_ENDIAN;
        }
        throw damage(blockStart + SectionHeaderBlock.BYTE_ORDER_MAGIC_OFFSET,
            String.format("bad byte-order magic 0x%08x in a section header block", magic));
    }

    private void checkLength(final long blockStart, final int type, final long totalLength)
    {
        final int minimum = switch (type)
        {
            case PcapngBlock.SECTION_HEADER -> SectionHeaderBlock.MIN_LENGTH;
            case PcapngBlock.INTERFACE_DESCRIPTION -> InterfaceDescriptionBlock.MIN_LENGTH;
            case PcapngBlock.ENHANCED_PACKET, PcapngBlock.OBSOLETE_PACKET -> EnhancedPacketBlock.MIN_LENGTH;
            case PcapngBlock.SIMPLE_PACKET -> SimplePacketBlock.MIN_LENGTH;
            default -> PcapngBlock.MIN_LENGTH;
        };
        if (totalLength < minimum)
        {
            throw damage(blockStart, "block length " + totalLength + " of a " + blockName(type) +
                " block is below its minimum of " + minimum);
        }
        if ((totalLength & 3) != 0)
        {
            throw damage(blockStart, "block length " + totalLength + " of a " + blockName(type) +
                " block is not a multiple of 4");
        }
        if (totalLength > maxBlockLength)
        {
            throw damage(blockStart, "block length " + totalLength + " of a " + blockName(type) +
                " block is beyond the limit of " + maxBlockLength);
        }
    }

    private void onSectionHeader(final long blockStart, final DirectBuffer buffer, final int index, final int length)
    {
        sectionHeader.wrap(buffer, index, order);
        final int major = sectionHeader.versionMajor();
        final int minor = sectionHeader.versionMinor();
        if (major != 1 || (minor != 0 && minor != 2))
        {
            throw damage(blockStart + SectionHeaderBlock.VERSION_MAJOR_OFFSET, "unsupported pcapng version " +
                major + "." + minor + " in section " + counters.sections + " (1.0 or 1.2 expected)");
        }
        options.wrap(buffer, index, order);
        options.reset(index + SectionHeaderBlock.OPTIONS_OFFSET, index + length - PcapngBlock.TRAILER_LENGTH);
        int outcome;
        while ((outcome = options.next()) == PcapngOptions.OPTION)
        {
            // section options (comment, hardware, OS, application) are descriptive only
        }
        checkOptions(blockStart, index, outcome, "section header");
        counters.sections++;
        sectionFirstInterface = counters.interfaces.size();
        sectionInterfaces = 0;
    }

    private void onInterfaceDescription(
        final long blockStart, final DirectBuffer buffer, final int index, final int length)
    {
        interfaceDescription.wrap(buffer, index, order);
        TimestampResolution resolution = TimestampResolution.MICROSECONDS;
        long tsoffset = 0;
        int fcsLength = -1;
        options.wrap(buffer, index, order);
        options.reset(index + InterfaceDescriptionBlock.OPTIONS_OFFSET,
            index + length - PcapngBlock.TRAILER_LENGTH);
        int outcome;
        while ((outcome = options.next()) == PcapngOptions.OPTION)
        {
            final int code = options.code();
            if (code == InterfaceDescriptionBlock.OPTION_IF_TSRESOL && options.length() >= 1)
            {
                final int tsresol = options.byteValue() & 0xFF;
                resolution = TimestampResolution.ofTsresol(tsresol);
                if (resolution == null)
                {
                    throw damage(blockStart + (options.position() - index), String.format(
                        "if_tsresol 0x%02x of interface %d cannot be represented in nanoseconds", tsresol,
                        sectionInterfaces));
                }
            }
            else if (code == InterfaceDescriptionBlock.OPTION_IF_TSOFFSET && options.length() >= 8)
            {
                tsoffset = options.longValue();
            }
            else if (code == InterfaceDescriptionBlock.OPTION_IF_FCSLEN && options.length() >= 1)
            {
                fcsLength = options.byteValue() & 0xFF;
            }
        }
        checkOptions(blockStart, index, outcome, "interface description");
        final CaptureInterface captureInterface = new CaptureInterface(counters.interfaces.size(),
            counters.sections - 1, sectionInterfaces, interfaceDescription.linkType(),
            interfaceDescription.snaplen(), resolution, tsoffset, fcsLength);
        counters.interfaces.add(captureInterface);
        sectionInterfaces++;
    }

    private void checkOptions(final long blockStart, final int index, final int outcome, final String blockName)
    {
        if (outcome == PcapngOptions.OVERRUN)
        {
            throw damage(blockStart + (options.position() - index), "option " + options.code() + " of length " +
                options.length() + " runs past the end of its " + blockName + " block");
        }
    }

    private void onPacketBlock(
        final long blockStart, final DirectBuffer buffer, final int index, final int length, final boolean obsolete,
        final PacketHandler handler)
    {
        packetBlock.wrap(buffer, index, order);
        final long localId = obsolete ? packetBlock.obsoleteInterfaceId() : packetBlock.interfaceId();
        final CaptureInterface captureInterface = sectionInterface(blockStart, localId, obsolete ? "packet" :
            "enhanced packet");
        final long capturedLength = packetBlock.capturedLength();
        final long dataArea = length - EnhancedPacketBlock.MIN_LENGTH;
        if (capturedLength > dataArea)
        {
            throw damage(blockStart, "captured length " + capturedLength + " runs past the data area of " +
                dataArea + " bytes of its block");
        }
        if (capturedLength > maxCapturedLength)
        {
            throw damage(blockStart, "block declares a captured length of " + capturedLength +
                " bytes, beyond the limit of " + maxCapturedLength);
        }
        final long timestampNs = captureInterface.resolution().toNanos(packetBlock.timestampUnits()) +
            captureInterface.tsoffsetSeconds() * NANOS_PER_SECOND;
        deliver(handler, captureInterface, timestampNs, packetBlock.originalLength(), buffer,
            packetBlock.dataOffset(), (int)capturedLength);
    }

    private void onSimplePacket(
        final long blockStart, final DirectBuffer buffer, final int index, final int length,
        final PacketHandler handler)
    {
        simplePacket.wrap(buffer, index, order);
        final CaptureInterface captureInterface = sectionInterface(blockStart, 0, "simple packet");
        final long originalLength = simplePacket.originalLength();
        long capturedLength = Math.min(originalLength, length - SimplePacketBlock.MIN_LENGTH);
        final long snaplen = captureInterface.snaplen();
        if (snaplen != 0)
        {
            capturedLength = Math.min(capturedLength, snaplen);
        }
        if (capturedLength > maxCapturedLength)
        {
            throw damage(blockStart, "simple packet block carries " + capturedLength +
                " captured bytes, beyond the limit of " + maxCapturedLength);
        }
        counters.simplePackets++;
        deliver(handler, captureInterface, lastTimestampNs, originalLength, buffer, simplePacket.dataOffset(),
            (int)capturedLength);
    }

    private CaptureInterface sectionInterface(final long blockStart, final long localId, final String blockName)
    {
        if (localId >= sectionInterfaces)
        {
            throw damage(blockStart, blockName + " block refers to interface " + localId + " but section " +
                (counters.sections - 1) + " has described " + sectionInterfaces);
        }
        return counters.interfaces.get(sectionFirstInterface + (int)localId);
    }

    private void deliver(
        final PacketHandler handler, final CaptureInterface captureInterface, final long timestampNs,
        final long originalLength, final DirectBuffer buffer, final int dataOffset, final int capturedLength)
    {
        lastTimestampNs = timestampNs;
        counters.count(captureInterface, capturedLength, originalLength);
        handler.onPacket(captureInterface.index(), captureInterface.linkType(), timestampNs,
            FormatReader.wireLength(originalLength), buffer, dataOffset, capturedLength);
    }

    private CaptureFileException damage(final long offset, final String what)
    {
        return new CaptureFileException(file, offset, what);
    }

    private static String blockName(final int type)
    {
        return switch (type)
        {
            case PcapngBlock.SECTION_HEADER -> "section header";
            case PcapngBlock.INTERFACE_DESCRIPTION -> "interface description";
            case PcapngBlock.OBSOLETE_PACKET -> "packet";
            case PcapngBlock.SIMPLE_PACKET -> "simple packet";
            case PcapngBlock.NAME_RESOLUTION -> "name resolution";
            case PcapngBlock.INTERFACE_STATISTICS -> "interface statistics";
            case PcapngBlock.ENHANCED_PACKET -> "enhanced packet";
            case PcapngBlock.DECRYPTION_SECRETS -> "decryption secrets";
            case PcapngBlock.CUSTOM_COPIABLE, PcapngBlock.CUSTOM_NOT_COPIABLE -> "custom";
            default -> String.format("type 0x%08x", type);
        };
    }
}
