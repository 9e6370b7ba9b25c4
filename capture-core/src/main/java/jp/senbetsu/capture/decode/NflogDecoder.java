package jp.senbetsu.capture.decode;

import java.nio.ByteOrder;

import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * Linux netfilter log messages (LINKTYPE_NFLOG 239): a 4-byte header, then type-length-value attributes in
 * host (little-endian) order, padded to 4 bytes; the NFULA_PAYLOAD attribute holds the IP packet. Other
 * attributes (prefix, UID, hardware address...) are skipped, never kept.
 *
 * <pre>
 *  0        1         2                4               6               8
 *  +--------+---------+----------------+---------------+---------------+-------
 *  | family | version | resource ID    | TLV length    | TLV type      | value...
 *  +--------+---------+----------------+---------------+---------------+-------
 * </pre>
 */
final class NflogDecoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 4;
    static final int TLV_HEADER_LENGTH = 4;
    static final int NFULA_PAYLOAD = 9;
    static final int TYPE_MASK = 0x7FFF;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    private final LayerDispatcher dispatcher;

    NflogDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.NFLOG_TRUNCATED;
        }
        final int family = u8(context.buffer, offset);
        int position = offset + HEADER_LENGTH;
        while (context.has(position, TLV_HEADER_LENGTH))
        {
            final int length = context.buffer.getShort(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int type = context.buffer.getShort(position + 2, ByteOrder.LITTLE_ENDIAN) & TYPE_MASK;
            if (length < TLV_HEADER_LENGTH)
            {
                return DecodeStatus.NFLOG_TRUNCATED;
            }
            if (type == NFULA_PAYLOAD)
            {
                final int payload = position + TLV_HEADER_LENGTH;
                context.trimTo(position + length);
                return switch (family)
                {
                    case AF_INET -> dispatcher.toIpv4(context, payload);
                    case AF_INET6 -> dispatcher.toIpv6(context, payload);
                    default -> dispatcher.ipByVersion(context, payload);
                };
            }
            position += (length + 3) & ~3;
        }
        return position >= context.limit() ? DecodeStatus.NFLOG_NO_PAYLOAD : DecodeStatus.NFLOG_TRUNCATED;
    }
}
