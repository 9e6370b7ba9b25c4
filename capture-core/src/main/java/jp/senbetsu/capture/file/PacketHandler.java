package jp.senbetsu.capture.file;

import org.agrona.DirectBuffer;

/**
 * Receives each packet a capture source reads, in place: the bytes stay in the source's buffer (a mapped file
 * or a ring frame) and are only valid for the duration of the call. Implementations copy at most the header
 * bytes they need and never keep a reference to the buffer.
 */
@FunctionalInterface
public interface PacketHandler
{
    /**
     * @param interfaceIndex  index of the capture interface (pcapng IDB order within the file, counted across
     *                        sections; 0 for classic pcap). See docs/capture-files.md.
     * @param linkType        LINKTYPE_ value of that interface, FCS/reserved bits masked off.
     * @param timestampNs     capture time in nanoseconds since the epoch (a pcapng Simple Packet Block has none
     *                        and carries the previous packet's).
     * @param wireLength      original length of the packet on the wire, as recorded (may be below the captured
     *                        length in damaged files; clamped to {@code Integer.MAX_VALUE}).
     * @param buffer          holding the captured bytes.
     * @param offset          of the first captured byte in {@code buffer}.
     * @param capturedLength  number of captured bytes available from {@code offset}.
     */
    void onPacket(
        int interfaceIndex,
        int linkType,
        long timestampNs,
        int wireLength,
        DirectBuffer buffer,
        int offset,
        int capturedLength);
}
