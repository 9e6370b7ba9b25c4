package jp.senbetsu.selector.trie;

/**
 * Unsigned 128-bit keys as (hi, lo) pairs of longs: the arithmetic that building the tries needs for IPv6
 * (IPv4 keys are the same, top-aligned), and the two bit extractions IPv6 lookups use ({@link #stride6} for an
 * ordinary node's slot, {@link #bits} for a skip node's pattern; the first is the second for six bits, kept apart
 * because it is the one on every step).
 */
public final class Key128
{
    private Key128()
    {
    }

    /** Network mask of a prefix length, high half. */
    public static long maskHi(final int length)
    {
        if (length <= 0)
        {
            return 0;
        }
        return length >= 64 ? -1L : -1L << (64 - length);
    }

    /** Network mask of a prefix length, low half. */
    public static long maskLo(final int length)
    {
        if (length <= 64)
        {
            return 0;
        }
        return length >= 128 ? -1L : -1L << (128 - length);
    }

    /** Unsigned comparison of two keys. */
    public static int compare(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        final int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** High half of {@code key + 1}; wraps to zero past the end of the space. */
    public static long incrementHi(final long hi, final long lo)
    {
        return lo == -1L ? hi + 1 : hi;
    }

    /** Low half of {@code key + 1}. */
    public static long incrementLo(final long lo)
    {
        return lo + 1;
    }

    /** High half of {@code key + 2^bit} (bit counted from the least significant end, 0..127). */
    public static long addPowerHi(final long hi, final long lo, final int bit)
    {
        if (bit >= 64)
        {
            return hi + (1L << (bit - 64));
        }
        final long sum = lo + (1L << bit);
        return Long.compareUnsigned(sum, lo) < 0 ? hi + 1 : hi;
    }

    /** Low half of {@code key + 2^bit}. */
    public static long addPowerLo(final long lo, final int bit)
    {
        return bit >= 64 ? lo : lo + (1L << bit);
    }

    /**
     * Bits {@code depth} to {@code depth + width - 1} of the key (counted from the most significant end),
     * right-aligned; {@code width} is 1 to 63.
     */
    public static long bits(final long hi, final long lo, final int depth, final int width)
    {
        final int end = depth + width;
        final long mask = (1L << width) - 1;
        if (end <= 64)
        {
            return (hi >>> (64 - end)) & mask;
        }
        if (depth >= 64)
        {
            return (lo >>> (128 - end)) & mask;
        }
        final int fromLo = end - 64;
        return ((hi << fromLo) | (lo >>> (64 - fromLo))) & mask;
    }

    /** Six bits of the key starting at bit {@code depth} counted from the most significant end. */
    public static int stride6(final long hi, final long lo, final int depth)
    {
        if (depth <= 58)
        {
            return (int)(hi >>> (58 - depth)) & 63;
        }
        if (depth >= 64)
        {
            return (int)(lo >>> (122 - depth)) & 63;
        }
        final int fromHi = depth - 58;
        return (int)((hi << fromHi) | (lo >>> (64 - fromHi))) & 63;
    }
}
