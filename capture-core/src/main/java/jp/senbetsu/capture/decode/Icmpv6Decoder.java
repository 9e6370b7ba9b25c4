package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.MachineInfoRecord;

import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * ICMPv6 (RFC 4443): type and code, kept once the whole 4-byte header is captured. Types below 128 are errors that quote the offending packet; the quote is not
 * decoded, the record keeps the outer addresses and is marked {@link MachineInfoRecord#ICMP_ERROR}.
 *
 * <pre>
 *  0               1               2                               4
 *  +---------------+---------------+-------------------------------+
 *  |     Type      |     Code      |           Checksum            |
 *  +---------------+---------------+-------------------------------+
 * </pre>
 */
final class Icmpv6Decoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 4;
    static final int FIRST_INFORMATIONAL_TYPE = 128;

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.ICMPV6_TRUNCATED;
        }
        final int type = u8(context.buffer, offset);
        context.record.icmpType(type).icmpCode(u8(context.buffer, offset + 1)).addPresence(
            type < FIRST_INFORMATIONAL_TYPE ?
                MachineInfoRecord.HAS_ICMP | MachineInfoRecord.ICMP_ERROR : MachineInfoRecord.HAS_ICMP);
        return DecodeStatus.OK;
    }
}
