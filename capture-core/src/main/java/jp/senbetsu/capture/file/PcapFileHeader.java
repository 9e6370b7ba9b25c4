package jp.senbetsu.capture.file;

/**
 * Flyweight over the 24-byte global header of a classic pcap file, in the byte order its magic reveals.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Magic (a1b2c3d4 = µs, a1b23c4d = ns)                 |  0
 *  +-------------------------------+-------------------------------+
 *  |        Major version (2)      |       Minor version (4)       |  4
 *  +-------------------------------+-------------------------------+
 *  |                  thiszone (ignored, as libpcap does)          |  8
 *  +---------------------------------------------------------------+
 *  |                  sigfigs (ignored)                            | 12
 *  +---------------------------------------------------------------+
 *  |                  SnapLen                                      | 16
 *  +-------+-+-+-------------------+-------------------------------+
 *  |FCS len|R|P|   Reserved (10)   |        Link type              | 20
 *  +-------+-+-+-------------------+-------------------------------+ 24
 * </pre>
 */
final class PcapFileHeader extends OrderedFlyweight
{
    static final int LENGTH = 24;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_MAJOR_OFFSET = 4;
    static final int VERSION_MINOR_OFFSET = 6;
    static final int THISZONE_OFFSET = 8;
    static final int SIGFIGS_OFFSET = 12;
    static final int SNAPLEN_OFFSET = 16;
    static final int LINK_TYPE_FIELD_OFFSET = 20;

    /** Low 16 bits of the link-type field: the LINKTYPE_ value. */
    static final int LINK_TYPE_MASK = 0x0000_FFFF;
    /** Bits that must be zero; libpcap and tshark refuse a file that sets them. */
    static final int RESERVED_MASK = 0x03FF_0000;
    /** The P bit: the FCS length field is valid. */
    static final int FCS_PRESENT = 0x0400_0000;
    /** Shift of the 4-bit FCS length, counted in 16-bit words. */
    static final int FCS_LENGTH_SHIFT = 28;

    int versionMajor()
    {
        return uint16(VERSION_MAJOR_OFFSET);
    }

    int versionMinor()
    {
        return uint16(VERSION_MINOR_OFFSET);
    }

    long snaplen()
    {
        return uint32(SNAPLEN_OFFSET);
    }

    int linkTypeField()
    {
        return int32(LINK_TYPE_FIELD_OFFSET);
    }
}
