package jp.senbetsu.capture.decode;

/**
 * Cisco FabricPath (EtherType 0x8903 after the outer switch MAC addresses): a 2-byte forwarding tag and TTL,
 * then the original Ethernet frame.
 *
 * <pre>
 *  0               2                                      16
 *  +---------------+---------------------------------------+
 *  | FTag | TTL    | original Ethernet frame (DA SA type)  |
 *  +---------------+---------------------------------------+
 * </pre>
 */
final class FabricPathDecoder implements LayerDecoder
{
    static final int TAG_LENGTH = 2;

    private final LayerDispatcher dispatcher;

    FabricPathDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, TAG_LENGTH))
        {
            return DecodeStatus.FABRICPATH_TRUNCATED;
        }
        return dispatcher.toEthernet(context, offset + TAG_LENGTH);
    }
}
