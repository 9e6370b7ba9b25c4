package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.TunnelType;
import org.agrona.DirectBuffer;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * Teredo (RFC 4380, UDP port 3544): IPv6 in UDP over IPv4, optionally preceded by an authentication indicator
 * and/or an origin indication. Port 3544 also carries Teredo's own qualification traffic, so the payload is
 * only taken as a tunnel when an IPv6 version nibble is where the packet would be.
 *
 * <pre>
 *  authentication (0x0001): | 0x0001 | id len | auth len | client id | auth value | nonce (8) | conf (1) |
 *  origin indication (0x0000): | 0x0000 | obfuscated port (2) | obfuscated IPv4 address (4) |
 * </pre>
 */
final class TeredoDecoder
{
    static final int AUTHENTICATION = 0x0001;
    static final int ORIGIN_INDICATION = 0x0000;
    static final int AUTHENTICATION_FIXED_LENGTH = 13;
    static final int ORIGIN_INDICATION_LENGTH = 8;

    private final LayerDispatcher dispatcher;

    TeredoDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    DecodeStatus decodeIfTeredo(final DecodeContext context, final int offset)
    {
        final DirectBuffer buffer = context.buffer;
        int position = offset;
        if (context.has(position, 4) && u16(buffer, position) == AUTHENTICATION)
        {
            final int length = AUTHENTICATION_FIXED_LENGTH + u8(buffer, position + 2) + u8(buffer, position + 3);
            if (!context.has(position, length))
            {
                return DecodeStatus.TEREDO_TRUNCATED;
            }
            position += length;
        }
        if (context.has(position, 2) && u16(buffer, position) == ORIGIN_INDICATION)
        {
            position += ORIGIN_INDICATION_LENGTH;
        }
        if (!context.has(position, Ipv6Decoder.HEADER_LENGTH) || u8(buffer, position) >>> 4 != 6)
        {
            return DecodeStatus.OK;
        }
        if (!context.enterTunnel(TunnelType.TEREDO, 0, false))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        return dispatcher.toIpv6(context, position);
    }
}
