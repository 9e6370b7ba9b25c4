package jp.senbetsu.capture.file;

import java.util.ArrayList;
import java.util.List;

/**
 * What a format reader has seen so far; plain fields updated on the reading thread, turned into an immutable
 * {@link CaptureFileStats} on request.
 */
final class ReadCounters
{
    final List<CaptureInterface> interfaces = new ArrayList<>();
    long packets;
    long capturedBytes;
    long wireBytes;
    int sections;
    long customBlocks;
    long skippedBlocks;
    long simplePackets;
    long invalidTimestamps;
    long capturedBeyondWire;
    long capturedBeyondSnaplen;
    long endOffset;

    void count(final CaptureInterface captureInterface, final int capturedLength, final long wireLength)
    {
        packets++;
        capturedBytes += capturedLength;
        wireBytes += wireLength;
        if (capturedLength > wireLength)
        {
            capturedBeyondWire++;
        }
        final long snaplen = captureInterface.snaplen();
        if (snaplen != 0 && capturedLength > snaplen)
        {
            capturedBeyondSnaplen++;
        }
        captureInterface.count(capturedLength, wireLength);
    }
}
