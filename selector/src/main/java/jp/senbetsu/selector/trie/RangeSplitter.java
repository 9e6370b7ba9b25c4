package jp.senbetsu.selector.trie;

import java.util.function.Consumer;

/**
 * Cuts an inclusive range of keys into the fewest aligned CIDR blocks. RIR files give IPv4 blocks as a start and
 * a host count that need not be a power of two, and resolved tables are stored as prefixes; both come here.
 */
public final class RangeSplitter
{
    private RangeSplitter()
    {
    }

    /**
     * Emits the CIDRs covering {@code [start, end]} (top-aligned keys, inclusive) in address order. For IPv4 both
     * ends must be IPv4-aligned (multiples of 2^96 in the top-aligned space, and end + 1 likewise).
     */
    public static void split(
        final int family, final long startHi, final long startLo, final long endHi, final long endLo,
        final Consumer<Cidr> out)
    {
        long hi = startHi;
        long lo = startLo;
        while (true)
        {
            int bits = trailingZeros(hi, lo);
            while (bits > 0 && Key128.compare(hi | lowOnesHi(bits), lo | lowOnesLo(bits), endHi, endLo) > 0)
            {
                bits--;
            }
            final int length = 128 - bits;
            out.accept(new Cidr(family, hi, lo, length));
            final long blockEndHi = hi | lowOnesHi(bits);
            final long blockEndLo = lo | lowOnesLo(bits);
            if (blockEndHi == endHi && blockEndLo == endLo)
            {
                return;
            }
            hi = Key128.incrementHi(blockEndHi, blockEndLo);
            lo = Key128.incrementLo(blockEndLo);
        }
    }

    private static int trailingZeros(final long hi, final long lo)
    {
        if (lo != 0)
        {
            return Long.numberOfTrailingZeros(lo);
        }
        return hi != 0 ? 64 + Long.numberOfTrailingZeros(hi) : 128;
    }

    private static long lowOnesHi(final int bits)
    {
        if (bits <= 64)
        {
            return 0;
        }
        return bits >= 128 ? -1L : (1L << (bits - 64)) - 1;
    }

    private static long lowOnesLo(final int bits)
    {
        if (bits <= 0)
        {
            return 0;
        }
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }
}
