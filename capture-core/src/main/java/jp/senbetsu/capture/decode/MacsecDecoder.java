package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * IEEE 802.1AE MACsec (EtherType 0x88E5). An integrity-only frame carries its payload in clear after the
 * SecTAG (with an 8-byte SCI when the SC bit is set), followed by a 16-byte ICV; an encrypted frame (E bit)
 * ends decoding with {@code macsec.encrypted}.
 *
 * <pre>
 *  0      1      2                     6                        14
 *  +------+------+---------------------+------------------------+-----------+---------+
 *  | TCI  | SL   | packet number       | SCI (if SC)            | EtherType | ... ICV |
 *  |V ES SC SCB E C AN                 |                        |           |  (16)   |
 *  +------+------+---------------------+------------------------+-----------+---------+
 * </pre>
 */
final class MacsecDecoder implements LayerDecoder
{
    static final int SECTAG_LENGTH = 6;
    static final int SCI_LENGTH = 8;
    static final int ICV_LENGTH = 16;
    static final int TCI_SC = 0x20;
    static final int TCI_E = 0x08;

    private final LayerDispatcher dispatcher;

    MacsecDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, SECTAG_LENGTH))
        {
            return DecodeStatus.MACSEC_TRUNCATED;
        }
        final int tci = u8(context.buffer, offset);
        if ((tci & TCI_E) != 0)
        {
            return DecodeStatus.MACSEC_ENCRYPTED;
        }
        final int typeOffset = offset + SECTAG_LENGTH + ((tci & TCI_SC) != 0 ? SCI_LENGTH : 0);
        if (!context.has(typeOffset, 2))
        {
            return DecodeStatus.MACSEC_TRUNCATED;
        }
        return dispatcher.etherType(context, u16(context.buffer, typeOffset), typeOffset + 2);
    }
}
