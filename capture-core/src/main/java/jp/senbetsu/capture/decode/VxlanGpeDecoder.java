package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.TunnelType;

import static jp.senbetsu.capture.decode.NetworkOrder.u24;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * VXLAN Generic Protocol Extension (draft-ietf-nvo3-vxlan-gpe, UDP port 4790): like VXLAN, with a next-protocol
 * field, so the payload may be IPv4, IPv6, Ethernet, NSH or MPLS.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +-+-+-+-+-+-+-+-+-------------------------------+---------------+
 *  |R|R|Ver|I|P|B|O|          Reserved             | Next Protocol |
 *  +---------------------------------------------------------------+
 *  |      VXLAN Network Identifier (VNI)           |   Reserved    |
 *  +-----------------------------------------------+---------------+
 * </pre>
 */
final class VxlanGpeDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 8;
    static final int NEXT_IPV4 = 1;
    static final int NEXT_IPV6 = 2;
    static final int NEXT_ETHERNET = 3;
    static final int NEXT_NSH = 4;
    static final int NEXT_MPLS = 5;

    private final LayerDispatcher dispatcher;

    VxlanGpeDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.VXLAN_GPE_TRUNCATED;
        }
        if (!context.enterTunnel(TunnelType.VXLAN_GPE, u24(context.buffer, offset + 4), true))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        return nextProtocol(dispatcher, context, u8(context.buffer, offset + 3), offset + HEADER_LENGTH);
    }

    /** The next-protocol code space shared by VXLAN-GPE and NSH. */
    static DecodeStatus nextProtocol(
        final LayerDispatcher dispatcher, final DecodeContext context, final int nextProtocol, final int offset)
    {
        return switch (nextProtocol)
        {
            case NEXT_IPV4 -> dispatcher.toIpv4(context, offset);
            case NEXT_IPV6 -> dispatcher.toIpv6(context, offset);
            case NEXT_ETHERNET -> dispatcher.toEthernet(context, offset);
            case NEXT_NSH -> dispatcher.toNsh(context, offset);
            case NEXT_MPLS -> dispatcher.toMpls(context, offset);
            default -> DecodeStatus.NEXT_PROTOCOL_UNSUPPORTED;
        };
    }
}
