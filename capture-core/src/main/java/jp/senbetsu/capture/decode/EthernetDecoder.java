package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * Ethernet II and IEEE 802.3 frames (LINKTYPE_ETHERNET, and the inner frame of VXLAN, Geneve, GRE TEB, ERSPAN
 * and MPLS pseudowires). The MAC addresses are not kept: they identify equipment, not communications.
 *
 * <pre>
 *  0                   6                  12        14
 *  +-------------------+-------------------+---------+
 *  | destination MAC   | source MAC        | type or |
 *  |                   |                   | length  |
 *  +-------------------+-------------------+---------+
 * </pre>
 */
final class EthernetDecoder implements LayerDecoder
{
    static final int TYPE_OFFSET = 12;
    static final int HEADER_LENGTH = 14;

    private final LayerDispatcher dispatcher;

    EthernetDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.ETH_TRUNCATED;
        }
        return dispatcher.typeOrLength(context, u16(context.buffer, offset + TYPE_OFFSET), offset + HEADER_LENGTH);
    }
}
