package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u24;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * IEEE 802.2 LLC after an 802.3 length field. Only SNAP with the zero OUI (RFC 1042, an EtherType in disguise)
 * carries IP; other LLC payloads (spanning tree, NetBIOS, IPX...) are counted as unsupported.
 *
 * <pre>
 *  0      1      2      3              6        8
 *  +------+------+------+--------------+--------+
 *  | DSAP | SSAP | ctrl | OUI (SNAP)   | type   |
 *  | 0xAA | 0xAA | 0x03 | 00-00-00     |        |
 *  +------+------+------+--------------+--------+
 * </pre>
 */
final class LlcSnapDecoder implements LayerDecoder
{
    static final int LLC_LENGTH = 3;
    static final int SNAP_LENGTH = 8;
    static final int SAP_SNAP = 0xAA;
    static final int CONTROL_UI = 0x03;

    private final LayerDispatcher dispatcher;

    LlcSnapDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, LLC_LENGTH))
        {
            return DecodeStatus.LLC_TRUNCATED;
        }
        final var buffer = context.buffer;
        if (u8(buffer, offset) != SAP_SNAP || u8(buffer, offset + 1) != SAP_SNAP || u8(buffer, offset + 2) != CONTROL_UI)
        {
            return DecodeStatus.LLC_UNSUPPORTED;
        }
        if (!context.has(offset, SNAP_LENGTH))
        {
            return DecodeStatus.LLC_TRUNCATED;
        }
        if (u24(buffer, offset + 3) != 0)
        {
            return DecodeStatus.LLC_UNSUPPORTED;
        }
        return dispatcher.etherType(context, u16(buffer, offset + 6), offset + SNAP_LENGTH);
    }
}
