package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.TunnelType;
import org.agrona.DirectBuffer;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u24;
import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * Geneve (RFC 8926, UDP port 6081): an 8-byte header plus options (skipped by their total length), the 24-bit
 * VNI as tunnel ID, and an EtherType saying what follows (usually 0x6558, an Ethernet frame).
 *
 * <pre>
 *  0                   1                   2                   3
 *  +---+-----------+-+-+-----------+-------------------------------+
 *  |Ver|  Opt Len  |O|C|   Rsvd.   |          Protocol Type        |
 *  +---+-----------+-+-+-----------+---------------+---------------+
 *  |        Virtual Network Identifier (VNI)       |    Reserved   |
 *  +-----------------------------------------------+---------------+
 *  |                 Variable-Length Options (Opt Len x 4)         |
 * </pre>
 */
final class GeneveDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 8;

    private final LayerDispatcher dispatcher;

    GeneveDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.GENEVE_TRUNCATED;
        }
        final DirectBuffer buffer = context.buffer;
        final int first = u8(buffer, offset);
        if (first >>> 6 != 0)
        {
            return DecodeStatus.GENEVE_BAD_VERSION;
        }
        final int payload = offset + HEADER_LENGTH + ((first & 0x3F) << 2);
        if (!context.has(payload, 0))
        {
            return DecodeStatus.GENEVE_TRUNCATED;
        }
        if (!context.enterTunnel(TunnelType.GENEVE, u24(buffer, offset + 4), true))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        return dispatcher.etherType(context, u16(buffer, offset + 2), payload);
    }
}
