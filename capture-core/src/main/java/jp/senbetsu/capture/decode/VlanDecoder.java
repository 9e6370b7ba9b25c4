package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * IEEE 802.1Q customer tags and 802.1ad service tags (QinQ, also the pre-standard 0x9100/0x9200/0x9300), stacked
 * to any depth: each tag adds its 12-bit VLAN ID to the record, outermost first.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +-----+-+-----------------------+-------------------------------+
 *  | PCP |D|     VLAN ID (12)      |   type or length of payload   |
 *  +-----+-+-----------------------+-------------------------------+
 * </pre>
 */
final class VlanDecoder implements LayerDecoder
{
    static final int TAG_LENGTH = 4;
    static final int VLAN_ID_MASK = 0x0FFF;

    private final LayerDispatcher dispatcher;

    VlanDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, TAG_LENGTH))
        {
            return DecodeStatus.VLAN_TRUNCATED;
        }
        context.record.addVlan(u16(context.buffer, offset) & VLAN_ID_MASK);
        return dispatcher.typeOrLength(context, u16(context.buffer, offset + 2), offset + TAG_LENGTH);
    }
}
