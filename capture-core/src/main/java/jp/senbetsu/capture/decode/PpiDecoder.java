package jp.senbetsu.capture.decode;

import java.nio.ByteOrder;

import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * Per-Packet Information header (LINKTYPE_PPI 192), little-endian: radio metadata (not kept) of the stated
 * length, then a frame of the link type it names, usually 802.11.
 *
 * <pre>
 *  0         1         2                   4                                   8
 *  +---------+---------+-------------------+-----------------------------------+
 *  | version | flags   | header length     | link type of the frame (DLT)      |
 *  +---------+---------+-------------------+-----------------------------------+
 * </pre>
 */
final class PpiDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 8;

    private final LayerDispatcher dispatcher;

    PpiDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH) || u8(context.buffer, offset) != 0)
        {
            return DecodeStatus.PPI_TRUNCATED;
        }
        final int length = context.buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int linkType = context.buffer.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN);
        if (length < HEADER_LENGTH || !context.has(offset, length))
        {
            return DecodeStatus.PPI_TRUNCATED;
        }
        // the nested frame must not be PPI again: that would let a crafted frame recurse on its own
        return linkType == LayerDispatcher.LINKTYPE_PPI ? DecodeStatus.LINKTYPE_UNSUPPORTED :
            dispatcher.link(context, linkType, offset + length);
    }
}
