package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u32;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * An MPLS label stack (EtherType 0x8847/0x8848, PPP 0x0281, MPLS-in-UDP). Every label goes into the record (top
 * of stack first) and counts as one layer. MPLS does not say what follows the bottom of the stack, so the first
 * nibble decides, as routers and tshark do (the stack is walked in a loop bounded by the captured length): 4 is IPv4, 6 is IPv6, 0 is a pseudowire control word
 * (RFC 4385) followed by an Ethernet frame.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +---------------------------------------+-----+-+---------------+
 *  |               label (20)              | TC  |S|      TTL      |
 *  +---------------------------------------+-----+-+---------------+
 * </pre>
 */
final class MplsDecoder implements LayerDecoder
{
    static final int ENTRY_LENGTH = 4;
    static final int CONTROL_WORD_LENGTH = 4;
    static final long BOTTOM_OF_STACK = 0x100;

    private final LayerDispatcher dispatcher;

    MplsDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        int position = offset;
        while (true)
        {
            if (!context.has(position, ENTRY_LENGTH))
            {
                return DecodeStatus.MPLS_TRUNCATED;
            }
            final long entry = u32(context.buffer, position);
            context.record.addMplsLabel((int)(entry >>> 12));
            position += ENTRY_LENGTH;
            if ((entry & BOTTOM_OF_STACK) != 0)
            {
                break;
            }
        }
        return payload(context, position);
    }

    private DecodeStatus payload(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, 1))
        {
            return DecodeStatus.MPLS_TRUNCATED;
        }
        return switch (u8(context.buffer, offset) >>> 4)
        {
            case 4 -> dispatcher.toIpv4(context, offset);
            case 6 -> dispatcher.toIpv6(context, offset);
            case 0 -> context.has(offset, CONTROL_WORD_LENGTH) ?
                dispatcher.toEthernet(context, offset + CONTROL_WORD_LENGTH) :
                DecodeStatus.MPLS_TRUNCATED;
            default -> DecodeStatus.MPLS_UNKNOWN_PAYLOAD;
        };
    }
}
