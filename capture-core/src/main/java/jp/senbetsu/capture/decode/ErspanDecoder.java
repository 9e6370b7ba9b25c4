package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.TunnelType;
import org.agrona.DirectBuffer;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * Cisco ERSPAN mirrored frames carried in GRE. Type I (GRE 0x88BE without a sequence number) has no header of
 * its own; type II (0x88BE with sequence) has 8 bytes, type III (0x22EB) 12 bytes plus an optional 8-byte
 * platform sub-header. The 10-bit session ID becomes the tunnel ID; the mirrored Ethernet frame follows
 * (type III may instead carry a bare IP packet, frame type 2).
 *
 * <pre>
 *  type II                  0                   1                   2                   3
 *                           +-------+-----------------------+-----+---+-+-------------------+
 *                           |  Ver  |        VLAN           | COS |En |T|   Session ID      |
 *                           +-------+-------+---------------+-----+---+-+-------------------+
 *                           |      Reserved |                     Index                     |
 *                           +---------------+-----------------------------------------------+
 *  type III                 | Ver | VLAN | COS | BSO | T | Session ID |          (as type II)
 *                           |                       Timestamp                               |
 *                           |             SGT               |P|  FT  |  Hw ID  |D|Gra|O|    |
 *                           |      platform specific sub-header (8 bytes, if O)             |
 * </pre>
 */
final class ErspanDecoder
{
    static final int TYPE_II_LENGTH = 8;
    static final int TYPE_III_LENGTH = 12;
    static final int PLATFORM_SUBHEADER_LENGTH = 8;
    static final int SESSION_ID_MASK = 0x03FF;
    static final int FRAME_TYPE_ETHERNET = 0;
    static final int FRAME_TYPE_IP = 2;

    private final LayerDispatcher dispatcher;

    ErspanDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    DecodeStatus decodeTypeI(final DecodeContext context, final int offset)
    {
        if (!context.enterTunnel(TunnelType.ERSPAN_I, 0, false))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        return dispatcher.toEthernet(context, offset);
    }

    DecodeStatus decodeTypeII(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, TYPE_II_LENGTH))
        {
            return DecodeStatus.ERSPAN_TRUNCATED;
        }
        final int session = u16(context.buffer, offset + 2) & SESSION_ID_MASK;
        if (!context.enterTunnel(TunnelType.ERSPAN_II, session, true))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        return dispatcher.toEthernet(context, offset + TYPE_II_LENGTH);
    }

    DecodeStatus decodeTypeIII(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, TYPE_III_LENGTH))
        {
            return DecodeStatus.ERSPAN_TRUNCATED;
        }
        final DirectBuffer buffer = context.buffer;
        final int session = u16(buffer, offset + 2) & SESSION_ID_MASK;
        final int frameType = (u8(buffer, offset + 10) >>> 2) & 0x1F;
        final boolean platformSubheader = (u8(buffer, offset + 11) & 1) != 0;
        final int payload = offset + TYPE_III_LENGTH + (platformSubheader ? PLATFORM_SUBHEADER_LENGTH : 0);
        if (!context.has(payload, 0))
        {
            return DecodeStatus.ERSPAN_TRUNCATED;
        }
        if (!context.enterTunnel(TunnelType.ERSPAN_III, session, true))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        return switch (frameType)
        {
            case FRAME_TYPE_ETHERNET -> dispatcher.toEthernet(context, payload);
            case FRAME_TYPE_IP -> dispatcher.ipByVersion(context, payload);
            default -> DecodeStatus.ERSPAN_UNSUPPORTED_FRAME;
        };
    }
}
