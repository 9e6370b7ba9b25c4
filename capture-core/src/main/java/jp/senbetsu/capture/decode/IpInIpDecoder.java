package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.TunnelType;

/**
 * IP directly inside IP: IPv4-in-IPv4 (protocol 4, RFC 2003), 6in4 (protocol 41, RFC 4213), 4in6 and 6in6
 * (RFC 2473). There is no tunnel header; the tunnel type follows from the outer and inner versions.
 */
final class IpInIpDecoder
{
    private final LayerDispatcher dispatcher;

    IpInIpDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    /**
     * @param innerVersion 4 for protocol 4, 6 for protocol 41.
     */
    DecodeStatus decodeInner(final DecodeContext context, final int innerVersion, final int offset)
    {
        final boolean outerV6 = context.record.ipVersion() == 6;
        final TunnelType type = innerVersion == 4 ?
            (outerV6 ? TunnelType.FOUR_IN_SIX : TunnelType.IP_IN_IP) :
            (outerV6 ? TunnelType.SIX_IN_SIX : TunnelType.SIX_IN_FOUR);
        if (!context.enterTunnel(type, 0, false))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        return innerVersion == 4 ? dispatcher.toIpv4(context, offset) : dispatcher.toIpv6(context, offset);
    }
}
