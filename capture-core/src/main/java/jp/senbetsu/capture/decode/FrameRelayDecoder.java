package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * Frame Relay (LINKTYPE_FRELAY 107): a Q.922 address of 2 to 4 bytes (the last has its EA bit set), then either
 * RFC 2427 multiprotocol encapsulation (control 0x03, an NLPID: 0xCC IPv4, 0x8E IPv6, 0x80 SNAP) or Cisco's
 * encapsulation (a bare EtherType).
 *
 * <pre>
 *  +-----------------+------+-------+--------------+      +-----------------+-----------+
 *  | address (2-4)   | 0x03 | NLPID | (SNAP: 5)    |  or  | address (2-4)   | EtherType |
 *  +-----------------+------+-------+--------------+      +-----------------+-----------+
 * </pre>
 */
final class FrameRelayDecoder implements LayerDecoder
{
    static final int MAX_ADDRESS_LENGTH = 4;
    static final int CONTROL_UI = 0x03;
    static final int NLPID_PADDING = 0x00;
    static final int NLPID_IPV4 = 0xCC;
    static final int NLPID_IPV6 = 0x8E;
    static final int NLPID_SNAP = 0x80;

    private final LayerDispatcher dispatcher;

    FrameRelayDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        int position = offset;
        while (true)
        {
            if (!context.has(position, 1))
            {
                return DecodeStatus.FRELAY_TRUNCATED;
            }
            final boolean last = (u8(context.buffer, position) & 1) != 0;
            position++;
            if (last)
            {
                break;
            }
            if (position - offset == MAX_ADDRESS_LENGTH)
            {
                return DecodeStatus.FRELAY_UNSUPPORTED;
            }
        }
        if (position - offset < 2 || !context.has(position, 2))
        {
            return position - offset < 2 ? DecodeStatus.FRELAY_UNSUPPORTED : DecodeStatus.FRELAY_TRUNCATED;
        }
        if (u8(context.buffer, position) != CONTROL_UI)
        {
            return dispatcher.etherType(context, u16(context.buffer, position), position + 2);
        }
        position++;
        if (u8(context.buffer, position) == NLPID_PADDING)
        {
            position++;
        }
        if (!context.has(position, 1))
        {
            return DecodeStatus.FRELAY_TRUNCATED;
        }
        return switch (u8(context.buffer, position))
        {
            case NLPID_IPV4 -> dispatcher.toIpv4(context, position + 1);
            case NLPID_IPV6 -> dispatcher.toIpv6(context, position + 1);
            case NLPID_SNAP -> context.has(position, 6) ?
                dispatcher.etherType(context, u16(context.buffer, position + 4), position + 6) :
                DecodeStatus.FRELAY_TRUNCATED;
            default -> DecodeStatus.FRELAY_UNSUPPORTED;
        };
    }
}
