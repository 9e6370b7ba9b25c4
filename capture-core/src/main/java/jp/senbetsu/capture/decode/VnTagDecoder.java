package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * Cisco VN-Tag (EtherType 0x8926), a 4-byte interface-virtualisation tag between the MACs and the real type.
 *
 * <pre>
 *  0                               4       6
 *  +-------------------------------+-------+
 *  | D P dst vif | L R ver src vif | type  |
 *  +-------------------------------+-------+
 * </pre>
 */
final class VnTagDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 6;

    private final LayerDispatcher dispatcher;

    VnTagDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.VNTAG_TRUNCATED;
        }
        return dispatcher.typeOrLength(context, u16(context.buffer, offset + 4), offset + HEADER_LENGTH);
    }
}
