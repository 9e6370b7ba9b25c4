package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u16;

/**
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276): like SLL with the protocol first and an interface index.
 *
 * <pre>
 *  0               2               4                               8
 *  +---------------+---------------+-------------------------------+
 *  | protocol      | reserved      | interface index               |
 *  +---------------+-------+-------+-------------------------------+
 *  | ARPHRD type   |pkttype|addrlen| link-layer address (8)        |   8..20
 *  +---------------+-------+-------+-------------------------------+
 * </pre>
 */
final class LinuxSll2Decoder implements LayerDecoder
{
    static final int HEADER_LENGTH = 20;

    private final LayerDispatcher dispatcher;

    LinuxSll2Decoder(final LayerDispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
    }

    @Override
    public DecodeStatus decode(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, HEADER_LENGTH))
        {
            return DecodeStatus.SLL2_TRUNCATED;
        }
        return LinuxSllDecoder.cookedProtocol(dispatcher, context, u16(context.buffer, offset), offset + HEADER_LENGTH);
    }
}
