package jp.senbetsu.selector.match;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.selector.rules.Approval;
import jp.senbetsu.selector.rules.Criteria;
import jp.senbetsu.selector.rules.PortRange;
import jp.senbetsu.selector.rules.Rule;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.TcpFlagCondition;
import jp.senbetsu.selector.table.CountryCode;
import jp.senbetsu.selector.table.TestTables;
import jp.senbetsu.selector.trie.Cidr;
import jp.senbetsu.selector.trie.Key128;

/** Seeded random rule sets over a shared pool of nested prefixes, so rules and flows meet often. */
final class RandomRuleSets
{
    static final long BASE_NS = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    static final long HOUR_NS = 3_600_000_000_000L;
    static final long SET_FROM_NS = BASE_NS - 2 * HOUR_NS;
    static final long SET_UNTIL_NS = BASE_NS + 3 * HOUR_NS;
    static final int[] PROTOCOLS = {1, 6, 17, 58, 132};
    static final int[] COUNTRIES = {CountryCode.pack("CN"), CountryCode.pack("US"), CountryCode.pack("KR"),
        CountryCode.pack("AU"), CountryCode.pack("IN")};
    static final long[] ASNS = {64500, 65001, 4134};
    static final int[] CATEGORY_BITS = {1 << Category.FOREIGN_FOREIGN.code(), 1 << Category.FOREIGN_DOMESTIC.code(),
        1 << Category.DOMESTIC_FOREIGN.code()};

    private RandomRuleSets()
    {
    }

    /** Prefixes of both families, clustered and nested, including the test table's interesting space. */
    static List<Cidr> prefixPool(final SplittableRandom random)
    {
        final List<Cidr> pool = new ArrayList<>();
        for (final String s : List.of("1.0.0.0/16", "1.0.1.0/24", "8.8.8.0/24", "133.0.0.0/8", "133.1.0.0/16",
            "60.32.0.0/12", "12.0.0.0/8", "2400:3200::/32", "2600::/12", "2400:2000::/20", "2404:7a80::/28",
            "0.0.0.0/0", "::/0"))
        {
            pool.add(Cidr.parse(s));
        }
        while (pool.size() < 80)
        {
            final Cidr base = pool.get(random.nextInt(pool.size()));
            final int width = Cidr.width(base.family());
            final int length = Math.min(width, base.length() + 1 + random.nextInt(Math.max(1, width == 32 ? 12 : 40)));
            final long hi = (base.hi() | (random.nextLong() & ~Key128.maskHi(base.length()))) & Key128.maskHi(length);
            final long lo = base.family() == 4 ? 0 :
                (base.lo() | (random.nextLong() & ~Key128.maskLo(base.length()))) & Key128.maskLo(length);
            final Cidr c = new Cidr(base.family(), hi & (base.family() == 4 ? 0xFFFF_FFFF_0000_0000L : -1L), lo, length);
            if (!pool.contains(c))
            {
                pool.add(c);
            }
        }
        return pool;
    }

    static RuleSet ruleSet(final SplittableRandom random, final List<Cidr> pool, final int count)
    {
        return ruleSet(random, pool, count, 0);
    }

    /**
     * A random set in which, besides the rules that draw no address list by chance, {@code withoutAddressPercent}
     * per cent of the rules have no address criterion at all (only ports, protocols, flags, countries, AS).
     */
    static RuleSet ruleSet(final SplittableRandom random, final List<Cidr> pool, final int count,
        final int withoutAddressPercent)
    {
        final List<Rule> rules = new ArrayList<>();
        for (int r = 0; r < count; r++)
        {
            final boolean addressed = random.nextInt(100) >= withoutAddressPercent;
            final Criteria criteria = new Criteria(
                addressed ? cidrs(random, pool) : List.of(), addressed ? cidrs(random, pool) : List.of(),
                addressed && random.nextInt(4) == 0 ? cidrs(random, pool) : List.of(),
                ports(random), ports(random), random.nextInt(5) == 0 ? ports(random) : List.of(),
                protocols(random), random.nextInt(6) == 0 ? flags(random) : null,
                random.nextInt(6) == 0 ? countries(random) : List.of(),
                random.nextInt(8) == 0 ? List.of(ASNS[random.nextInt(ASNS.length)]) : List.of());
            int categories = 0;
            while (categories == 0)
            {
                for (final int bit : CATEGORY_BITS)
                {
                    categories |= random.nextBoolean() ? bit : 0;
                }
            }
            // half the rules are valid for the whole set, half have their own, narrower window
            final boolean ownWindow = random.nextBoolean();
            final long from = ownWindow ? BASE_NS + (random.nextInt(3) - 1) * HOUR_NS : SET_FROM_NS;
            final long until = ownWindow ? from + (1 + random.nextInt(3)) * HOUR_NS : SET_UNTIL_NS;
            rules.add(new Rule(r, "r" + r, "APP-" + (r % 3), categories, instant(from), instant(until), criteria,
                random.nextInt(8), 0));
        }
        return new RuleSet("rs-random", 1, "test", instant(SET_FROM_NS), instant(SET_UNTIL_NS),
            CATEGORY_BITS[0] | CATEGORY_BITS[1] | CATEGORY_BITS[2], TestTables.small().versionHex(),
            List.of(new Approval("APP-0", Approval.DEFAULT_RETENTION, 0),
                new Approval("APP-1", Approval.DEFAULT_RETENTION, 0),
                new Approval("APP-2", Approval.DEFAULT_RETENTION, 0)),
            rules, new byte[0], "random");
    }

    static Instant instant(final long ns)
    {
        return Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L);
    }

    private static List<Cidr> cidrs(final SplittableRandom random, final List<Cidr> pool)
    {
        if (random.nextInt(3) == 0)
        {
            return List.of();
        }
        final List<Cidr> out = new ArrayList<>();
        final int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++)
        {
            final Cidr c = pool.get(random.nextInt(pool.size()));
            if (!out.contains(c))
            {
                out.add(c);
            }
        }
        return out;
    }

    private static List<PortRange> ports(final SplittableRandom random)
    {
        if (random.nextInt(3) != 0)
        {
            return List.of();
        }
        final List<PortRange> out = new ArrayList<>();
        final int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++)
        {
            final int from = random.nextInt(100);
            // now and then a range up to the last port, so the port space's end is exercised too
            out.add(random.nextInt(20) == 0 ? new PortRange(from, 65_535) :
                new PortRange(from, from + (random.nextBoolean() ? 0 : random.nextInt(30))));
        }
        return out;
    }

    private static List<Integer> protocols(final SplittableRandom random)
    {
        if (random.nextInt(3) != 0)
        {
            return List.of();
        }
        final List<Integer> out = new ArrayList<>();
        for (final int p : PROTOCOLS)
        {
            if (random.nextInt(3) == 0)
            {
                out.add(p);
            }
        }
        return out.isEmpty() ? List.of(6) : out;
    }

    private static TcpFlagCondition flags(final SplittableRandom random)
    {
        final int mask = 1 + random.nextInt(0x1FF);
        return new TcpFlagCondition(mask, random.nextInt(0x200) & mask);
    }

    private static List<Integer> countries(final SplittableRandom random)
    {
        final List<Integer> out = new ArrayList<>();
        for (final int c : COUNTRIES)
        {
            if (random.nextBoolean())
            {
                out.add(c);
            }
        }
        return out.isEmpty() ? List.of(COUNTRIES[0]) : out;
    }
}
