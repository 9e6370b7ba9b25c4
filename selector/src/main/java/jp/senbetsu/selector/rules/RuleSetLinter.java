package jp.senbetsu.selector.rules;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.trie.Cidr;

/**
 * {@code senbetsu rules check}: finds what a signer should know before signing. Errors refuse the set at load
 * (a rule selecting a category the set is not authorised for); warnings are for people: rules outside their
 * window, rules that can never match, rules wholly covered by an earlier rule (they never decide the approval
 * of a record), pairs of rules that can match the same flow, many rules with neither an address nor a
 * destination port (which the matcher cannot look up), rules without an address too many to index by port, and
 * sets in which one flow could match more rules than a selected record can name.
 */
public final class RuleSetLinter
{
    /** Pairwise comparisons stop above this many rules: the cost is quadratic. */
    public static final int PAIRWISE_LIMIT = 5_000;
    /**
     * Rules with neither an address nor a destination-port criterion above which the set is warned about: the
     * matcher finds a flow's candidates through its two addresses and, for rules without an address, its
     * destination port, so such rules are tried one by one for every eligible flow.
     */
    public static final int UNADDRESSED_LIMIT = 64;

    /** Matching rules a selected record can name: the deciding one and its further ones. */
    public static final int MAX_NAMED_MATCHES = SelectedFlowRecord.MAX_FURTHER_RULES + 1;

    public enum Severity
    {
        ERROR, WARNING
    }

    /**
     * One finding.
     *
     * @param severity error or warning.
     * @param line     line of the rule in the file, 0 for the whole set.
     * @param message  what, naming the rule and field.
     */
    public record Finding(Severity severity, int line, String message)
    {
    }

    private RuleSetLinter()
    {
    }

    public static List<Finding> lint(final RuleSet set, final Instant now)
    {
        final List<Finding> out = new ArrayList<>();
        for (final Rule rule : set.rules())
        {
            final int outside = rule.categoryMask() & ~set.authorisedCategoryMask();
            if (outside != 0)
            {
                out.add(new Finding(Severity.ERROR, rule.line(), "rule '" + rule.id() + "' field 'categories': " +
                    labels(outside) + " not authorised for the set (categories: " +
                    labels(set.authorisedCategoryMask()) + ")"));
            }
            if (!rule.validUntil().isAfter(rule.validFrom()))
            {
                out.add(new Finding(Severity.WARNING, rule.line(), "rule '" + rule.id() + "' field 'valid_from': " +
                    "its window does not overlap the set's window: it never selects"));
            }
            else if (!now.isBefore(rule.validUntil()))
            {
                out.add(new Finding(Severity.WARNING, rule.line(), "rule '" + rule.id() + "' field 'valid_until': " +
                    "expired at " + rule.validUntil() + ": it no longer selects"));
            }
            else if (now.isBefore(rule.validFrom()))
            {
                out.add(new Finding(Severity.WARNING, rule.line(), "rule '" + rule.id() + "' field 'valid_from': " +
                    "not active before " + rule.validFrom()));
            }
            final String never = neverMatches(rule.criteria());
            if (never != null)
            {
                out.add(new Finding(Severity.WARNING, rule.line(), "rule '" + rule.id() + "' can never match: " +
                    never));
            }
        }
        final long unindexed = DestinationPortIndex.inEverySpan(set.rules());
        if (unindexed > UNADDRESSED_LIMIT)
        {
            out.add(new Finding(Severity.WARNING, 0, unindexed + " rules have neither an address (src, dst or " +
                "either) nor a dst_ports criterion: each is tried for every eligible flow, so deciding costs more " +
                "with each one (more than " + UNADDRESSED_LIMIT + "); give them addresses or destination ports " +
                "where the approval allows"));
        }
        final long portIndex = DestinationPortIndex.entries(set.rules());
        if (portIndex > DestinationPortIndex.MAX_ENTRIES)
        {
            out.add(new Finding(Severity.WARNING, 0, "the rules without an address are too many to be found by " +
                "destination port (" + portIndex + " index entries, at most " + DestinationPortIndex.MAX_ENTRIES +
                "): each of them is tried for every flow with ports; fewer rules that fit every port (wide " +
                "dst_ports ranges, or no dst_ports) keep the index small"));
        }
        final long matchBound = matchBound(set.rules());
        if (matchBound > MAX_NAMED_MATCHES)
        {
            out.add(new Finding(Severity.WARNING, 0, "one flow can match up to " + matchBound + " rules (at worst: " +
                "the deepest nesting of source prefixes, of destination prefixes, and of rules without an address " +
                "on one destination port), but a selected record names at most " + MAX_NAMED_MATCHES + " of them, " +
                "the first by order, and keeps the exact count; split overlapping rules into fewer, wider ones"));
        }
        if (set.rules().size() <= PAIRWISE_LIMIT)
        {
            pairwise(set.rules(), out);
        }
        else
        {
            out.add(new Finding(Severity.WARNING, 0, "overlap and reachability not checked: more than " +
                PAIRWISE_LIMIT + " rules"));
        }
        return out;
    }

    /**
     * An upper bound on the rules one flow can match: the deepest nesting of the prefixes that may hold a flow's
     * source (src and either), plus that of its destination (dst and either), plus the most rules without an
     * address that fit one destination port. Prefixes are nested or disjoint, so a depth is found in one sorted
     * pass. A set no larger than a record's list needs no pass.
     */
    static long matchBound(final List<Rule> rules)
    {
        if (rules.size() <= MAX_NAMED_MATCHES)
        {
            return rules.size();
        }
        final List<Cidr> sources = new ArrayList<>();
        final List<Cidr> destinations = new ArrayList<>();
        for (final Rule rule : rules)
        {
            final Criteria c = rule.criteria();
            sources.addAll(c.src());
            sources.addAll(c.either());
            destinations.addAll(c.dst());
            destinations.addAll(c.either());
        }
        return Math.min(rules.size(),
            nestingDepth(sources) + nestingDepth(destinations) + DestinationPortIndex.longestRun(rules));
    }

    /** How many of the prefixes at most hold one address (they are nested or disjoint). */
    private static int nestingDepth(final List<Cidr> prefixes)
    {
        final List<Cidr> sorted = new ArrayList<>(prefixes);
        sorted.sort(Comparator.comparingInt(Cidr::family).thenComparing(Cidr::hi, Long::compareUnsigned)
            .thenComparing(Cidr::lo, Long::compareUnsigned).thenComparingInt(Cidr::length));
        final ArrayDeque<Cidr> open = new ArrayDeque<>();
        int deepest = 0;
        for (final Cidr prefix : sorted)
        {
            while (!open.isEmpty() && !open.peek().contains(prefix))
            {
                open.pop();
            }
            open.push(prefix);
            deepest = Math.max(deepest, open.size());
        }
        return deepest;
    }

    private static void pairwise(final List<Rule> rules, final List<Finding> out)
    {
        for (int j = 0; j < rules.size(); j++)
        {
            final Rule later = rules.get(j);
            boolean covered = false;
            for (int i = 0; i < j && !covered; i++)
            {
                final Rule earlier = rules.get(i);
                if (covers(earlier, later))
                {
                    out.add(new Finding(Severity.WARNING, later.line(), "rule '" + later.id() +
                        "' is unreachable as a deciding rule: every flow it matches also matches earlier rule '" +
                        earlier.id() + "', which decides the approval"));
                    covered = true;
                }
            }
            if (covered)
            {
                continue;
            }
            for (int i = 0; i < j; i++)
            {
                final Rule earlier = rules.get(i);
                if (overlaps(earlier, later))
                {
                    out.add(new Finding(Severity.WARNING, later.line(), "rule '" + later.id() + "' overlaps rule '" +
                        earlier.id() + "': a flow can match both; '" + earlier.id() + "' (approval " +
                        earlier.approval() + ") decides"));
                }
            }
        }
    }

    private static String neverMatches(final Criteria c)
    {
        final boolean v4 = anyFamily(c, 4);
        final boolean v6 = anyFamily(c, 6);
        if (!v4 && !v6)
        {
            return "its address criteria have no family in common (IPv4 in one list, IPv6 in another)";
        }
        final boolean needsPorts = !c.srcPorts().isEmpty() || !c.dstPorts().isEmpty() || !c.ports().isEmpty();
        if (needsPorts && !c.protocols().isEmpty() &&
            c.protocols().stream().noneMatch(p -> p == 6 || p == 17 || p == 132))
        {
            return "ports are given but none of its protocols has ports";
        }
        return null;
    }

    /** Whether a flow of the family could satisfy every address list (absent lists allow any family). */
    private static boolean anyFamily(final Criteria c, final int family)
    {
        return hasFamily(c.src(), family) && hasFamily(c.dst(), family) && hasFamily(c.either(), family);
    }

    private static boolean hasFamily(final List<Cidr> list, final int family)
    {
        return list.isEmpty() || list.stream().anyMatch(x -> x.family() == family);
    }

    static boolean covers(final Rule a, final Rule b)
    {
        final Criteria x = a.criteria();
        final Criteria y = b.criteria();
        return (b.categoryMask() & ~a.categoryMask()) == 0 &&
            !b.validFrom().isBefore(a.validFrom()) && !b.validUntil().isAfter(a.validUntil()) &&
            cidrsCover(x.src(), y.src()) && cidrsCover(x.dst(), y.dst()) && cidrsCover(x.either(), y.either()) &&
            portsCover(x.srcPorts(), y.srcPorts()) && portsCover(x.dstPorts(), y.dstPorts()) &&
            portsCover(x.ports(), y.ports()) && setCovers(x.protocols(), y.protocols()) &&
            flagsCover(x.tcpFlags(), y.tcpFlags()) && setCovers(x.foreignCountries(), y.foreignCountries()) &&
            setCovers(x.foreignAsns(), y.foreignAsns());
    }

    static boolean overlaps(final Rule a, final Rule b)
    {
        final Criteria x = a.criteria();
        final Criteria y = b.criteria();
        return (a.categoryMask() & b.categoryMask()) != 0 &&
            a.validFrom().isBefore(b.validUntil()) && b.validFrom().isBefore(a.validUntil()) &&
            cidrsMeet(x.src(), y.src()) && cidrsMeet(x.dst(), y.dst()) && cidrsMeet(x.either(), y.either()) &&
            portsMeet(x.srcPorts(), y.srcPorts()) && portsMeet(x.dstPorts(), y.dstPorts()) &&
            portsMeet(x.ports(), y.ports()) && setsMeet(x.protocols(), y.protocols()) &&
            flagsMeet(x.tcpFlags(), y.tcpFlags()) && setsMeet(x.foreignCountries(), y.foreignCountries()) &&
            setsMeet(x.foreignAsns(), y.foreignAsns());
    }

    private static boolean cidrsCover(final List<Cidr> outer, final List<Cidr> inner)
    {
        if (outer.isEmpty())
        {
            return true;
        }
        return !inner.isEmpty() && inner.stream().allMatch(i -> outer.stream().anyMatch(o -> o.contains(i)));
    }

    private static boolean cidrsMeet(final List<Cidr> a, final List<Cidr> b)
    {
        return a.isEmpty() || b.isEmpty() || a.stream().anyMatch(x -> b.stream().anyMatch(y -> x.contains(y) ||
            y.contains(x)));
    }

    private static boolean portsCover(final List<PortRange> outer, final List<PortRange> inner)
    {
        if (outer.isEmpty())
        {
            return true;
        }
        return !inner.isEmpty() && inner.stream().allMatch(i -> outer.stream().anyMatch(o -> o.from() <= i.from() &&
            o.to() >= i.to()));
    }

    private static boolean portsMeet(final List<PortRange> a, final List<PortRange> b)
    {
        return a.isEmpty() || b.isEmpty() || a.stream().anyMatch(x -> b.stream().anyMatch(y -> x.from() <= y.to() &&
            y.from() <= x.to()));
    }

    private static <T> boolean setCovers(final List<T> outer, final List<T> inner)
    {
        return outer.isEmpty() || (!inner.isEmpty() && outer.containsAll(inner));
    }

    private static <T> boolean setsMeet(final List<T> a, final List<T> b)
    {
        return a.isEmpty() || b.isEmpty() || a.stream().anyMatch(b::contains);
    }

    private static boolean flagsCover(final TcpFlagCondition outer, final TcpFlagCondition inner)
    {
        if (outer == null)
        {
            return true;
        }
        return inner != null && (outer.mask() & ~inner.mask()) == 0 &&
            (inner.value() & outer.mask()) == outer.value();
    }

    private static boolean flagsMeet(final TcpFlagCondition a, final TcpFlagCondition b)
    {
        if (a == null || b == null)
        {
            return true;
        }
        final int common = a.mask() & b.mask();
        return (a.value() & common) == (b.value() & common);
    }

    private static String labels(final int mask)
    {
        final List<String> out = new ArrayList<>();
        for (final Category c : Category.values())
        {
            if ((mask & (1 << c.code())) != 0)
            {
                out.add(c.label());
            }
        }
        return String.join(", ", out);
    }
}
