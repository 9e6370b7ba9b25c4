package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.DirectBuffer;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * UDP (RFC 768): ports, then the payload is handed on only when a well-known tunnel port says it is a header
 * (VXLAN, Geneve, GTP-U, MPLS-in-UDP, Teredo). The length field bounds that payload.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |
 *  +-------------------------------+-------------------------------+
 *  |            Length             |           Checksum            |
 *  +-------------------------------+-------------------------------+
 * </pre>
 */
final class UdpDecoder implements LayerDecoder
{
    static final int PORTS_LENGTH = 4;
    static final int HEADER_LENGTH = 8;

    private final LayerDispatcher dispatcher;

    UdpDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, PORTS_LENGTH))
        {
            return DecodeStatus.UDP_TRUNCATED;
        }
        final DirectBuffer buffer = context.buffer;
        final int srcPort = u16(buffer, offset);
        final int dstPort = u16(buffer, offset + 2);
        context.record.srcPort(srcPort).dstPort(dstPort).addPresence(MachineInfoRecord.HAS_PORTS);
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.UDP_TRUNCATED;
        }
        final int length = u16(buffer, offset + 4);
        if (length != 0 && length < HEADER_LENGTH)
        {
            return DecodeStatus.UDP_BAD_LENGTH;
        }
        if (length != 0)
        {
            context.trimTo(offset + length);
        }
        return dispatcher.udpPayload(context, srcPort, dstPort, offset + HEADER_LENGTH);
    }
}
