package jp.senbetsu.bench.gen;

import java.util.SplittableRandom;

/**
 * Where generated hosts live. Domestic hosts come from blocks the APNIC delegated statistics list for JP,
 * foreign hosts from blocks listed for CN and KR, and "unknown" hosts from RFC 1918 / ULA space, so a
 * generated capture exercises every classification outcome against a table built from real RIR data.
 * The addresses only ever appear inside capture files: nothing generated is sent on a network.
 */
final class AddressPlan
{
    /** IPv4 prefixes as {network, prefix length}. */
    private static final long[][] DOMESTIC_V4 = { { ipv4(133, 0, 0, 0), 8 }, { ipv4(126, 0, 0, 0), 8 } };
    private static final long[][] FOREIGN_V4 = { { ipv4(59, 192, 0, 0), 10 }, { ipv4(175, 192, 0, 0), 10 } };
    private static final long[][] UNKNOWN_V4 = { { ipv4(10, 0, 0, 0), 8 } };
    /** IPv6 /35 (JP, KR) and /8 ULA prefixes as their upper 64 bits. */
    private static final long DOMESTIC_V6 = 0x2001_0200_0000_0000L;
    private static final long FOREIGN_V6 = 0x2001_0220_0000_0000L;
    private static final long UNKNOWN_V6 = 0xFD00_0000_0000_0000L;
    private static final int V6_PREFIX_BITS_KEPT = 35;

    enum Side
    {
        DOMESTIC, FOREIGN, UNKNOWN
    }

    private AddressPlan()
    {
    }

    static long ipv4(final int a, final int b, final int c, final int d)
    {
        return ((long)a << 24) | (b << 16) | (c << 8) | d;
    }

    /** A random IPv4 host (as an unsigned 32-bit value in a long) on the given side. */
    static int randomIpv4(final Side side, final SplittableRandom random)
    {
        final long[][] pool = switch (side)
        {
            case DOMESTIC -> DOMESTIC_V4;
            case FOREIGN -> FOREIGN_V4;
            case UNKNOWN -> UNKNOWN_V4;
        };
        final long[] prefix = pool[random.nextInt(pool.length)];
        final int hostBits = 32 - (int)prefix[1];
        final long host = 1 + random.nextLong((1L << hostBits) - 2);
        return (int)(prefix[0] | host);
    }

    /** Upper 64 bits of a random IPv6 host on the given side; the lower 64 bits are random interface IDs. */
    static long randomIpv6High(final Side side, final SplittableRandom random)
    {
        final long base = switch (side)
        {
            case DOMESTIC -> DOMESTIC_V6;
            case FOREIGN -> FOREIGN_V6;
            case UNKNOWN -> UNKNOWN_V6;
        };
        final int keep = side == Side.UNKNOWN ? 8 : V6_PREFIX_BITS_KEPT;
        final long mask = -1L >>> keep;
        return base | (random.nextLong() & mask);
    }
}
