package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * Cisco HDLC framing (LINKTYPE_C_HDLC 104): address, control, then an EtherType.
 *
 * <pre>
 *  0         1         2               4
 *  +---------+---------+---------------+
 *  | address | control | protocol      |
 *  +---------+---------+---------------+
 * </pre>
 */
final class CiscoHdlcDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 4;

    private final LayerDispatcher dispatcher;

    CiscoHdlcDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.HDLC_TRUNCATED;
        }
        return dispatcher.etherType(context, u16(context.buffer, offset + 2), offset + HEADER_LENGTH);
    }
}
