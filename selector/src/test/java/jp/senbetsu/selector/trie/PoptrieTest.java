package jp.senbetsu.selector.trie;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            // every other round with the wide direct-pointing array
            final Poptrie trie = round % 2 == 0 ? Poptrie.build(map, 4) :
                Poptrie.build(map, 4, Poptrie.WIDE_DIRECT_BITS);
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
            // every other round with the wide direct-pointing array, as compiled rule sets use it
            final Poptrie trie = round % 2 == 0 ? Poptrie.build(map, 6) :
                Poptrie.build(map, 6, Poptrie.WIDE_DIRECT_BITS);
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

    @Test
    void batchedWalksFindTheLeavesOfOneByOneWalks()
    {
        final SplittableRandom random = new SplittableRandom(0xBA7C4EDL);
        final int[] addresses = new int[64];
        final long[] his = new long[64];
        final long[] los = new long[64];
        final long[] keys = new long[128];
        final int[] out = new int[64];
        final int[] pending = new int[64];
        final int[] positions = new int[64];
        for (int round = 0; round < 20; round++)
        {
            final int family = round % 2 == 0 ? 4 : 6;
            final List<Cidr> prefixes = randomPrefixes(random, family, 1 + random.nextInt(400));
            final IntervalMap map = PrefixSweep.sweep(prefixes, c -> c, stack -> stack.isEmpty() ? 0 :
                prefixes.indexOf(stack.getLast()) + 1);
            final Poptrie trie = round % 4 < 2 ? Poptrie.build(map, family) :
                Poptrie.build(map, family, Poptrie.WIDE_DIRECT_BITS);
            for (int batch = 0; batch < 500; batch++)
            {
                final int count = random.nextInt(65);
                for (int i = 0; i < count; i++)
                {
                    // half inside some prefix, so walks of very different depths share a batch
                    final Cidr c = prefixes.get(random.nextInt(prefixes.size()));
                    final boolean inside = random.nextBoolean();
                    his[i] = inside ? c.hi() | (random.nextLong() & ~Key128.maskHi(c.length())) : random.nextLong();
                    los[i] = family == 4 ? 0 : inside ? c.lo() | (random.nextLong() & ~Key128.maskLo(c.length())) :
                        random.nextLong();
                    addresses[i] = (int)(his[i] >>> 32);
                }
                if (family == 4)
                {
                    trie.lookups4(addresses, out, count, pending);
                }
                else
                {
                    for (int i = 0; i < count; i++)
                    {
                        keys[2 * i] = his[i];
                        keys[2 * i + 1] = los[i];
                    }
                    trie.lookups6(keys, out, count, pending, positions);
                }
                for (int i = 0; i < count; i++)
                {
                    assertEquals(family == 4 ? trie.lookup4(addresses[i]) : trie.lookup6(his[i], los[i]), out[i]);
                    assertEquals(longestMatch(prefixes, family == 4 ? (addresses[i] & 0xFFFF_FFFFL) << 32 : his[i],
                        los[i]), family == 4 ? trie.lookup4(addresses[i]) : trie.lookup6(his[i], los[i]));
                }
            }
        }
    }

    /**
     * An IPv6 prefix alone in its part of the space is reached through one node: the run of one-child levels above
     * it is that node's path, compared in one step, and the node steps where the prefix ends; every address around
     * it still finds its own leaf, and a run longer than one path holds is split. IPv4 tries have no paths, and
     * their lone prefixes are found all the same.
     */
    @Test
    void aLoneIpv6PrefixIsReachedThroughOneNode()
    {
        final Cidr v6 = Cidr.parse("2001:db8:1234:5678::/64");
        final Poptrie trie6 = trieOf(6, List.of(v6));
        // direct array (14 bits), then one node: the runs of depths 14 to 56 as its path, and its step at depth 62
        assertEquals(1, trie6.nodeCount());
        assertEquals(1, trie6.lookup6(v6.hi(), v6.lo()));
        assertEquals(1, trie6.lookup6(v6.endHi(), v6.endLo()));
        for (int bit = 14; bit < 64; bit++)
        {
            // one bit different anywhere in the compared pattern: outside
            assertEquals(0, trie6.lookup6(v6.hi() ^ (1L << (63 - bit)), v6.lo()), "bit " + bit);
        }
        assertEquals(0, trie6.lookup6(v6.hi() - 1, -1L));
        assertEquals(0, trie6.lookup6(v6.hi() + 1, 0));

        final Cidr v4 = Cidr.parse("198.51.100.4/30");
        final Poptrie trie4 = trieOf(4, List.of(v4));
        assertEquals(3, trie4.nodeCount(), "IPv4 has no paths: one node at each of depths 14, 20 and 26");
        final int first = (int)(v4.hi() >>> 32);
        for (int a = first - 3; a <= first + 7; a++)
        {
            assertEquals(a >= first && a <= first + 3 ? 1 : 0, trie4.lookup4(a), Integer.toUnsignedString(a));
        }
        for (int bit = 14; bit < 26; bit++)
        {
            assertEquals(0, trie4.lookup4(first ^ (1 << (31 - bit))), "bit " + bit);
        }

        // below the wide direct-pointing array the same /30 is one stride deep
        final Poptrie wide4 = Poptrie.build(PrefixSweep.sweep(List.of(v4), c -> c, stack -> stack.isEmpty() ? 0 : 1),
            4, Poptrie.WIDE_DIRECT_BITS);
        assertEquals(2, wide4.nodeCount(), "one node at depth 20, one at 26");
        for (int a = first - 3; a <= first + 7; a++)
        {
            assertEquals(a >= first && a <= first + 3 ? 1 : 0, wide4.lookup4(a), Integer.toUnsignedString(a));
        }
        for (int bit = 20; bit < 26; bit++)
        {
            assertEquals(0, wide4.lookup4(first ^ (1 << (31 - bit))), "bit " + bit);
        }

        // a /128 alone: 19 one-child levels below the direct array, more than one path of 9 strides holds
        final Cidr host = Cidr.parse("2001:db8::1/128");
        final Poptrie deep = trieOf(6, List.of(host));
        assertEquals(1, deep.lookup6(host.hi(), host.lo()));
        for (int bit = 14; bit < 128; bit++)
        {
            // one bit different anywhere: off the first node's path (14..67, across the halves' boundary), its step
            // (68..73), the second node's path (74..121) or its step (122..127)
            final long hi = bit < 64 ? host.hi() ^ (1L << (63 - bit)) : host.hi();
            final long lo = bit < 64 ? host.lo() : host.lo() ^ (1L << (127 - bit));
            assertEquals(0, deep.lookup6(hi, lo), "bit " + bit);
        }
        // a node with a path of 9 strides and its one-child step at depth 68, then one with a path of 8 strides and
        // its step at depth 122
        assertEquals(2, deep.nodeCount());
        // the batched walk, whose steps choose by masks, agrees: the host, then the host with each bit changed
        final int count = 1 + 114;
        final long[] keys = new long[2 * count];
        keys[0] = host.hi();
        keys[1] = host.lo();
        for (int bit = 14; bit < 128; bit++)
        {
            final int at = 2 * (bit - 13);
            keys[at] = bit < 64 ? host.hi() ^ (1L << (63 - bit)) : host.hi();
            keys[at + 1] = bit < 64 ? host.lo() : host.lo() ^ (1L << (127 - bit));
        }
        final int[] values = new int[count];
        deep.lookups6(keys, values, count, new int[count], new int[count]);
        assertEquals(1, values[0]);
        for (int i = 1; i < count; i++)
        {
            assertEquals(0, values[i], "bit " + (13 + i));
        }

        // under the wide direct-pointing array too
        final Poptrie wide6 = Poptrie.build(PrefixSweep.sweep(List.of(v6, host), c -> c,
            stack -> stack.isEmpty() ? 0 : 1), 6, Poptrie.WIDE_DIRECT_BITS);
        assertEquals(1, wide6.lookup6(v6.hi(), v6.endLo()));
        assertEquals(0, wide6.lookup6(v6.hi() ^ (1L << 20), v6.lo()));
        assertEquals(1, wide6.lookup6(host.hi(), host.lo()));
        assertEquals(0, wide6.lookup6(host.hi(), host.lo() + 1));

        // the batched IPv4 walk finds the same values, whether it ends in the direct array or in a node
        final int[] out = new int[5];
        final int[] scratch = new int[5];
        final int[] addresses = {first, first + 4, first ^ (1 << 12), first - 1, first ^ (1 << 31)};
        trie4.lookups4(addresses, out, 5, scratch);
        final int[] expected4 = {1, 0, 0, 0, 0};
        for (int i = 0; i < 5; i++)
        {
            assertEquals(expected4[i], out[i], "address " + i);
            assertEquals(expected4[i], trie4.lookup4(addresses[i]), "address " + i);
        }
    }

    /** Values are what a direct entry holds beside its leaf flag: a negative one is refused when the trie is built. */
    @Test
    void aNegativeValueIsRefused()
    {
        final Cidr v4 = Cidr.parse("198.51.100.0/24");
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> Poptrie.build(PrefixSweep.sweep(List.of(v4), c -> c, stack -> stack.isEmpty() ? -1 : 1), 4));
        assertTrue(refused.getMessage().contains("-1"), refused.getMessage());
    }

    private static Poptrie trieOf(final int family, final List<Cidr> prefixes)
    {
        return Poptrie.build(PrefixSweep.sweep(prefixes, c -> c, stack -> stack.isEmpty() ? 0 :
            prefixes.indexOf(stack.getLast()) + 1), family);
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
