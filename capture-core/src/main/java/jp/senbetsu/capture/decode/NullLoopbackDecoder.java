package jp.senbetsu.capture.decode;

import java.nio.ByteOrder;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * BSD loopback encapsulation (LINKTYPE_NULL 0, in the capturing host's byte order, which the file does not
 * record; LINKTYPE_LOOP 108, always network order): a 4-byte address family, then the IP packet. Families are
 * small numbers, so the byte order is recognised by which half is zero. IPv6 has a different family number on
 * each BSD (24, 28, 30) and 10 on Linux; all are accepted.
 */
final class NullLoopbackDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 4;
    static final int AF_INET = 2;
    static final int AF_INET6_LINUX = 10;
    static final int AF_INET6_BSD = 24;
    static final int AF_INET6_FREEBSD = 28;
    static final int AF_INET6_DARWIN = 30;

    private final LayerDispatcher dispatcher;

    NullLoopbackDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.NULL_TRUNCATED;
        }
        // host order unknown: a family below 65536 has its upper half zero in whichever order it was written
        final int family = u16(context.buffer, offset) == 0 ?
            context.buffer.getInt(offset, ByteOrder.BIG_ENDIAN) :
            context.buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
        return family(context, family, offset + HEADER_LENGTH);
    }

    /** LINKTYPE_LOOP: the family is in network order. */
    DecodeStatus decodeNetworkOrder(final DecodeContext context, final int offset)
    {
        if (!context.enterLayer())
        {
            return DecodeStatus.TOO_MANY_LAYERS;
        }
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.NULL_TRUNCATED;
        }
        return family(context, context.buffer.getInt(offset, ByteOrder.BIG_ENDIAN), offset + HEADER_LENGTH);
    }

    private DecodeStatus family(final DecodeContext context, final int family, final int offset)
    {
        return switch (family)
        {
            case AF_INET -> dispatcher.toIpv4(context, offset);
            case AF_INET6_LINUX, AF_INET6_BSD, AF_INET6_FREEBSD, AF_INET6_DARWIN ->
                dispatcher.toIpv6(context, offset);
            default -> DecodeStatus.NULL_UNSUPPORTED_FAMILY;
        };
    }
}
