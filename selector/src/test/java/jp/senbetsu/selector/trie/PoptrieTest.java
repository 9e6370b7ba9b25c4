package jp.senbetsu.selector.trie;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The poptrie must answer exactly what a plain walk over the prefixes answers, for every family and depth. */
class PoptrieTest
{
    @Test
    void ipv4LookupsAgreeWithLongestPrefixMatchByScanning()
    {
        final SplittableRandom random = new SplittableRandom(0x5E1EC7L);
        for (int round = 0; round < 20; round++)
        {
            final List<Cidr> prefixes = randomPrefixes(random, 4, 1 + random.nextInt(400));
            final IntervalMap map = PrefixSweep.sweep(prefixes, c -> c, stack -> stack.isEmpty() ? 0 :
                prefixes.indexOf(stack.getLast()) + 1);
            final Poptrie trie = Poptrie.build(map);
            for (int i = 0; i < 20_000; i++)
            {
                final int address = i % 2 == 0 ? random.nextInt() : nearBoundary(random, prefixes);
                final long hi = (address & 0xFFFF_FFFFL) << 32;
                final int expected = longestMatch(prefixes, hi, 0);
                assertEquals(expected, trie.lookup4(address), () -> Integer.toUnsignedString(address));
                assertEquals(expected, trie.lookup(hi, 0));
            }
        }
    }

    @Test
    void ipv6LookupsAgreeWithLongestPrefixMatchByScanning()
    {
        final SplittableRandom random = new SplittableRandom(0x6E1EC7L);
        for (int round = 0; round < 20; round++)
        {
            final List<Cidr> prefixes = randomPrefixes(random, 6, 1 + random.nextInt(300));
            final IntervalMap map = PrefixSweep.sweep(prefixes, c -> c, stack -> stack.isEmpty() ? 0 :
                prefixes.indexOf(stack.getLast()) + 1);
            final Poptrie trie = Poptrie.build(map);
            for (int i = 0; i < 20_000; i++)
            {
                final long hi;
                final long lo;
                if (i % 2 == 0)
                {
                    hi = random.nextLong();
                    lo = random.nextLong();
                }
                else
                {
                    final Cidr c = prefixes.get(random.nextInt(prefixes.size()));
                    final int pick = random.nextInt(4);
                    hi = pick == 0 ? c.hi() : pick == 1 ? c.endHi() : pick == 2 ? c.hi() - (c.lo() == 0 ? 1 : 0) :
                        Key128.incrementHi(c.endHi(), c.endLo());
                    lo = pick == 0 ? c.lo() : pick == 1 ? c.endLo() : pick == 2 ? c.lo() - 1 : c.endLo() + 1;
                }
                assertEquals(longestMatch(prefixes, hi, lo), trie.lookup6(hi, lo));
            }
        }
    }

    private static int nearBoundary(final SplittableRandom random, final List<Cidr> prefixes)
    {
        final Cidr c = prefixes.get(random.nextInt(prefixes.size()));
        final int start = (int)(c.hi() >>> 32);
        final int end = (int)(c.endHi() >>> 32);
        return switch (random.nextInt(4))
        {
            case 0 -> start;
            case 1 -> end;
            case 2 -> start - 1;
            default -> end + 1;
        };
    }

    /** Value the sweep assigns: 1 + index of the longest (innermost, last-listed on ties) covering prefix. */
    private static int longestMatch(final List<Cidr> prefixes, final long hi, final long lo)
    {
        int best = -1;
        for (int i = 0; i < prefixes.size(); i++)
        {
            final Cidr c = prefixes.get(i);
            if (c.containsKey(hi, lo) && (best < 0 || c.length() > prefixes.get(best).length()))
            {
                best = i;
            }
        }
        return best + 1;
    }

    static List<Cidr> randomPrefixes(final SplittableRandom random, final int family, final int count)
    {
        final List<Cidr> out = new ArrayList<>();
        final int width = Cidr.width(family);
        while (out.size() < count)
        {
            final int length = random.nextInt(width + 1);
            final long hi = family == 4 ? (random.nextLong() & 0xFFFF_FFFF_0000_0000L) : random.nextLong();
            final long lo = family == 4 ? 0 : random.nextLong();
            // cluster half the prefixes under earlier ones so nesting is common
            final Cidr base = !out.isEmpty() && random.nextBoolean() ? out.get(random.nextInt(out.size())) : null;
            final long h = base == null ? hi : (base.hi() | (hi & ~Key128.maskHi(base.length())));
            final long l = base == null ? lo : (base.lo() | (lo & ~Key128.maskLo(base.length())));
            final int len = base == null ? length : Math.min(width, base.length() + random.nextInt(width - base.length() + 1));
            final Cidr c = new Cidr(family, h & Key128.maskHi(len), l & Key128.maskLo(len), len);
            if (!out.contains(c))
            {
                out.add(c);
            }
        }
        return out;
    }
}
