package jp.senbetsu.capture.ring;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.DirectBuffer;

/**
 * Decodes the header bytes of one frame into its {@link MachineInfoRecord}: the seam between the ring and the
 * decoder module, so the pipeline runs whatever decoder the appliance wires in. Must not allocate.
 */
@FunctionalInterface
public interface FrameDecoder
{
    /**
     * @param linkType LINKTYPE_ value of the frame's interface.
     * @param frame    holding the frame's first bytes (at most the ring's header bytes).
     * @param offset   of the first byte in {@code frame}.
     * @param length   bytes available from {@code offset}.
     * @param record   cleared, with timestamp, wire and captured lengths, interface and link type already set.
     */
    void decode(int linkType, DirectBuffer frame, int offset, int length, MachineInfoRecord record);
}
