package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * IPsec authentication header (RFC 4302) after an IPv4 header: AH authenticates but does not encrypt, so the
 * header it protects is readable; its next-header value becomes the record's protocol. (In IPv6 the extension
 * chain walks AH itself.)
 *
 * <pre>
 *  0               1               2                               4
 *  +---------------+---------------+-------------------------------+
 *  |  Next Header  |  Payload Len  |           Reserved            |
 *  +---------------+---------------+-------------------------------+
 *  |                 Security Parameters Index                     |
 *  +---------------------------------------------------------------+
 *  |                     Sequence Number                           |
 *  +---------------------------------------------------------------+
 *  |          Integrity Check Value ((Payload Len + 2) x 4 - 12)   |
 * </pre>
 */
final class AhDecoder implements LayerDecoder
{
    static final int MIN_LENGTH = 12;

    private final LayerDispatcher dispatcher;

    AhDecoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, MIN_LENGTH))
        {
            return DecodeStatus.AH_TRUNCATED;
        }
        final int nextHeader = u8(context.buffer, offset);
        final int length = (u8(context.buffer, offset + 1) + 2) << 2;
        context.record.protocol(nextHeader);
        if (!context.has(offset, length))
        {
            return DecodeStatus.AH_TRUNCATED;
        }
        return dispatcher.ipProtocol(context, nextHeader, offset + length);
    }
}
