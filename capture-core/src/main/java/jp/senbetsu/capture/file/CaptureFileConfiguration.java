package jp.senbetsu.capture.file;

/**
 * Limits and window sizes of {@link CaptureFileReader}. The limits exist so that a damaged or hostile file
 * gets a clear error instead of a huge allocation; the defaults match what tshark and libpcap accept.
 *
 * <table>
 *   <caption>settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #maxCapturedLength()}</td><td>262,144</td>
 *       <td>largest captured length of one packet (libpcap's and Wireshark's maximum for ordinary link
 *       types); a record declaring more is damage.</td></tr>
 *   <tr><td>{@link #maxBlockLength()}</td><td>16 MiB</td>
 *       <td>largest pcapng block (libpcap's initial block limit); bounds the gzip buffer too.</td></tr>
 *   <tr><td>{@link #mappedWindowBytes()}</td><td>1 GiB</td>
 *       <td>how much of a memory-mapped file one buffer view covers; files of any size are read through
 *       views that slide forward, a record never straddles two views.</td></tr>
 *   <tr><td>{@link #inflateBufferBytes()}</td><td>1 MiB</td>
 *       <td>initial size of the reusable buffer gzip input is inflated into; grows only to the largest
 *       record, at most {@link #maxBlockLength()} plus a block header.</td></tr>
 * </table>
 */
public final class CaptureFileConfiguration
{
    /** Default largest captured length of one packet: 262,144 bytes. */
    public static final int DEFAULT_MAX_CAPTURED_LENGTH = 262_144;
    /** Default largest pcapng block: 16 MiB. */
    public static final int DEFAULT_MAX_BLOCK_LENGTH = 16 * 1024 * 1024;
    /** Default size of one mapped view: 1 GiB. */
    public static final int DEFAULT_MAPPED_WINDOW_BYTES = 1 << 30;
    /** Default initial gzip inflate buffer: 1 MiB. */
    public static final int DEFAULT_INFLATE_BUFFER_BYTES = 1 << 20;

    /** Upper bound of both length limits: a record plus its header must fit one int-indexed buffer. */
    public static final int MAX_LENGTH_LIMIT = 1 << 30;

    private static final CaptureFileConfiguration DEFAULTS = new CaptureFileConfiguration(
        DEFAULT_MAX_CAPTURED_LENGTH, DEFAULT_MAX_BLOCK_LENGTH, DEFAULT_MAPPED_WINDOW_BYTES,
        DEFAULT_INFLATE_BUFFER_BYTES);

    private final int maxCapturedLength;
    private final int maxBlockLength;
    private final int mappedWindowBytes;
    private final int inflateBufferBytes;

    private CaptureFileConfiguration(
        final int maxCapturedLength, final int maxBlockLength, final int mappedWindowBytes, final int inflateBufferBytes)
    {
        this.maxCapturedLength = requirePositive("maxCapturedLength", maxCapturedLength);
        this.maxBlockLength = requirePositive("maxBlockLength", maxBlockLength);
        this.mappedWindowBytes = requirePositive("mappedWindowBytes", mappedWindowBytes);
        this.inflateBufferBytes = requirePositive("inflateBufferBytes", inflateBufferBytes);
        if (maxBlockLength > MAX_LENGTH_LIMIT || maxCapturedLength > MAX_LENGTH_LIMIT)
        {
            throw new IllegalArgumentException("maxBlockLength and maxCapturedLength must not exceed " +
                MAX_LENGTH_LIMIT + ": " + maxBlockLength + ", " + maxCapturedLength);
        }
    }

    /** The defaults described in the class comment. */
    public static CaptureFileConfiguration defaults()
    {
        return DEFAULTS;
    }

    public int maxCapturedLength()
    {
        return maxCapturedLength;
    }

    public int maxBlockLength()
    {
        return maxBlockLength;
    }

    public int mappedWindowBytes()
    {
        return mappedWindowBytes;
    }

    public int inflateBufferBytes()
    {
        return inflateBufferBytes;
    }

    public CaptureFileConfiguration withMaxCapturedLength(final int value)
    {
        return new CaptureFileConfiguration(value, maxBlockLength, mappedWindowBytes, inflateBufferBytes);
    }

    public CaptureFileConfiguration withMaxBlockLength(final int value)
    {
        return new CaptureFileConfiguration(maxCapturedLength, value, mappedWindowBytes, inflateBufferBytes);
    }

    public CaptureFileConfiguration withMappedWindowBytes(final int value)
    {
        return new CaptureFileConfiguration(maxCapturedLength, maxBlockLength, value, inflateBufferBytes);
    }

    public CaptureFileConfiguration withInflateBufferBytes(final int value)
    {
        return new CaptureFileConfiguration(maxCapturedLength, maxBlockLength, mappedWindowBytes, value);
    }

    private static int requirePositive(final String name, final int value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    @Override
    public String toString()
    {
        return "CaptureFileConfiguration{maxCapturedLength=" + maxCapturedLength + ", maxBlockLength=" +
            maxBlockLength + ", mappedWindowBytes=" + mappedWindowBytes + ", inflateBufferBytes=" +
            inflateBufferBytes + '}';
    }
}
