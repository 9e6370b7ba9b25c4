package jp.senbetsu.capture.file;

/**
 * One capture interface of a file: the classic pcap header's single interface, or one pcapng Interface
 * Description Block. Its {@link #index()} is what {@link PacketHandler#onPacket} receives: the position of the
 * IDB among all IDBs of the file, counted across sections, so an index names one interface unambiguously.
 * The section-local number that tshark 4.0 prints as {@code frame.interface_id} is {@link #localId()}.
 * The instances in {@link CaptureFileStats} are snapshots: their counters do not move after the stats were taken.
 */
public final class CaptureInterface
{
    private final int index;
    private final int section;
    private final int localId;
    private final int linkType;
    private final long snaplen;
    private final TimestampResolution resolution;
    private final long tsoffsetSeconds;
    private final int fcsLength;
    private long packets;
    private long capturedBytes;
    private long wireBytes;

    CaptureInterface(
        final int index, final int section, final int localId, final int linkType, final long snaplen,
        final TimestampResolution resolution, final long tsoffsetSeconds, final int fcsLength)
    {
        this.index = index;
        this.section = section;
        this.localId = localId;
        this.linkType = linkType;
        this.snaplen = snaplen;
        this.resolution = resolution;
        this.tsoffsetSeconds = tsoffsetSeconds;
        this.fcsLength = fcsLength;
    }

    /** A copy with the counters as they are now, for {@link CaptureFileStats}. */
    CaptureInterface snapshot()
    {
        final CaptureInterface copy = new CaptureInterface(index, section, localId, linkType, snaplen, resolution,
            tsoffsetSeconds, fcsLength);
        copy.packets = packets;
        copy.capturedBytes = capturedBytes;
        copy.wireBytes = wireBytes;
        return copy;
    }

    void count(final int capturedLength, final long wireLength)
    {
        packets++;
        capturedBytes += capturedLength;
        wireBytes += wireLength;
    }

    /** File-wide interface index, as passed to {@link PacketHandler#onPacket}. */
    public int index()
    {
        return index;
    }

    /** Number of the section (0-based) the interface was described in; always 0 for classic pcap. */
    public int section()
    {
        return section;
    }

    /** Interface ID within its section, as packet blocks refer to it (tshark 4.0's frame.interface_id). */
    public int localId()
    {
        return localId;
    }

    /** LINKTYPE_ value, 16 bits, FCS and reserved bits removed. */
    public int linkType()
    {
        return linkType;
    }

    /** Snapshot length the file declares (0 in pcapng means unlimited). */
    public long snaplen()
    {
        return snaplen;
    }

    /** Timestamp unit. */
    public TimestampResolution resolution()
    {
        return resolution;
    }

    /** {@code if_tsoffset} in seconds, added to every timestamp of the interface (0 when absent). */
    public long tsoffsetSeconds()
    {
        return tsoffsetSeconds;
    }

    /**
     * Bytes of frame check sequence at the end of each packet as the file declares them (pcap link-type field
     * with the FCS-present bit, or pcapng {@code if_fcslen}); -1 when not declared. The bytes are not removed
     * from the captured data.
     */
    public int fcsLength()
    {
        return fcsLength;
    }

    /** Packets delivered for this interface so far. */
    public long packets()
    {
        return packets;
    }

    /** Captured bytes delivered for this interface so far. */
    public long capturedBytes()
    {
        return capturedBytes;
    }

    /** Sum of the wire lengths of the packets delivered for this interface so far. */
    public long wireBytes()
    {
        return wireBytes;
    }

    @Override
    public String toString()
    {
        return "CaptureInterface{index=" + index + ", section=" + section + ", localId=" + localId +
            ", linkType=" + linkType + ", snaplen=" + snaplen + ", resolution=" + resolution +
            ", tsoffsetSeconds=" + tsoffsetSeconds + ", fcsLength=" + fcsLength + ", packets=" + packets + '}';
    }
}
