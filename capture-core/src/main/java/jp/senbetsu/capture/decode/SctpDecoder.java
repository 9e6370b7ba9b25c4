package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.MachineInfoRecord;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * SCTP (RFC 9260) common header: the ports, kept only when the whole 12-byte common header was captured (a
 * shorter one is not an SCTP packet, and tshark agrees). Chunks are not read.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |
 *  +-------------------------------+-------------------------------+
 *  |                      Verification Tag                         |
 *  +---------------------------------------------------------------+
 *  |                           Checksum                            |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class SctpDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 12;

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.SCTP_TRUNCATED;
        }
        context.record.srcPort(u16(context.buffer, offset))
            .dstPort(u16(context.buffer, offset + 2))
            .addPresence(MachineInfoRecord.HAS_PORTS);
        return DecodeStatus.OK;
    }
}
