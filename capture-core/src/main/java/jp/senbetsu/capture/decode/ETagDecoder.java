package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * IEEE 802.1BR E-tag (EtherType 0x893F), a 6-byte port-extender tag between the MACs and the real type.
 *
 * <pre>
 *  0                                               6       8
 *  +-----------------------------------------------+-------+
 *  | PCP DEI ingress E-CID | GRP E-CID | ext bytes | type  |
 *  +-----------------------------------------------+-------+
 * </pre>
 */
final class ETagDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 8;

    private final LayerDispatcher dispatcher;

    ETagDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.ETAG_TRUNCATED;
        }
        return dispatcher.typeOrLength(context, u16(context.buffer, offset + 6), offset + HEADER_LENGTH);
    }
}
