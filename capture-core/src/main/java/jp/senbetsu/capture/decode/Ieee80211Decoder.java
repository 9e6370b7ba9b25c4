package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * IEEE 802.11 data frames (LINKTYPE_IEEE802_11 105, also inside PPI and radiotap): the MAC header, whose length
 * follows from the frame-control field (a fourth address between access points, QoS control, HT control), then
 * an LLC/SNAP header. Management and control frames carry no IP; protected (encrypted) frames cannot be read.
 *
 * <pre>
 *  0               2               4          10         16         22        24        30       32
 *  +---------------+---------------+----------+----------+----------+---------+---------+--------+-----+
 *  | frame control | duration      | address1 | address2 | address3 | seq ctl | addr4   | QoS    | HT  |
 *  | (subtype type | ver, flags)   |          |          |          |         | (ToDS & | (QoS   | (+O)|
 *  |               |               |          |          |          |         | FromDS) | data)  |     |
 *  +---------------+---------------+----------+----------+----------+---------+---------+--------+-----+
 * </pre>
 */
final class Ieee80211Decoder implements LayerDecoder
{
    static final int BASE_LENGTH = 24;
    static final int ADDRESS4_LENGTH = 6;
    static final int QOS_LENGTH = 2;
    static final int HT_LENGTH = 4;
    static final int TYPE_DATA = 2;
    static final int FLAG_TO_DS = 0x01;
    static final int FLAG_FROM_DS = 0x02;
    static final int FLAG_PROTECTED = 0x40;
    static final int FLAG_ORDER = 0x80;
    static final int SUBTYPE_QOS = 0x8;
    static final int SUBTYPE_NO_DATA = 0x4;

    private final LayerDispatcher dispatcher;

    Ieee80211Decoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, 2))
        {
            return DecodeStatus.WLAN_TRUNCATED;
        }
        final int control = u8(context.buffer, offset);
        final int flags = u8(context.buffer, offset + 1);
        final int subtype = control >>> 4;
        if (((control >>> 2) & 3) != TYPE_DATA || (subtype & SUBTYPE_NO_DATA) != 0)
        {
            return DecodeStatus.WLAN_NO_DATA;
        }
        if ((flags & FLAG_PROTECTED) != 0)
        {
            return DecodeStatus.WLAN_PROTECTED;
        }
        int length = BASE_LENGTH;
        if ((flags & (FLAG_TO_DS | FLAG_FROM_DS)) == (FLAG_TO_DS | FLAG_FROM_DS))
        {
            length += ADDRESS4_LENGTH;
        }
        if ((subtype & SUBTYPE_QOS) != 0)
        {
            length += QOS_LENGTH;
            if ((flags & FLAG_ORDER) != 0)
            {
                length += HT_LENGTH;
            }
        }
        if (!context.has(offset, length))
        {
            return DecodeStatus.WLAN_TRUNCATED;
        }
        return dispatcher.toLlcSnap(context, offset + length);
    }
}
