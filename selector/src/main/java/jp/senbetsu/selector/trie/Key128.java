package jp.senbetsu.selector.trie;

/**
 * Unsigned 128-bit keys as (hi, lo) pairs of longs: the arithmetic that building the tries needs for IPv6
 * (IPv4 keys are the same, top-aligned), and the bit window IPv6 lookups read a node's path and slot from
 * ({@link #window}).
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
     * The 64 bits of the key from bit {@code depth} (0 to 127, counted from the most significant end) on,
     * top-aligned, with zeros past the key's last bit. Branch-free: a lookup takes every bit it compares at a node
     * from one window, whatever the node's depth, so a walk does not mispredict on where in the key it is.
     */
    public static long window(final long hi, final long lo, final int depth)
    {
        // shift counts are taken mod 64: the high form is right for depth 0..63 (the two-step shift brings in no
        // bit of lo at depth 0), the low form for 64..127
        final long fromHigh = (hi << depth) | ((lo >>> 1) >>> (63 - depth));
        final long fromLow = lo << (depth - 64);
        // chosen by a mask, not a conditional: C2 compiles a conditional that its profile finds one-sided (most
        // nodes lie above bit 64) as a branch, whose rare mispredictions flush the overlapping loads of a batch walk
        final long high = (depth - 64) >> 31;
        return fromHigh & high | fromLow & ~high;
    }
}
