package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.TunnelType;

/** MPLS in UDP (RFC 7510, port 6635): a tunnel whose payload is an MPLS label stack. */
final class MplsInUdpDecoder implements LayerDecoder
{
    private final LayerDispatcher dispatcher;

    MplsInUdpDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, MplsDecoder.ENTRY_LENGTH))
        {
            return DecodeStatus.MPLS_TRUNCATED;
        }
        if (!context.enterTunnel(TunnelType.MPLS_IN_UDP, 0, false))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        return dispatcher.toMpls(context, offset);
    }
}
