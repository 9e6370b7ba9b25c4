package jp.senbetsu.capture.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The one entry point for capture files: opens a path, detects the container from its magic number (classic
 * pcap in either byte order with micro- or nanosecond timestamps, pcapng, or either of them gzip-compressed),
 * and delivers every packet in file order to a {@link PacketHandler}, in place. Uncompressed files are
 * memory-mapped and read without copying or allocating per packet, whatever their size; gzip files are
 * inflated as a stream into one reusable buffer.
 *
 * <pre>{@code
 * try (CaptureFileReader reader = CaptureFileReader.open(path))
 * {
 *     long packets = reader.read(handler);
 *     CaptureFileStats stats = reader.stats();
 * }
 * }</pre>
 *
 * <p>Damage (truncation, inconsistent lengths, bad versions) raises a {@link CaptureFileException} naming the
 * file, the byte offset and the problem, after the packets before the damage have been delivered. The file is
 * read as it was when opened (bytes appended later are not seen); it must not be truncated while open. Not
 * thread-safe: one thread opens, reads and closes; reading after {@link #close()} is refused.
 */
public final class CaptureFileReader implements AutoCloseable
{
    private static final int MAGIC_LENGTH = 4;
    private static final int GZIP_MAGIC = 0x1F8B;
    private static final int PCAP_MICROS = 0xA1B2_C3D4;
    private static final int PCAP_NANOS = 0xA1B2_3C4D;
    private static final int PCAP_MODIFIED = 0xA1B2_CD34;
    private static final int PCAPNG = PcapngBlock.SECTION_HEADER;

    private final Path file;
    private final FileChannel channel;
    private final CaptureBytes bytes;
    private final CaptureFormat format;
    private final FormatReader formatReader;
    private final ReadCounters counters = new ReadCounters();
    private boolean closed;

    private CaptureFileReader(final Path file, final CaptureFileConfiguration configuration)
    {
        this.file = file;
        this.channel = openChannel(file);
        try
        {
            this.bytes = openBytes(file, channel, configuration);
            final int available = bytes.fetch(0, MAGIC_LENGTH);
            if (available < MAGIC_LENGTH)
            {
                throw new CaptureFileException(file, 0, "file has " + available +
                    " bytes, too short for a capture-file magic number");
            }
            final int magic = bytes.buffer().getInt(bytes.index(0), ByteOrder.BIG_ENDIAN);
            if (magic == PCAPNG)
            {
                format = CaptureFormat.PCAPNG;
                formatReader = new PcapngBlockReader(file, bytes, counters, configuration);
            }
            else
            {
                format = pcapFormat(magic);
                final ByteOrder order = magic == PCAP_MICROS || magic == PCAP_NANOS ?
                    ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                final PcapRecordReader pcap = new PcapRecordReader(file, bytes, counters, configuration, order,
                    format == CaptureFormat.PCAP_NANOSECONDS ?
                        TimestampResolution.NANOSECONDS : TimestampResolution.MICROSECONDS);
                pcap.readFileHeader();
                formatReader = pcap;
            }
        }
        catch (final RuntimeException ex)
        {
            closeQuietly();
            throw ex;
        }
    }

    /** Opens {@code file} with the {@link CaptureFileConfiguration#defaults() default limits}. */
    public static CaptureFileReader open(final Path file)
    {
        return open(file, CaptureFileConfiguration.defaults());
    }

    /**
     * Opens {@code file} and checks its header.
     *
     * @throws CaptureFileException when the file cannot be opened or is not a supported capture file.
     */
    public static CaptureFileReader open(final Path file, final CaptureFileConfiguration configuration)
    {
        return new CaptureFileReader(file, configuration);
    }

    /**
     * Delivers the packets from where the previous call stopped to the end of the file (normally: all of
     * them, in one call).
     *
     * @return the number of packets delivered by this call.
     * @throws CaptureFileException at the first damage, after delivering the packets before it.
     */
    public long read(final PacketHandler handler)
    {
        if (closed)
        {
            throw new IllegalStateException("capture file reader of " + file + " is closed");
        }
        return formatReader.read(handler);
    }

    /** The container format detected from the magic. */
    public CaptureFormat format()
    {
        return format;
    }

    /** A snapshot of what has been read so far. */
    public CaptureFileStats stats()
    {
        final List<CaptureInterface> interfaces = new ArrayList<>(counters.interfaces.size());
        for (final CaptureInterface captureInterface : counters.interfaces)
        {
            interfaces.add(captureInterface.snapshot());
        }
        return new CaptureFileStats(file, format, bytes.compressed(), bytes.fileBytes(), counters.packets,
            counters.capturedBytes, counters.wireBytes, counters.sections, interfaces,
            counters.customBlocks, counters.skippedBlocks, counters.simplePackets, counters.invalidTimestamps,
            counters.capturedBeyondWire, counters.capturedBeyondSnaplen, counters.endOffset);
    }

    /** Unmaps the file (buffers handed out before become invalid) and closes it. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            closeQuietly();
        }
    }

    private void closeQuietly()
    {
        if (bytes != null)
        {
            bytes.close();
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // opened read-only: nothing to flush
        }
    }

    private CaptureFormat pcapFormat(final int magic)
    {
        if (magic == PCAP_MICROS || Integer.reverseBytes(magic) == PCAP_MICROS)
        {
            return CaptureFormat.PCAP_MICROSECONDS;
        }
        if (magic == PCAP_NANOS || Integer.reverseBytes(magic) == PCAP_NANOS)
        {
            return CaptureFormat.PCAP_NANOSECONDS;
        }
        if (magic == PCAP_MODIFIED || Integer.reverseBytes(magic) == PCAP_MODIFIED)
        {
            throw new CaptureFileException(file, 0, "modified (Kuznetsov) pcap format is not supported");
        }
        throw new CaptureFileException(file, 0, String.format(
            "bad magic 0x%08x: not a pcap, pcapng or gzip-compressed capture file", magic));
    }

    private static FileChannel openChannel(final Path file)
    {
        try
        {
            return FileChannel.open(file, StandardOpenOption.READ);
        }
        catch (final NoSuchFileException ex)
        {
            throw new CaptureFileException(file, -1, "no such file", ex);
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            throw new CaptureFileException(file, -1, "cannot open: " + ex, ex);
        }
    }

    private static CaptureBytes openBytes(
        final Path file, final FileChannel channel, final CaptureFileConfiguration configuration)
    {
        try
        {
            final long size = channel.size();
            final ByteBuffer head = ByteBuffer.allocate(2);
            while (head.hasRemaining() && channel.read(head, head.position()) > 0)
            {
                // read the two bytes that tell gzip from the rest
            }
            if (head.position() == 2 && (head.getShort(0) & 0xFFFF) == GZIP_MAGIC)
            {
                final int largestRecord = Math.max(configuration.maxBlockLength(),
                    PcapRecordHeader.LENGTH + configuration.maxCapturedLength());
                return new InflatingCaptureBytes(file, channel, size, configuration.inflateBufferBytes(),
                    largestRecord);
            }
            return new MappedCaptureBytes(file, channel, size, configuration.mappedWindowBytes());
        }
        catch (final IOException ex)
        {
            throw new CaptureFileException(file, -1, "cannot read: " + ex, ex);
        }
    }
}
