package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113), what "tcpdump -i any" writes. The protocol field is an
 * EtherType, or 4 for an 802.2 LLC frame.
 *
 * <pre>
 *  0               2               4               6                       14              16
 *  +---------------+---------------+---------------+-----------------------+---------------+
 *  | packet type   | ARPHRD type   | address len   | link-layer address (8)| protocol      |
 *  +---------------+---------------+---------------+-----------------------+---------------+
 * </pre>
 */
final class LinuxSllDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 16;
    static final int PROTOCOL_OFFSET = 14;
    static final int PROTOCOL_LLC = 4;

    private final LayerDispatcher dispatcher;

    LinuxSllDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.SLL_TRUNCATED;
        }
        return cookedProtocol(dispatcher, context, u16(context.buffer, offset + PROTOCOL_OFFSET), offset + HEADER_LENGTH);
    }

    /** Shared by SLL and SLL2: the protocol field is an EtherType, except small values naming 802.2/802.3. */
    static DecodeStatus cookedProtocol(
        final LayerDispatcher dispatcher, final DecodeContext context, final int protocol, final int offset)
    {
        if (protocol == PROTOCOL_LLC)
        {
            return dispatcher.toLlcSnap(context, offset);
        }
        return dispatcher.etherType(context, protocol, offset);
    }
}
