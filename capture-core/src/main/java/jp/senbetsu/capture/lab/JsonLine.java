package jp.senbetsu.capture.lab;

import java.nio.charset.StandardCharsets;

import jp.senbetsu.capture.record.AddressText;
import org.agrona.DirectBuffer;

/**
 * One JSON line under construction in a reusable byte array: the allocation-free pieces (keys, numbers, ASCII
 * strings, addresses) that the lab tools' writers are built from. Values are only numbers, fixed names and
 * addresses, never free text from a packet, so nothing needs escaping.
 */
final class JsonLine
{
    /** Longest line either lab tool can produce, with room to spare. */
    static final int MAX_LENGTH = 1024;

    private final byte[] bytes = new byte[MAX_LENGTH];
    private int length;

    /** Starts a new line. */
    void reset()
    {
        length = 0;
    }

    /** Bytes written so far. */
    int length()
    {
        return length;
    }

    /** Drops what was written after the first {@code length} bytes. */
    void truncate(final int length)
    {
        this.length = length;
    }

    /** The line's bytes, valid until the next {@link #reset()}. */
    byte[] bytes()
    {
        return bytes;
    }

    void put(final char c)
    {
        bytes[length++] = (byte)c;
    }

    /** {@code ,"name":} (without the comma for the first key of an object). */
    void key(final String name, final boolean comma)
    {
        if (comma)
        {
            put(',');
        }
        put('"');
        ascii(name);
        put('"');
        put(':');
    }

    /** A quoted string from pre-encoded ASCII bytes. */
    void string(final byte[] value)
    {
        put('"');
        raw(value);
        put('"');
    }

    /** {@code null}, pre-encoded. */
    static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    /**
     * Pre-encoded keys for {@link #raw(byte[])}: {@code "first":} for the first name, {@code ,"name":} for the
     * rest, so a writer emits a key with one copy.
     */
    static byte[][] keys(final String... names)
    {
        final byte[][] keys = new byte[names.length][];
        for (int i = 0; i < names.length; i++)
        {
            keys[i] = ((i == 0 ? "\"" : ",\"") + names[i] + "\":").getBytes(StandardCharsets.US_ASCII);
        }
        return keys;
    }

    /** Pre-encoded ASCII bytes, as they are. */
    void raw(final byte[] value)
    {
        System.arraycopy(value, 0, bytes, length, value.length);
        length += value.length;
    }

    void ascii(final String value)
    {
        for (int i = 0, n = value.length(); i < n; i++)
        {
            bytes[length++] = (byte)value.charAt(i);
        }
    }

    /** A decimal integer: two digits per division, its length from a table of powers of ten. */
    void number(final long value)
    {
        if (value < 0)
        {
            put('-');
            if (value == Long.MIN_VALUE)
            {
                ascii("9223372036854775808");
                return;
            }
            number(-value);
            return;
        }
        int digits = 1;
        while (digits < POWERS_OF_TEN.length && value >= POWERS_OF_TEN[digits])
        {
            digits++;
        }
        int at = length + digits;
        long v = value;
        while (v >= 100)
        {
            final int pair = (int)(v % 100) << 1;
            v /= 100;
            bytes[--at] = DIGIT_PAIRS[pair + 1];
            bytes[--at] = DIGIT_PAIRS[pair];
        }
        if (v >= 10)
        {
            final int pair = (int)v << 1;
            bytes[--at] = DIGIT_PAIRS[pair + 1];
            bytes[--at] = DIGIT_PAIRS[pair];
        }
        else
        {
            bytes[--at] = (byte)('0' + v);
        }
        length += digits;
    }

    /** 10^0 to 10^18: a number below {@code POWERS_OF_TEN[n]} has at most n digits. */
    private static final long[] POWERS_OF_TEN = powersOfTen();
    /** "00", "01", ... "99" as 200 ASCII bytes. */
    private static final byte[] DIGIT_PAIRS = digitPairs();

    private static long[] powersOfTen()
    {
        final long[] powers = new long[19];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }

    private static byte[] digitPairs()
    {
        final byte[] pairs = new byte[200];
        for (int i = 0; i < 100; i++)
        {
            pairs[2 * i] = (byte)('0' + i / 10);
            pairs[2 * i + 1] = (byte)('0' + i % 10);
        }
        return pairs;
    }

    /** A quoted address in the project's one text form ({@link AddressText}). */
    void address(final DirectBuffer buffer, final int offset, final int version)
    {
        put('"');
        length += AddressText.write(version, buffer, offset, bytes, length);
        put('"');
    }
}
