package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * IEEE 802.1ah provider backbone bridging (MAC-in-MAC, EtherType 0x88E7): an I-tag followed by the customer's
 * own Ethernet header. The backbone service ID is not kept; decoding continues with the customer frame, and
 * frames nested inside frames are bounded by the layer limit.
 *
 * <pre>
 *  0       1                       4              10             16      18
 *  +-------+-----------------------+--------------+--------------+-------+
 *  | flags | I-SID (24)            | customer DA  | customer SA  | type  |
 *  +-------+-----------------------+--------------+--------------+-------+
 * </pre>
 */
final class PbbDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 18;

    private final LayerDispatcher dispatcher;

    PbbDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.PBB_TRUNCATED;
        }
        return dispatcher.typeOrLength(context, u16(context.buffer, offset + 16), offset + HEADER_LENGTH);
    }
}
