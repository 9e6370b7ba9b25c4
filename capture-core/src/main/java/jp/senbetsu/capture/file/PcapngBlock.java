package jp.senbetsu.capture.file;

/**
 * Flyweight over the frame every pcapng block shares: type, total length, body, and the total length
 * repeated as a trailer. Block types this reader knows are listed as constants; every other type is skipped
 * by its length.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          Block Type                           |  0
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |  4
 *  +---------------------------------------------------------------+
 *  /                 Block Body (multiple of 4 bytes)              /  8
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |  length - 4
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class PcapngBlock extends OrderedFlyweight
{
    static final int TYPE_OFFSET = 0;
    static final int TOTAL_LENGTH_OFFSET = 4;
    static final int BODY_OFFSET = 8;
    static final int HEADER_LENGTH = 8;
    static final int TRAILER_LENGTH = 4;
    static final int MIN_LENGTH = HEADER_LENGTH + TRAILER_LENGTH;

    static final int SECTION_HEADER = 0x0A0D_0D0A;
    static final int INTERFACE_DESCRIPTION = 0x0000_0001;
    static final int OBSOLETE_PACKET = 0x0000_0002;
    static final int SIMPLE_PACKET = 0x0000_0003;
    static final int NAME_RESOLUTION = 0x0000_0004;
    static final int INTERFACE_STATISTICS = 0x0000_0005;
    static final int ENHANCED_PACKET = 0x0000_0006;
    static final int DECRYPTION_SECRETS = 0x0000_000A;
    static final int CUSTOM_COPIABLE = 0x0000_0BAD;
    static final int CUSTOM_NOT_COPIABLE = 0x4000_0BAD;

    int type()
    {
        return int32(TYPE_OFFSET);
    }

    long totalLength()
    {
        return uint32(TOTAL_LENGTH_OFFSET);
    }

    /** The trailer copy of the total length of a block of {@code totalLength} bytes. */
    long trailerLength(final int totalLength)
    {
        return uint32(totalLength - TRAILER_LENGTH);
    }
}
