package jp.senbetsu.capture.record;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one text form of an address everywhere senbetsu prints one (lab tools, store queries, rule sets): dotted quad
 * for IPv4, RFC 5952 for IPv6 — lower-case hex without leading zeros, the longest run (the first if tied) of two or
 * more zero groups as {@code ::}, and the dotted IPv4 tail for IPv4-mapped addresses ({@code ::ffff:192.0.2.1}).
 * {@link #write} appends ASCII into a caller's array and allocates nothing, for per-record output.
 */
public final class AddressText
{
    /** Longest text: an IPv4-mapped IPv6 address written out in full would be 45 characters. */
    public static final int MAX_LENGTH = 45;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private AddressText()
    {
    }

    /**
     * Writes the address at {@code offset} (network order; 4 bytes for version 4, else 16) into {@code dst}.
     *
     * @return the number of bytes written, at most {@link #MAX_LENGTH}.
     */
    public static int write(final int version, final DirectBuffer src, final int offset, final byte[] dst,
        final int dstOffset)
    {
        return version == 4 ? writeIpv4(src, offset, dst, dstOffset) : writeIpv6(src, offset, dst, dstOffset);
    }

    /** The text of the address at {@code offset}, for output paths where a String is fine. */
    public static String toString(final int version, final DirectBuffer src, final int offset)
    {
        final byte[] text = new byte[MAX_LENGTH];
        final int length = write(version, src, offset, text, 0);
        return new String(text, 0, length, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The text of a 4-byte IPv4 or 16-byte IPv6 address. */
    public static String toString(final byte[] address)
    {
        if (address.length != 4 && address.length != 16)
        {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
        }
        return toString(address.length == 4 ? 4 : 6, new UnsafeBuffer(address), 0);
    }

    private static int writeIpv4(final DirectBuffer src, final int offset, final byte[] dst, final int dstOffset)
    {
        int p = dstOffset;
        for (int i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                dst[p++] = '.';
            }
            p = decimal(src.getByte(offset + i) & 0xFF, dst, p);
        }
        return p - dstOffset;
    }

    private static int writeIpv6(final DirectBuffer src, final int offset, final byte[] dst, final int dstOffset)
    {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; )
        {
            if (group(src, offset, i) == 0)
            {
                int j = i;
                while (j < 8 && group(src, offset, j) == 0)
                {
                    j++;
                }
                if (j - i > bestLength)
                {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            }
            else
            {
                i++;
            }
        }
        // RFC 5952 section 5: an IPv4-mapped address keeps its IPv4 part dotted
        final boolean mapped = bestStart == 0 && bestLength == 5 && group(src, offset, 5) == 0xFFFF;
        final int hexGroups = mapped ? 6 : 8;
        int p = dstOffset;
        for (int i = 0; i < hexGroups; i++)
        {
            if (i == bestStart)
            {
                dst[p++] = ':';
                dst[p++] = ':';
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength)
            {
                dst[p++] = ':';
            }
            p = hex(group(src, offset, i), dst, p);
        }
        if (mapped)
        {
            dst[p++] = ':';
            p += writeIpv4(src, offset + 12, dst, p);
        }
        return p - dstOffset;
    }

    private static int group(final DirectBuffer src, final int offset, final int index)
    {
        return src.getShort(offset + (index << 1), ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    private static int hex(final int group, final byte[] dst, final int at)
    {
        int p = at;
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4)
        {
            final int nibble = (group >>> shift) & 0xF;
            if (nibble != 0 || started || shift == 0)
            {
                dst[p++] = HEX[nibble];
                started = true;
            }
        }
        return p;
    }

    private static int decimal(final int value, final byte[] dst, final int at)
    {
        int p = at;
        if (value >= 100)
        {
            dst[p++] = (byte)('0' + value / 100);
        }
        if (value >= 10)
        {
            dst[p++] = (byte)('0' + value / 10 % 10);
        }
        dst[p++] = (byte)('0' + value % 10);
        return p;
    }
}
