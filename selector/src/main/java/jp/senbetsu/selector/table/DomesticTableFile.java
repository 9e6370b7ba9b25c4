package jp.senbetsu.selector.table;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import jp.senbetsu.selector.trie.Cidr;

/**
 * The compiled domestic address table on disk: a fixed header carrying the SHA-256 of the canonical content,
 * then the content itself (big-endian throughout; see {@code docs/domestic-table.md}).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Magic "SBDT"                              |   0
 *  +-------------------------------+-------------------------------+
 *  |        Format version (1)     |      Header length (48)       |   4
 *  +-------------------------------+-------------------------------+
 *  |            SHA-256 of the canonical content (32 bytes)        |   8
 *  +---------------------------------------------------------------+
 *  |                     Reserved, zero (8 bytes)                  |  40
 *  +---------------------------------------------------------------+
 *  |                     IPv4 entry count                          |  48  canonical content starts here
 *  |                     IPv6 entry count                          |  52
 *  +---------------------------------------------------------------+
 *  |  IPv4 entries, 12 bytes each: address (4), prefix length (1), |  56
 *  |  class (1), country (2), ASN (4)                              |
 *  |  IPv6 entries, 24 bytes each: address (16), prefix length (1),|
 *  |  class (1), country (2), ASN (4)                              |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class DomesticTableFile
{
    public static final int MAGIC = 0x53424454; // "SBDT"
    public static final int FORMAT_VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int FORMAT_VERSION_OFFSET = 4;
    public static final int HEADER_LENGTH_OFFSET = 6;
    public static final int SHA256_OFFSET = 8;
    public static final int HEADER_LENGTH = 48;
    public static final int CONTENT_OFFSET = HEADER_LENGTH;

    private DomesticTableFile()
    {
    }

    /** Writes atomically: a temporary file beside the target, then a rename. */
    public static void write(final DomesticTable table, final Path file)
    {
        final byte[] content = table.content();
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.BIG_ENDIAN);
        header.putInt(MAGIC).putShort((short)FORMAT_VERSION).putShort((short)HEADER_LENGTH).put(table.sha256Bytes());
        final byte[] bytes = new byte[HEADER_LENGTH + content.length];
        System.arraycopy(header.array(), 0, bytes, 0, HEADER_LENGTH);
        System.arraycopy(content, 0, bytes, HEADER_LENGTH, content.length);
        try
        {
            final Path parent = file.toAbsolutePath().getParent();
            final Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new TableInputException(file + ": cannot write table: " + ex.getMessage(), ex);
        }
    }

    public static DomesticTable read(final Path file)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new TableInputException(file + ": cannot read table: " + ex.getMessage(), ex);
        }
        if (bytes.length < HEADER_LENGTH + 8)
        {
            throw new TableInputException(file + ": " + bytes.length + " bytes is too short for a domestic table");
        }
        final ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        if (in.getInt(MAGIC_OFFSET) != MAGIC)
        {
            throw new TableInputException(file + ": byte 0: not a senbetsu domestic table (magic is not SBDT)");
        }
        final int version = in.getShort(FORMAT_VERSION_OFFSET) & 0xFFFF;
        if (version != FORMAT_VERSION)
        {
            throw new TableInputException(file + ": byte 4: table format version " + version + " is not supported");
        }
        final int headerLength = in.getShort(HEADER_LENGTH_OFFSET) & 0xFFFF;
        if (headerLength != HEADER_LENGTH)
        {
            throw new TableInputException(file + ": byte 6: header length " + headerLength + " is not " +
                HEADER_LENGTH);
        }
        final byte[] content = Arrays.copyOfRange(bytes, CONTENT_OFFSET, bytes.length);
        final byte[] stated = Arrays.copyOfRange(bytes, SHA256_OFFSET, SHA256_OFFSET + 32);
        final byte[] actual = DomesticTable.sha256(content);
        if (!Arrays.equals(stated, actual))
        {
            throw new TableInputException(file + ": byte " + SHA256_OFFSET + ": content hash " +
                HexFormat.of().formatHex(actual) + " does not match the stated table version " +
                HexFormat.of().formatHex(stated) + ": the file is corrupt or was altered");
        }
        final ByteBuffer body = ByteBuffer.wrap(content).order(ByteOrder.BIG_ENDIAN);
        final long v4 = body.getInt() & 0xFFFF_FFFFL;
        final long v6 = body.getInt() & 0xFFFF_FFFFL;
        final long expected = 8 + v4 * DomesticTable.IPV4_ENTRY_LENGTH + v6 * DomesticTable.IPV6_ENTRY_LENGTH;
        if (expected != content.length)
        {
            throw new TableInputException(file + ": byte " + CONTENT_OFFSET + ": " + v4 + " IPv4 and " + v6 +
                " IPv6 entries need " + expected + " content bytes, the file has " + content.length);
        }
        final List<TableEntry> entries = new ArrayList<>((int)(v4 + v6));
        for (long i = 0; i < v4 + v6; i++)
        {
            final int at = CONTENT_OFFSET + body.position();
            final int family = i < v4 ? 4 : 6;
            final long hi;
            final long lo;
            if (family == 4)
            {
                hi = (body.getInt() & 0xFFFF_FFFFL) << 32;
                lo = 0;
            }
            else
            {
                hi = body.getLong();
                lo = body.getLong();
            }
            final int length = body.get() & 0xFF;
            final int addressClass = body.get() & 0xFF;
            final int country = body.getShort() & 0xFFFF;
            final long asn = body.getInt() & 0xFFFF_FFFFL;
            if (length > Cidr.width(family) ||
                (addressClass != AddressClass.DOMESTIC && addressClass != AddressClass.FOREIGN) ||
                country >= CountryCode.LIMIT)
            {
                throw new TableInputException(file + ": byte " + at + ": entry " + i + " is malformed");
            }
            entries.add(new TableEntry(new Cidr(family, hi, lo, length), addressClass, country, asn));
        }
        try
        {
            return DomesticTable.ofContent(content, entries);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TableInputException(file + ": " + ex.getMessage());
        }
    }
}
