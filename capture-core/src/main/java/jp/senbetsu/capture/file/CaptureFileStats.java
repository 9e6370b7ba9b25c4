package jp.senbetsu.capture.file;

import java.nio.file.Path;
import java.util.List;

/**
 * What reading a capture file found, for the CLI and for tests: counts of packets and bytes, the interfaces
 * with their link types, snaplen and timestamp resolution, and counts of the oddities the reader tolerated.
 * A snapshot: taken after a read (also after one that ended in a {@link CaptureFileException}, then it
 * describes the packets delivered before the damage).
 *
 * @param file                  the file read.
 * @param format                container format from the magic.
 * @param compressed            whether it was gzip-compressed.
 * @param fileBytes             size on disk.
 * @param packets               packets delivered to the handler.
 * @param capturedBytes         captured bytes delivered.
 * @param wireBytes             sum of the original (wire) lengths.
 * @param sections              pcapng sections (1 for classic pcap).
 * @param interfaces            every interface of the file in index order, with per-interface counts.
 * @param customBlocks          pcapng custom blocks (0x00000BAD / 0x40000BAD) skipped; tshark 4.0 shows each as a frame.
 * @param skippedBlocks         other pcapng blocks skipped (NRB, ISB, DSB, unknown types).
 * @param simplePackets         packets from Simple Packet Blocks (no timestamp of their own).
 * @param invalidTimestamps     classic pcap records whose sub-second field was a second or more (carried).
 * @param capturedBeyondWire    packets whose captured length exceeds the wire length (delivered as stored).
 * @param capturedBeyondSnaplen packets whose captured length exceeds the snaplen (delivered as stored).
 * @param endOffset             offset (decompressed for gzip) where reading stopped: the file end, or the damage.
 */
public record CaptureFileStats(
    Path file,
    CaptureFormat format,
    boolean compressed,
    long fileBytes,
    long packets,
    long capturedBytes,
    long wireBytes,
    int sections,
    List<CaptureInterface> interfaces,
    long customBlocks,
    long skippedBlocks,
    long simplePackets,
    long invalidTimestamps,
    long capturedBeyondWire,
    long capturedBeyondSnaplen,
    long endOffset)
{
    public CaptureFileStats
    {
        interfaces = List.copyOf(interfaces);
    }
}
