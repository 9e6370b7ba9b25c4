package jp.senbetsu.selector.trie;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The branch-free bit window IPv6 lookups read must hold exactly the key's bits from its depth on. */
class Key128Test
{
    @Test
    void theWindowHoldsTheKeysBitsFromEveryDepthOnWithZerosPastTheEnd()
    {
        final SplittableRandom random = new SplittableRandom(0x128L);
        for (int round = 0; round < 200; round++)
        {
            final long hi = round == 0 ? -1L : random.nextLong();
            final long lo = round == 0 ? -1L : random.nextLong();
            for (int depth = 0; depth < 128; depth++)
            {
                long expected = 0;
                for (int bit = 0; bit < 64; bit++)
                {
                    final int at = depth + bit;
                    final long value = at >= 128 ? 0 : at < 64 ? (hi >>> (63 - at)) & 1 : (lo >>> (127 - at)) & 1;
                    expected |= value << (63 - bit);
                }
                final int d = depth;
                assertEquals(expected, Key128.window(hi, lo, depth), () -> "depth " + d);
            }
        }
    }
}
