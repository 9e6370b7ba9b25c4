package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.TunnelType;
import org.agrona.DirectBuffer;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;
import static jp.senbetsu.capture.decode.NetworkOrder.u32;

/**
 * GRE (RFC 2784/2890) and PPTP's enhanced GRE (RFC 2637, version 1). The optional checksum, key and sequence
 * fields are skipped by their flags; the key (for version 1 the call ID) becomes the tunnel ID. The protocol
 * type is an EtherType: transparent Ethernet bridging (0x6558), IP, MPLS, PPP (0x880B) or ERSPAN (0x88BE,
 * 0x22EB), which the {@link ErspanDecoder} handles as its own tunnel type.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +-+-+-+-+-+---------+-+---+-----+-------------------------------+
 *  |C|R|K|S|s| recur   |A|flg| ver |        Protocol Type          |
 *  +-+-+-+-+-+---------+-+---+-----+-------------------------------+
 *  |      Checksum (if C)          |        Reserved (if C)        |
 *  +-------------------------------+-------------------------------+
 *  |                         Key (if K)                            |
 *  +---------------------------------------------------------------+
 *  |                   Sequence Number (if S)                      |
 *  +---------------------------------------------------------------+
 *  |                  Acknowledgment Number (if A, version 1)      |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class GreDecoder implements LayerDecoder
{
    static final int BASE_LENGTH = 4;
    static final int FLAG_CHECKSUM = 0x8000;
    static final int FLAG_ROUTING = 0x4000;
    static final int FLAG_KEY = 0x2000;
    static final int FLAG_SEQUENCE = 0x1000;
    static final int FLAG_ACK = 0x0080;
    static final int VERSION_MASK = 0x0007;
    static final int PROTOCOL_PPP = 0x880B;
    static final int PROTOCOL_ERSPAN_II = 0x88BE;
    static final int PROTOCOL_ERSPAN_III = 0x22EB;

    private final LayerDispatcher dispatcher;

    GreDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, BASE_LENGTH))
        {
            return DecodeStatus.GRE_TRUNCATED;
        }
        final DirectBuffer buffer = context.buffer;
        final int flags = u16(buffer, offset);
        final int protocol = u16(buffer, offset + 2);
        final int version = flags & VERSION_MASK;
        if (version > 1)
        {
            return DecodeStatus.GRE_UNSUPPORTED_VERSION;
        }
        int position = offset + BASE_LENGTH;
        if ((flags & (FLAG_CHECKSUM | FLAG_ROUTING)) != 0)
        {
            position += 4;
        }
        boolean hasKey = false;
        long key = 0;
        if ((flags & FLAG_KEY) != 0)
        {
            if (!context.has(position, 4))
            {
                return DecodeStatus.GRE_TRUNCATED;
            }
            hasKey = true;
            key = version == 1 ? u16(buffer, position + 2) : u32(buffer, position);
            position += 4;
        }
        if ((flags & FLAG_SEQUENCE) != 0)
        {
            position += 4;
        }
        if (version == 1 && (flags & FLAG_ACK) != 0)
        {
            position += 4;
        }
        if (!context.has(position, 0))
        {
            return DecodeStatus.GRE_TRUNCATED;
        }
        if (protocol == PROTOCOL_ERSPAN_II)
        {
            return (flags & FLAG_SEQUENCE) == 0 ?
                dispatcher.erspan.decodeTypeI(context, position) :
                dispatcher.erspan.decodeTypeII(context, position);
        }
        if (protocol == PROTOCOL_ERSPAN_III)
        {
            return dispatcher.erspan.decodeTypeIII(context, position);
        }
        if (!context.enterTunnel(TunnelType.GRE, key, hasKey))
        {
            return DecodeStatus.TOO_MANY_TUNNELS;
        }
        if (protocol == PROTOCOL_PPP)
        {
            return dispatcher.toPpp(context, position);
        }
        return dispatcher.etherType(context, protocol, position);
    }
}
