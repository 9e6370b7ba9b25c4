package jp.senbetsu.selector.table;

import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.selector.trie.Cidr;
import jp.senbetsu.selector.trie.Key128;

/** The small test table built from the hand-written files under src/test/resources/table, and address pickers. */
public final class TestTables
{
    private static DomesticTable table;

    private TestTables()
    {
    }

    public static synchronized DomesticTable small()
    {
        if (table == null)
        {
            table = DomesticTableTest.testTable();
        }
        return table;
    }

    /** A random address inside the prefix, as a top-aligned key {hi, lo}. */
    public static long[] randomInside(final SplittableRandom random, final Cidr cidr)
    {
        final long hi = cidr.hi() | (random.nextLong() & ~Key128.maskHi(cidr.length()));
        final long lo = cidr.family() == 4 ? 0 : cidr.lo() | (random.nextLong() & ~Key128.maskLo(cidr.length()));
        return new long[] {cidr.family() == 4 ? hi & 0xFFFF_FFFF_0000_0000L : hi, lo};
    }

    /** Entries of the table of one class and family. */
    public static List<TableEntry> entries(final DomesticTable t, final int family, final int addressClass)
    {
        return t.entries().stream()
            .filter(e -> e.cidr().family() == family && e.addressClass() == addressClass)
            .toList();
    }
}
