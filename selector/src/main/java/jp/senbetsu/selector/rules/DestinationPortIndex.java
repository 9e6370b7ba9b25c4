package jp.senbetsu.selector.rules;

import java.util.List;
import java.util.TreeMap;

/**
 * The size of the destination-port index a rule set's rules without an address compile to, so that the compiler
 * and {@code rules check} agree on whether a set gets one. The compiled matcher finds a flow's rules without an
 * address through its destination port: per span of ports between two boundaries of those rules'
 * {@code dst_ports} ranges, one run of every such rule that fits there (the span's {@code dst_ports} rules and the
 * rules without a destination-port criterion, which fit every span), closed by an end mark. Those runs, before
 * equal ones are shared, must stay within {@link #MAX_ENTRIES}; a set that needs more is compiled without the index
 * (the same answers, each such rule tried for every flow with ports).
 */
public final class DestinationPortIndex
{
    /** Most run entries (eight bytes each) the index may take: 32 MiB. */
    public static final long MAX_ENTRIES = 1 << 22;

    private DestinationPortIndex()
    {
    }

    /** Whether these rules' index stays within {@link #MAX_ENTRIES}. */
    public static boolean fits(final List<Rule> rules)
    {
        return entries(rules) <= MAX_ENTRIES;
    }

    /**
     * The rules the index cannot narrow: without an address and without a {@code dst_ports} criterion, so in
     * every span's run, tried for every flow (with ports, if they name ports).
     */
    public static long inEverySpan(final List<Rule> rules)
    {
        return rules.stream().filter(r -> !r.criteria().hasAddressCriterion() && r.criteria().dstPorts().isEmpty())
            .count();
    }

    /** Run entries, end marks included, of the index of these rules (0 without rules that lack an address). */
    public static long entries(final List<Rule> rules)
    {
        return spans(rules)[0];
    }

    /** Most rules without an address that fit one destination port: the longest run of the index. */
    public static long longestRun(final List<Rule> rules)
    {
        return spans(rules)[1];
    }

    /** The index's entries and its longest run, from one pass over the spans. */
    private static long[] spans(final List<Rule> rules)
    {
        if (rules.stream().allMatch(r -> r.criteria().hasAddressCriterion()))
        {
            return new long[] {0, 0};
        }
        // +1 where a rule's range starts, -1 after it ends (a rule's own ranges are merged, so they never overlap);
        // the keys are the spans' first ports, 65536 closing the last
        final TreeMap<Integer, Integer> changes = new TreeMap<>();
        changes.put(0, 0);
        changes.put(1 << 16, 0);
        for (final Rule rule : rules)
        {
            final Criteria c = rule.criteria();
            if (!c.hasAddressCriterion())
            {
                for (final PortRange range : PortRange.merged(c.dstPorts()))
                {
                    changes.merge(range.from(), 1, Integer::sum);
                    changes.merge(range.to() + 1, -1, Integer::sum);
                }
            }
        }
        final long everySpan = inEverySpan(rules);
        long entries = 0;
        long longest = 0;
        long active = 0;
        for (final int from : changes.headMap(1 << 16).keySet())
        {
            active += changes.get(from);
            entries += everySpan + active + 1;
            longest = Math.max(longest, everySpan + active);
        }
        return new long[] {entries, longest};
    }
}
