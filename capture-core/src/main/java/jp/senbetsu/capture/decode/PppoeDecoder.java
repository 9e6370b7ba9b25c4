package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * PPPoE session stage (RFC 2516, EtherType 0x8864): the session header, then a PPP protocol field. The length
 * field bounds the PPP payload, which strips Ethernet padding. The PPP protocol field may be compressed to one
 * byte (RFC 1661 PFC).
 *
 * <pre>
 *  0       1       2               4               6               8
 *  +---+---+-------+---------------+---------------+---------------+
 *  |ver|typ| code  |  session ID   |    length     | PPP protocol  |
 *  +---+---+-------+---------------+---------------+---------------+
 * </pre>
 */
final class PppoeDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 6;
    static final int VERSION_TYPE = 0x11;

    private final LayerDispatcher dispatcher;

    PppoeDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.PPPOE_TRUNCATED;
        }
        if ((context.buffer.getByte(offset) & 0xFF) != VERSION_TYPE)
        {
            return DecodeStatus.PPPOE_BAD_VERSION;
        }
        context.trimTo(offset + HEADER_LENGTH + u16(context.buffer, offset + 4));
        return dispatcher.ppp.protocolField(context, offset + HEADER_LENGTH);
    }
}
