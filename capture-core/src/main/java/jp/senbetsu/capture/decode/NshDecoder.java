package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * Network Service Header (RFC 8300, EtherType 0x894F or VXLAN-GPE next protocol 4): service-chaining metadata
 * (not kept) of the stated length in 4-byte words, then the original packet named by the next-protocol field.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +---+-+-+-----------+-----------+-------+-------+---------------+
 *  |Ver|O|U|    TTL    |  Length   |U|U|U|U|MD Type| Next Protocol |
 *  +---+-+-+-----------+-----------+-------+-------+---------------+
 *  |          Service Path Identifier (SPI)        | Service Index |
 *  +-----------------------------------------------+---------------+
 *  |                  Context headers ...                          |
 * </pre>
 */
final class NshDecoder implements LayerDecoder
{
    static final int BASE_LENGTH = 8;
    static final int LENGTH_MASK = 0x3F;

    private final LayerDispatcher dispatcher;

    NshDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, BASE_LENGTH))
        {
            return DecodeStatus.NSH_TRUNCATED;
        }
        final int length = (u16(context.buffer, offset) & LENGTH_MASK) << 2;
        if (length < BASE_LENGTH || !context.has(offset, length))
        {
            return DecodeStatus.NSH_TRUNCATED;
        }
        return VxlanGpeDecoder.nextProtocol(dispatcher, context, u8(context.buffer, offset + 3), offset + length);
    }
}
