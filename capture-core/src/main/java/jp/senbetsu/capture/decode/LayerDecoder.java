package jp.senbetsu.capture.decode;

/**
 * Decodes one protocol header found at an offset of the packet in the context, writes its machine information
 * into the record and hands the rest of the packet to the next layer. Implementations check every length
 * against {@link DecodeContext#limit()} before reading, and are stateless so one instance serves every packet.
 */
interface LayerDecoder
{
    /**
     * @param context the packet and its record.
     * @param offset  of the first byte of this header in the packet buffer.
     * @return the status of the whole remaining decode: {@link DecodeStatus#OK} or why it stopped.
     */
    DecodeStatus decode(DecodeContext context, int offset);
}
