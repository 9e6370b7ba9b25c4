package jp.senbetsu.capture.file;

/**
 * Walks the records of one container format over {@link CaptureBytes} and hands each packet to a
 * {@link PacketHandler}; one implementation per format.
 */
sealed interface FormatReader permits PcapRecordReader, PcapngBlockReader
{
    /** Largest wire length passed on; a 32-bit unsigned length above it is clamped (no real link carries it). */
    long MAX_WIRE_LENGTH = Integer.MAX_VALUE;

    /**
     * Delivers every packet from the current position to the end of the file.
     *
     * @return packets delivered.
     * @throws CaptureFileException at the first damage, after the packets before it were delivered.
     */
    long read(PacketHandler handler);

    /** Wire length as the handler's int: clamped to {@link #MAX_WIRE_LENGTH}. */
    static int wireLength(final long originalLength)
    {
        return (int)Math.min(originalLength, MAX_WIRE_LENGTH);
    }
}
