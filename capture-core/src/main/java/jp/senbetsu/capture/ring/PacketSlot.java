package jp.senbetsu.capture.ring;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One pre-allocated slot of the capture ring. Its frame and record areas are views into one direct buffer that
 * the ring allocates at start; slots are reused forever and nothing per packet is allocated.
 *
 * <pre>
 *  +------------------------------------------------+
 *  | frame: the first headerBytes bytes of a frame  |  0
 *  |  (rounded up to 64; none when the source       |
 *  |  thread decodes, see decodeOnSource)           |
 *  +------------------------------------------------+
 *  | MachineInfoRecord (160 bytes)                  |  frameCapacity
 *  +------------------------------------------------+
 * </pre>
 * Fields written by the source: kind, timestamp, lengths, interface, link type. By the decode stage: the record,
 * whether the packet is metered, and its flow shard.
 */
public final class PacketSlot
{
    /** A packet. */
    public static final int PACKET = 0;
    /** No packet: a wall-clock tick that lets flows time out while the link is quiet. */
    public static final int TICK = 1;

    final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    final UnsafeBuffer recordBuffer = new UnsafeBuffer(0, 0);
    final MachineInfoRecord record = new MachineInfoRecord();

    int kind;
    long timestampNs;
    int wireLength;
    int capturedLength;
    int copiedLength;
    int interfaceIndex;
    int linkType;
    boolean metered;
    int shard;

    /** The header bytes copied from the frame. */
    public UnsafeBuffer frame()
    {
        return frame;
    }

    /** Number of valid bytes in {@link #frame()}. */
    public int copiedLength()
    {
        return copiedLength;
    }

    /** The decoded record (after the decode stage). */
    public MachineInfoRecord record()
    {
        return record;
    }

    public int kind()
    {
        return kind;
    }

    public long timestampNs()
    {
        return timestampNs;
    }

    /** Whether the packet goes on to the flow meter (false: not IP, category not eligible, orphan fragment). */
    public boolean metered()
    {
        return metered;
    }

    public int shard()
    {
        return shard;
    }
}
