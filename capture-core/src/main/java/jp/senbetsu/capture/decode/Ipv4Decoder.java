package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.DirectBuffer;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * IPv4 (RFC 791), options skipped by the header length. Every accepted header becomes the record's innermost IP
 * header. Fragments: the first one (offset 0, MF set) still carries the transport header and yields ports; a
 * later one is marked {@link MachineInfoRecord#FRAGMENT_NON_FIRST} and keeps addresses and protocol only.
 * A total length of 0 is taken as "the rest of the capture" (TSO / BIG TCP captures), as tshark does.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +-------+-------+---------------+-------------------------------+
 *  |Version|  IHL  |   DSCP/ECN    |          Total Length         |
 *  +-------+-------+---------------+-----+-------------------------+
 *  |         Identification        |Flags|     Fragment Offset     |
 *  +---------------+---------------+-----+-------------------------+
 *  |      TTL      |   Protocol    |        Header Checksum        |
 *  +---------------+---------------+-------------------------------+
 *  |                       Source Address                          |
 *  +---------------------------------------------------------------+
 *  |                    Destination Address                        |
 *  +---------------------------------------------------------------+
 *  |                    Options (IHL > 5)                          |
 * </pre>
 */
final class Ipv4Decoder implements LayerDecoder
{
    static final int MIN_HEADER_LENGTH = 20;
    static final int TOTAL_LENGTH_OFFSET = 2;
    static final int ID_OFFSET = 4;
    static final int FLAGS_FRAGMENT_OFFSET = 6;
    static final int TTL_OFFSET = 8;
    static final int PROTOCOL_OFFSET = 9;
    static final int SRC_OFFSET = 12;
    static final int DST_OFFSET = 16;
    static final int FLAG_MORE_FRAGMENTS = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private final LayerDispatcher dispatcher;

    Ipv4Decoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, MIN_HEADER_LENGTH))
        {
            return DecodeStatus.IPV4_TRUNCATED;
        }
        final DirectBuffer buffer = context.buffer;
        final int versionIhl = u8(buffer, offset);
        if (versionIhl >>> 4 != 4)
        {
            return DecodeStatus.IPV4_BAD_VERSION;
        }
        final int headerLength = (versionIhl & 0x0F) << 2;
        if (headerLength < MIN_HEADER_LENGTH)
        {
            return DecodeStatus.IPV4_BAD_IHL;
        }
        int totalLength = u16(buffer, offset + TOTAL_LENGTH_OFFSET);
        if (totalLength == 0)
        {
            totalLength = context.available(offset);
        }
        else if (totalLength < headerLength)
        {
            return DecodeStatus.IPV4_BAD_TOTAL_LENGTH;
        }

        context.beginIp();
        final MachineInfoRecord record = context.record;
        record.ipv4Addresses(buffer.getInt(offset + SRC_OFFSET), buffer.getInt(offset + DST_OFFSET));
        final int protocol = u8(buffer, offset + PROTOCOL_OFFSET);
        record.ipVersion(4)
            .protocol(protocol)
            .ttl(u8(buffer, offset + TTL_OFFSET))
            .trafficClass(u8(buffer, offset + 1))
            .ipLength(totalLength);

        final int flagsFragment = u16(buffer, offset + FLAGS_FRAGMENT_OFFSET);
        final int fragmentOffset = flagsFragment & FRAGMENT_OFFSET_MASK;
        final boolean more = (flagsFragment & FLAG_MORE_FRAGMENTS) != 0;
        if (more || fragmentOffset != 0)
        {
            record.addPresence(MachineInfoRecord.HAS_FRAGMENT)
                .fragment((more ? MachineInfoRecord.FRAGMENT_MORE : 0) |
                    (fragmentOffset != 0 ? MachineInfoRecord.FRAGMENT_NON_FIRST : 0))
                .fragmentId(u16(buffer, offset + ID_OFFSET))
                .fragmentOffset(fragmentOffset);
        }

        if (!context.has(offset, headerLength))
        {
            return DecodeStatus.IPV4_TRUNCATED;
        }
        context.trimTo(offset + totalLength);
        if (fragmentOffset != 0)
        {
            return DecodeStatus.OK;
        }
        return dispatcher.ipProtocol(context, protocol, offset + headerLength);
    }
}
