package jp.senbetsu.capture.file;

/**
 * Flyweight over the 16-byte header in front of every packet of a classic pcap file; the captured bytes
 * follow it directly.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Timestamp (seconds, unsigned)                |  0
 *  +---------------------------------------------------------------+
 *  |                  Timestamp (micro- or nanoseconds)            |  4
 *  +---------------------------------------------------------------+
 *  |                  Captured packet length                       |  8
 *  +---------------------------------------------------------------+
 *  |                  Original packet length                       | 12
 *  +---------------------------------------------------------------+
 *  /                  Packet data (captured length bytes)          / 16
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class PcapRecordHeader extends OrderedFlyweight
{
    static final int LENGTH = 16;
    static final int SECONDS_OFFSET = 0;
    static final int SUBSECOND_OFFSET = 4;
    static final int CAPTURED_LENGTH_OFFSET = 8;
    static final int ORIGINAL_LENGTH_OFFSET = 12;

    long seconds()
    {
        return uint32(SECONDS_OFFSET);
    }

    long subsecond()
    {
        return uint32(SUBSECOND_OFFSET);
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
        return offset + LENGTH;
    }
}
