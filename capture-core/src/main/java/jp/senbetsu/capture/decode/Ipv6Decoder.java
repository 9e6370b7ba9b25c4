package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.DirectBuffer;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * IPv6 (RFC 8200) and its extension-header chain: hop-by-hop options, routing, fragment, destination options
 * and AH are walked (in a loop bounded by the captured length) to the upper-layer header, whose number becomes the record's protocol. ESP (and "no next
 * header") end decoding: what follows is encrypted or absent. A fragment header with a non-zero offset ends
 * decoding too, keeping addresses and the fragment's next header. A payload length of 0 with a Jumbo Payload
 * option (jumbogram, BIG TCP) is taken as "the rest of the capture"; without one the payload is empty.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +-------+---------------+---------------------------------------+
 *  |Version| Traffic Class |           Flow Label (20)             |
 *  +-------+---------------+-------+---------------+---------------+
 *  |         Payload Length        |  Next Header  |   Hop Limit   |
 *  +-------------------------------+---------------+---------------+
 *  |                  Source Address (16 bytes)                    |   8
 *  +---------------------------------------------------------------+
 *  |               Destination Address (16 bytes)                  |  24
 *  +---------------------------------------------------------------+  40
 *
 *  extension headers:       fragment header (44):
 *  +------+------+-----     +------+------+-------------------+-+-+-------------------+
 *  | next | len  | ...      | next | rsvd | offset (13)   |00|M| identification (32) |
 *  +------+------+-----     +------+------+-------------------+-+-+-------------------+
 *  len in 8-octet units beyond the first 8 (AH: 4-octet units beyond the first 8)
 * </pre>
 */
final class Ipv6Decoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 40;
    static final int PAYLOAD_LENGTH_OFFSET = 4;
    static final int NEXT_HEADER_OFFSET = 6;
    static final int HOP_LIMIT_OFFSET = 7;
    static final int SRC_OFFSET = 8;
    static final int DST_OFFSET = 24;

    static final int HOP_BY_HOP = 0;
    static final int ROUTING = 43;
    static final int FRAGMENT = 44;
    static final int ESP = 50;
    static final int AH = 51;
    static final int DESTINATION_OPTIONS = 60;
    static final int FRAGMENT_HEADER_LENGTH = 8;
    static final int EXTENSION_MIN_LENGTH = 8;
    static final int PAD1 = 0;
    static final int JUMBO_PAYLOAD = 0xC2;

    private final LayerDispatcher dispatcher;

    Ipv6Decoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.IPV6_TRUNCATED;
        }
        final DirectBuffer buffer = context.buffer;
        final int first = buffer.getInt(offset, java.nio.ByteOrder.BIG_ENDIAN);
        if (first >>> 28 != 6)
        {
            return DecodeStatus.IPV6_BAD_VERSION;
        }
        final int payloadLength = u16(buffer, offset + PAYLOAD_LENGTH_OFFSET);

        context.beginIp();
        final MachineInfoRecord record = context.record;
        record.ipv6Addresses(buffer.getLong(offset + SRC_OFFSET), buffer.getLong(offset + SRC_OFFSET + 8),
            buffer.getLong(offset + DST_OFFSET), buffer.getLong(offset + DST_OFFSET + 8));
        int nextHeader = u8(buffer, offset + NEXT_HEADER_OFFSET);
        record.ipVersion(6)
            .protocol(nextHeader)
            .ttl(u8(buffer, offset + HOP_LIMIT_OFFSET))
            .trafficClass((first >>> 20) & 0xFF)
            .flowLabel(first & 0xF_FFFF)
            .ipLength(HEADER_LENGTH + payloadLength);
        if (payloadLength == 0)
        {
            // RFC 2675: a zero payload length is only a jumbogram (BIG TCP) with a Jumbo Payload option;
            // without one the payload is empty, whatever bytes follow
            if (nextHeader != HOP_BY_HOP || !hasJumboOption(context, offset + HEADER_LENGTH))
            {
                return DecodeStatus.OK;
            }
            record.ipLength(HEADER_LENGTH + context.available(offset + HEADER_LENGTH));
        }
        else
        {
            context.trimTo(offset + HEADER_LENGTH + payloadLength);
        }

        int position = offset + HEADER_LENGTH;
        while (true)
        {
            switch (nextHeader)
            {
                case HOP_BY_HOP, ROUTING, DESTINATION_OPTIONS, AH ->
                {
                    if (!context.has(position, EXTENSION_MIN_LENGTH))
                    {
                        keepNextHeaderOfTruncated(context, position);
                        return DecodeStatus.IPV6_EXT_TRUNCATED;
                    }
                    final int length = nextHeader == AH ?
                        (u8(buffer, position + 1) + 2) << 2 :
                        (u8(buffer, position + 1) + 1) << 3;
                    nextHeader = u8(buffer, position);
                    record.protocol(nextHeader);
                    position += length;
                }
                case FRAGMENT ->
                {
                    if (!context.has(position, FRAGMENT_HEADER_LENGTH))
                    {
                        keepNextHeaderOfTruncated(context, position);
                        return DecodeStatus.IPV6_EXT_TRUNCATED;
                    }
                    nextHeader = u8(buffer, position);
                    final int offsetFlags = u16(buffer, position + 2);
                    final int fragmentOffset = offsetFlags >>> 3;
                    final boolean more = (offsetFlags & 1) != 0;
                    record.protocol(nextHeader)
                        .addPresence(MachineInfoRecord.HAS_FRAGMENT)
                        .fragment((more ? MachineInfoRecord.FRAGMENT_MORE : 0) |
                            (fragmentOffset != 0 ? MachineInfoRecord.FRAGMENT_NON_FIRST : 0))
                        .fragmentId(buffer.getInt(position + 4, java.nio.ByteOrder.BIG_ENDIAN))
                        .fragmentOffset(fragmentOffset);
                    position += FRAGMENT_HEADER_LENGTH;
                    if (fragmentOffset != 0)
                    {
                        return DecodeStatus.OK;
                    }
                }
                default ->
                {
                    return dispatcher.ipProtocol(context, nextHeader, position);
                }
            }
        }
    }

    /** Whether the hop-by-hop header at {@code position} holds a Jumbo Payload option (type 0xC2). */
    private static boolean hasJumboOption(final DecodeContext context, final int position)
    {
        if (!context.has(position, EXTENSION_MIN_LENGTH))
        {
            return false;
        }
        final DirectBuffer buffer = context.buffer;
        final int end = position + ((u8(buffer, position + 1) + 1) << 3);
        int option = position + 2;
        while (option < end && context.has(option, 1))
        {
            final int type = u8(buffer, option);
            if (type == PAD1)
            {
                option++;
                continue;
            }
            if (type == JUMBO_PAYLOAD)
            {
                return true;
            }
            if (!context.has(option, 2))
            {
                return false;
            }
            option += 2 + u8(buffer, option + 1);
        }
        return false;
    }

    /** A truncated extension header whose first byte was captured still names the protocol that follows. */
    private static void keepNextHeaderOfTruncated(final DecodeContext context, final int position)
    {
        if (context.has(position, 1))
        {
            context.record.protocol(u8(context.buffer, position));
        }
    }
}
