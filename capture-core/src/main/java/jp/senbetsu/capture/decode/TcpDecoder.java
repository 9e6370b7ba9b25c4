package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.DirectBuffer;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * TCP (RFC 9293): ports, the nine flags (FIN..CWR and NS/AE) and the header length. Ports are kept as soon as
 * their four bytes are captured, so a snaplen that cuts the header still yields them (and the status says
 * {@code tcp.truncated}). Options and payload are never read.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |
 *  +-------------------------------+-------------------------------+
 *  |                        Sequence Number                        |
 *  +---------------------------------------------------------------+
 *  |                     Acknowledgment Number                     |
 *  +-------+-----+-+---------------+-------------------------------+
 *  | Data  | Rsv |N|C E U A P R S F|            Window             |
 *  |Offset |     |S|W C R C S S Y I|                               |
 *  +-------+-----+-+---------------+-------------------------------+
 * </pre>
 */
final class TcpDecoder implements LayerDecoder
{
    static final int PORTS_LENGTH = 4;
    static final int DATA_OFFSET_OFFSET = 12;
    static final int FLAGS_OFFSET = 13;
    static final int MIN_HEADER_LENGTH = 20;

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, PORTS_LENGTH))
        {
            return DecodeStatus.TCP_TRUNCATED;
        }
        final DirectBuffer buffer = context.buffer;
        final MachineInfoRecord record = context.record;
        record.srcPort(u16(buffer, offset)).dstPort(u16(buffer, offset + 2)).addPresence(MachineInfoRecord.HAS_PORTS);
        if (!context.has(offset, FLAGS_OFFSET + 1))
        {
            return DecodeStatus.TCP_TRUNCATED;
        }
        final int offsetByte = u8(buffer, offset + DATA_OFFSET_OFFSET);
        final int headerLength = (offsetByte >>> 4) << 2;
        if (headerLength < MIN_HEADER_LENGTH)
        {
            return DecodeStatus.TCP_BAD_DATA_OFFSET;
        }
        record.tcpFlags(((offsetByte & 1) << 8) | u8(buffer, offset + FLAGS_OFFSET))
            .tcpHeaderLength(headerLength)
            .addPresence(MachineInfoRecord.HAS_TCP);
        return context.has(offset, headerLength) ? DecodeStatus.OK : DecodeStatus.TCP_TRUNCATED;
    }
}
