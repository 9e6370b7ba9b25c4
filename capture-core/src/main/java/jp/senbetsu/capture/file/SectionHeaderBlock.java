package jp.senbetsu.capture.file;

/**
 * Flyweight over a pcapng Section Header Block. Its type reads the same in both byte orders; the byte-order
 * magic tells the order of every block of the section, this one included.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   Block Type = 0x0A0D0D0A                     |  0
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |  4
 *  +---------------------------------------------------------------+
 *  |                      Byte-Order Magic 0x1A2B3C4D              |  8
 *  +-------------------------------+-------------------------------+
 *  |         Major Version (1)     |         Minor Version (0)     | 12
 *  +-------------------------------+-------------------------------+
 *  |                      Section Length (64, -1 = unknown)        | 16
 *  +---------------------------------------------------------------+
 *  /                      Options                                  / 24
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class SectionHeaderBlock extends OrderedFlyweight
{
    static final int BYTE_ORDER_MAGIC_OFFSET = 8;
    static final int VERSION_MAJOR_OFFSET = 12;
    static final int VERSION_MINOR_OFFSET = 14;
    static final int SECTION_LENGTH_OFFSET = 16;
    static final int OPTIONS_OFFSET = 24;
    static final int MIN_LENGTH = OPTIONS_OFFSET + PcapngBlock.TRAILER_LENGTH;
    static final int BYTE_ORDER_MAGIC = 0x1A2B_3C4D;

    int versionMajor()
    {
        return uint16(VERSION_MAJOR_OFFSET);
    }

    int versionMinor()
    {
        return uint16(VERSION_MINOR_OFFSET);
    }
}
