package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.MachineInfoRecord;

import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * ICMP for IPv4 (RFC 792): type and code, kept once the whole 4-byte header (with checksum) is captured. Error messages (destination unreachable, source quench, redirect,
 * time exceeded, parameter problem) quote the header of the packet that caused them; that quote is not decoded,
 * so the record keeps the addresses of the ICMP packet itself and is marked {@link MachineInfoRecord#ICMP_ERROR}.
 *
 * <pre>
 *  0               1               2                               4
 *  +---------------+---------------+-------------------------------+
 *  |     Type      |     Code      |           Checksum            |
 *  +---------------+---------------+-------------------------------+
 * </pre>
 */
final class IcmpDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 4;

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.ICMP_TRUNCATED;
        }
        final int type = u8(context.buffer, offset);
        context.record.icmpType(type).icmpCode(u8(context.buffer, offset + 1)).addPresence(
            isError(type) ? MachineInfoRecord.HAS_ICMP | MachineInfoRecord.ICMP_ERROR : MachineInfoRecord.HAS_ICMP);
        return DecodeStatus.OK;
    }

    static boolean isError(final int type)
    {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }
}
