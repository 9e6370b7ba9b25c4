package jp.senbetsu.selector.trie;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest
{
    @Test
    void parsesBothFamiliesAndPrintsThemBack()
    {
        for (final String text : List.of("0.0.0.0/0", "10.0.0.0/8", "203.0.113.7/32", "255.255.255.255/32", "::/0",
            "2001:db8::/32", "2001:db8:0:1::/64", "::ffff:0.0.0.0/96", "fe80::/10", "2001:db8::1/128"))
        {
            assertEquals(text, Cidr.parse(text).toString());
        }
        assertEquals(Cidr.parse("192.0.2.1/32"), Cidr.parse("192.0.2.1"));
        assertEquals(6, Cidr.parse("::ffff:0:0/96").family());
        assertEquals(0xFFFF_0000_0000L, Cidr.parse("::ffff:0:0/96").lo());
    }

    @Test
    void refusesHostBitsBadLengthsAndNames()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.1/8")).getMessage()
            .contains("host bits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("2001:db8::1/64")).getMessage()
            .contains("host bits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33")).getMessage()
            .contains("exceeds 32"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/-1"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0"));
    }

    @Test
    void containmentFollowsTheLeadingBits()
    {
        assertTrue(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("10.255.0.0/16")));
        assertFalse(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("11.0.0.0/16")));
        assertFalse(Cidr.parse("10.0.0.0/16").contains(Cidr.parse("10.0.0.0/8")));
        assertFalse(Cidr.parse("::/0").contains(Cidr.parse("10.0.0.0/8")));
        assertTrue(Cidr.parse("2001:db8::/32").contains(Cidr.parse("2001:db8:ffff:ffff::/64")));
    }

    @Test
    void rangesSplitIntoTheFewestAlignedBlocksAcrossTheSixtyFourBitBoundary()
    {
        assertEquals(List.of("1.0.64.0/23", "1.0.66.0/24"), split4("1.0.64.0", 768));
        assertEquals(List.of("0.0.0.0/0"), split4("0.0.0.0", 1L << 32));
        assertEquals(List.of("10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32"), split4("10.0.0.1", 4));
        // 2001:db8:0:0:ffff:ffff:ffff:ffff .. 2001:db8:0:1::1 straddles the two halves of the key
        final Cidr a = Cidr.parse("2001:db8::ffff:ffff:ffff:ffff/128");
        final Cidr b = Cidr.parse("2001:db8:0:1::1/128");
        final List<String> out = new ArrayList<>();
        RangeSplitter.split(6, a.hi(), a.lo(), b.hi(), b.lo(), c -> out.add(c.toString()));
        assertEquals(List.of("2001:db8::ffff:ffff:ffff:ffff/128", "2001:db8:0:1::/127"), out);
    }

    private static List<String> split4(final String start, final long count)
    {
        final long first = Cidr.parse(start).hi() >>> 32;
        final long last = first + count - 1;
        final List<String> out = new ArrayList<>();
        RangeSplitter.split(4, first << 32, 0, (last << 32) | 0xFFFF_FFFFL, -1L, c -> out.add(c.toString()));
        return out;
    }
}
