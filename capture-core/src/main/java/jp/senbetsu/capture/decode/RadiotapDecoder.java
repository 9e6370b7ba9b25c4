package jp.senbetsu.capture.decode;

import java.nio.ByteOrder;

/**
 * Radiotap (LINKTYPE_IEEE802_11_RADIOTAP 127): radio metadata (not kept) whose little-endian length is at byte
 * 2, then an 802.11 frame.
 *
 * <pre>
 *  0         1         2                   4                  8
 *  +---------+---------+-------------------+------------------+----
 *  | version | pad     | header length     | present flags    | ...
 *  +---------+---------+-------------------+------------------+----
 * </pre>
 */
final class RadiotapDecoder implements LayerDecoder
{
    static final int MIN_LENGTH = 8;

    private final LayerDispatcher dispatcher;

    RadiotapDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, MIN_LENGTH))
        {
            return DecodeStatus.RADIOTAP_TRUNCATED;
        }
        final int length = context.buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (length < MIN_LENGTH || !context.has(offset, length))
        {
            return DecodeStatus.RADIOTAP_TRUNCATED;
        }
        return dispatcher.toWlan(context, offset + length);
    }
}
