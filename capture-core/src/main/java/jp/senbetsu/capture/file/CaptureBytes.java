package jp.senbetsu.capture.file;

import org.agrona.DirectBuffer;

/**
 * The bytes of a capture file as the format readers see them: a forward-only sequence addressed by file
 * position, of which a range is made addressable in one {@link DirectBuffer} on request. Two sources exist:
 * a memory-mapped file (zero copy) and a gzip stream inflated into a reusable buffer.
 *
 * <p>Positions passed to {@link #fetch(long, int)} never go backwards below the start of the previous fetch;
 * the buffer view is valid until the next fetch.
 */
sealed interface CaptureBytes extends AutoCloseable permits MappedCaptureBytes, InflatingCaptureBytes
{
    /**
     * Makes {@code length} bytes from {@code position} addressable in {@link #buffer()}.
     *
     * @return how many of them are available: {@code length}, or fewer only where the file ends.
     */
    int fetch(long position, int length);

    /** The buffer holding the fetched range. */
    DirectBuffer buffer();

    /** Index in {@link #buffer()} of a file position inside the last fetched range. */
    int index(long position);

    /** Whether the bytes are inflated from a gzip stream rather than mapped. */
    boolean compressed();

    /** Bytes of the file on disk (compressed size for gzip input). */
    long fileBytes();

    @Override
    void close();
}
