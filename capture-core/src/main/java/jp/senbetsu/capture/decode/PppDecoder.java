package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * Point-to-point protocol framing (LINKTYPE_PPP 9, PPP_HDLC 50, PPTP's GRE payload): optional HDLC address and
 * control bytes (0xFF 0x03), then a protocol field of one byte (when compressed, odd first byte) or two.
 *
 * <pre>
 *  0      1      2                 4
 *  +------+------+-----------------+
 *  | 0xFF | 0x03 | protocol (1-2)  |   address/control optional
 *  +------+------+-----------------+
 * </pre>
 */
final class PppDecoder implements LayerDecoder
{
    static final int PROTOCOL_LENGTH = 2;
    static final int ADDRESS_ALL_STATIONS = 0xFF;
    static final int CONTROL_UI = 0x03;
    static final int PPP_IPV4 = 0x0021;
    static final int PPP_IPV6 = 0x0057;
    static final int PPP_MPLS_UNICAST = 0x0281;
    static final int PPP_MPLS_MULTICAST = 0x0283;

    private final LayerDispatcher dispatcher;

    PppDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        int position = offset;
        if (!context.has(position, 1))
        {
            return DecodeStatus.PPP_TRUNCATED;
        }
        if (u8(context.buffer, position) == ADDRESS_ALL_STATIONS)
        {
            if (!context.has(position, 2))
            {
                return DecodeStatus.PPP_TRUNCATED;
            }
            if (u8(context.buffer, position + 1) == CONTROL_UI)
            {
                position += 2;
            }
        }
        return protocolField(context, position);
    }

    /** A PPP protocol field at {@code position}, one byte when compressed (odd first byte), else two. */
    DecodeStatus protocolField(final DecodeContext context, final int position)
    {
        if (!context.has(position, 1))
        {
            return DecodeStatus.PPP_TRUNCATED;
        }
        final int first = u8(context.buffer, position);
        if ((first & 1) == 1)
        {
            return protocol(context, first, position + 1);
        }
        if (!context.has(position, PROTOCOL_LENGTH))
        {
            return DecodeStatus.PPP_TRUNCATED;
        }
        return protocol(context, u16(context.buffer, position), position + PROTOCOL_LENGTH);
    }

    /** The payload of a PPP frame whose protocol field is {@code protocol}. */
    DecodeStatus protocol(final DecodeContext context, final int protocol, final int offset)
    {
        return switch (protocol)
        {
            case PPP_IPV4 -> dispatcher.toIpv4(context, offset);
            case PPP_IPV6 -> dispatcher.toIpv6(context, offset);
            case PPP_MPLS_UNICAST, PPP_MPLS_MULTICAST -> dispatcher.toMpls(context, offset);
            default -> DecodeStatus.PPP_UNSUPPORTED_PROTOCOL;
        };
    }
}
