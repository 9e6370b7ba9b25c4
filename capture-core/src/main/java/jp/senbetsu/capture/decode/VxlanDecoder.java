package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.TunnelType;

import static jp.senbetsu.capture.decode.NetworkOrder.u24;

/**
 * VXLAN (RFC 7348, UDP port 4789): an 8-byte header with the 24-bit VNI (the tunnel ID), then an Ethernet frame.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +-+-+-+-+-+-+-+-+-----------------------------------------------+
 *  |R|R|R|R|I|R|R|R|                 Reserved                      |
 *  +---------------------------------------------------------------+
 *  |      VXLAN Network Identifier (VNI)           |   Reserved    |
 *  +-----------------------------------------------+---------------+
 * </pre>
 */
final class VxlanDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 8;
    static final int VNI_OFFSET = 4;

    private final LayerDispatcher dispatcher;

    VxlanDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.VXLAN_TRUNCATED;
        }
        if (!context.enterTunnel(TunnelType.VXLAN, u24(context.buffer, offset + VNI_OFFSET), true))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        return dispatcher.toEthernet(context, offset + HEADER_LENGTH);
    }
}
