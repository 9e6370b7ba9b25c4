package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * IP over InfiniBand (LINKTYPE_IPOIB 242, RFC 4391): the capture prefixes a 40-byte link-layer address block
 * (not kept) to the 4-byte IPoIB encapsulation header, whose first half is an EtherType.
 *
 * <pre>
 *  0                                       40              42              44
 *  +---------------------------------------+---------------+---------------+
 *  | link-layer addresses (GIDs, QPN)      |  EtherType    |  reserved     |
 *  +---------------------------------------+---------------+---------------+
 * </pre>
 */
final class IpoibDecoder implements LayerDecoder
{
    static final int TYPE_OFFSET = 40;
    static final int HEADER_LENGTH = 44;

    private final LayerDispatcher dispatcher;

    IpoibDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.IPOIB_TRUNCATED;
        }
        return dispatcher.etherType(context, u16(context.buffer, offset + TYPE_OFFSET), offset + HEADER_LENGTH);
    }
}
