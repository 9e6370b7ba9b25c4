package jp.senbetsu.capture.file;

/**
 * Flyweight over a pcapng Simple Packet Block: a packet of interface 0 of the section, without timestamp or
 * captured length. The captured length is the smallest of the original length, the interface's snaplen
 * (when not 0) and the block's data area.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Block Type = 0x00000003                    |  0
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |  4
 *  +---------------------------------------------------------------+
 *  |                    Original Packet Length                     |  8
 *  +---------------------------------------------------------------+
 *  /              Packet Data (padded to 32 bits)                  / 12
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class SimplePacketBlock extends OrderedFlyweight
{
    static final int ORIGINAL_LENGTH_OFFSET = 8;
    static final int DATA_OFFSET = 12;
    static final int MIN_LENGTH = DATA_OFFSET + PcapngBlock.TRAILER_LENGTH;

    long originalLength()
    {
        return uint32(ORIGINAL_LENGTH_OFFSET);
    }

    int dataOffset()
    {
        return offset + DATA_OFFSET;
    }
}
