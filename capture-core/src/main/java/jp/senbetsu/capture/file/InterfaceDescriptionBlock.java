package jp.senbetsu.capture.file;

/**
 * Flyweight over a pcapng Interface Description Block. Each IDB of a section gets the next interface ID of
 * that section; the options that matter to the reader are {@code if_tsresol}, {@code if_tsoffset} and
 * {@code if_fcslen}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Block Type = 0x00000001                    |  0
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |  4
 *  +-------------------------------+-------------------------------+
 *  |           LinkType            |           Reserved            |  8
 *  +-------------------------------+-------------------------------+
 *  |                            SnapLen                            | 12
 *  +---------------------------------------------------------------+
 *  /                           Options                             / 16
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class InterfaceDescriptionBlock extends OrderedFlyweight
{
    static final int LINK_TYPE_OFFSET = 8;
    static final int RESERVED_OFFSET = 10;
    static final int SNAPLEN_OFFSET = 12;
    static final int OPTIONS_OFFSET = 16;
    static final int MIN_LENGTH = OPTIONS_OFFSET + PcapngBlock.TRAILER_LENGTH;

    static final int OPTION_IF_FCSLEN = 13;
    static final int OPTION_IF_TSRESOL = 9;
    static final int OPTION_IF_TSOFFSET = 14;

    int linkType()
    {
        return uint16(LINK_TYPE_OFFSET);
    }

    long snaplen()
    {
        return uint32(SNAPLEN_OFFSET);
    }
}
