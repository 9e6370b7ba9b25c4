package jp.senbetsu.capture.file;

import java.nio.file.Path;

import jp.senbetsu.capture.SenbetsuException;

/**
 * A capture file that cannot be read (further): bad magic, unsupported version, a record or block that is
 * truncated or inconsistent. The message names the file, the byte offset of the offending header (in the
 * decompressed stream for gzip input) and what is wrong; it never contains packet bytes. Packets before the
 * damage have already been delivered when this is thrown.
 */
public final class CaptureFileException extends SenbetsuException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * @param file   the capture file being read.
     * @param offset byte offset of the damaged structure, or -1 when the error concerns the file as a whole.
     * @param what   what is wrong, without payload bytes.
     */
    public CaptureFileException(final Path file, final long offset, final String what)
    {
        this(file, offset, what, null);
    }

    public CaptureFileException(final Path file, final long offset, final String what, final Throwable cause)
    {
        super(format(file, offset, what), cause);
        this.file = file;
        this.offset = offset;
    }

    /** The file that could not be read. */
    public Path file()
    {
        return file;
    }

    /** Byte offset of the damaged structure, -1 when the error concerns the whole file. */
    public long offset()
    {
        return offset;
    }

    private static String format(final Path file, final long offset, final String what)
    {
        return offset < 0 ? file + ": " + what : file + ": at byte offset " + offset + ": " + what;
    }
}
