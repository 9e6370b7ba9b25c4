package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.TunnelType;
import org.agrona.DirectBuffer;

import static jp.senbetsu.capture.decode.NetworkOrder.u32;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * GTP-U version 1 (3GPP TS 29.281, UDP port 2152): the mobile user-plane tunnel. The TEID is the tunnel ID.
 * Only G-PDU messages (type 255) carry a user IP packet; when any of the E, S, PN flags is set the optional
 * 4-byte field follows, and extension headers are walked by their length (in 4-octet units) to the payload.
 * Signalling messages (echo, error indication, end marker) are decoded as UDP only.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +-----+-+-+-+-+-+---------------+-------------------------------+
 *  | Ver |P|R|E|S|N| Message Type  |            Length             |
 *  +-----+-+-+-+-+-+---------------+-------------------------------+
 *  |               Tunnel Endpoint Identifier (TEID)               |
 *  +-------------------------------+---------------+---------------+
 *  |  Sequence Number (if E|S|PN)  | N-PDU number  | next ext type |
 *  +-------------------------------+---------------+---------------+
 * </pre>
 */
final class GtpUDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 8;
    static final int OPTIONAL_LENGTH = 4;
    static final int FLAGS_OPTIONAL = 0x07;
    static final int FLAG_EXTENSION = 0x04;
    static final int MESSAGE_G_PDU = 0xFF;

    private final LayerDispatcher dispatcher;

    GtpUDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.GTPU_TRUNCATED;
        }
        final DirectBuffer buffer = context.buffer;
        final int flags = u8(buffer, offset);
        if (flags >>> 5 != 1)
        {
            return DecodeStatus.GTPU_BAD_VERSION;
        }
        if (u8(buffer, offset + 1) != MESSAGE_G_PDU)
        {
            return DecodeStatus.OK;
        }
        final long teid = u32(buffer, offset + 4);
        int position = offset + HEADER_LENGTH;
        if ((flags & FLAGS_OPTIONAL) != 0)
        {
            if (!context.has(position, OPTIONAL_LENGTH))
            {
                return DecodeStatus.GTPU_TRUNCATED;
            }
            int nextExtension = (flags & FLAG_EXTENSION) != 0 ? u8(buffer, position + 3) : 0;
            position += OPTIONAL_LENGTH;
            while (nextExtension != 0)
            {
                if (!context.has(position, 1))
                {
                    return DecodeStatus.GTPU_TRUNCATED;
                }
                final int length = u8(buffer, position) << 2;
                if (length == 0 || !context.has(position, length))
                {
                    return DecodeStatus.GTPU_TRUNCATED;
                }
                nextExtension = u8(buffer, position + length - 1);
                position += length;
            }
        }
        if (!context.has(position, 1))
        {
            return DecodeStatus.GTPU_TRUNCATED;
        }
        if (!context.enterTunnel(TunnelType.GTP_U, teid, true))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        return dispatcher.ipByVersion(context, position);
    }
}
