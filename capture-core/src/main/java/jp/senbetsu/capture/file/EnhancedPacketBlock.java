package jp.senbetsu.capture.file;

/**
 * Flyweight over a pcapng Enhanced Packet Block, and over the obsolete Packet Block (type 2) whose layout
 * differs only in a 16-bit interface ID followed by a 16-bit drops count.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Block Type = 0x00000006 (EPB) / 0x00000002 (PB)    |  0
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |  4
 *  +---------------------------------------------------------------+
 *  |  Interface ID (EPB: 32 bits; PB: 16 bits + 16-bit drops count)|  8
 *  +---------------------------------------------------------------+
 *  |                        Timestamp (High)                       | 12
 *  +---------------------------------------------------------------+
 *  |                        Timestamp (Low)                        | 16
 *  +---------------------------------------------------------------+
 *  |                    Captured Packet Length                     | 20
 *  +---------------------------------------------------------------+
 *  |                    Original Packet Length                     | 24
 *  +---------------------------------------------------------------+
 *  /              Packet Data (padded to 32 bits)                  / 28
 *  +---------------------------------------------------------------+
 *  /                      Options                                  /
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class EnhancedPacketBlock extends OrderedFlyweight
{
    static final int INTERFACE_ID_OFFSET = 8;
    static final int TIMESTAMP_HIGH_OFFSET = 12;
    static final int TIMESTAMP_LOW_OFFSET = 16;
    static final int CAPTURED_LENGTH_OFFSET = 20;
    static final int ORIGINAL_LENGTH_OFFSET = 24;
    static final int DATA_OFFSET = 28;
    static final int MIN_LENGTH = DATA_OFFSET + PcapngBlock.TRAILER_LENGTH;

    /** Interface ID of an EPB (32 bits). */
    long interfaceId()
    {
        return uint32(INTERFACE_ID_OFFSET);
    }

    /** Interface ID of an obsolete Packet Block (16 bits). */
    int obsoleteInterfaceId()
    {
        return uint16(INTERFACE_ID_OFFSET);
    }

    /** The 64-bit timestamp in units of the interface's resolution. */
    long timestampUnits()
    {
        return (uint32(TIMESTAMP_HIGH_OFFSET) << 32) | uint32(TIMESTAMP_LOW_OFFSET);
    }

    long capturedLength()
    {
        return uint32(CAPTURED_LENGTH_OFFSET);
    }

    long originalLength()
    {
        return uint32(ORIGINAL_LENGTH_OFFSET);
    }

    int dataOffset()
    {
        return offset + DATA_OFFSET;
    }
}
