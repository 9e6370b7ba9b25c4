package jp.senbetsu.selector.match;

import jp.senbetsu.capture.classify.Category;

/**
 * What survives of flows that were decided: counts per category of selected flows, per category and reason of
 * discarded ones, and per rule of matches. Single-writer (one per pipeline thread); readers such as the metrics
 * endpoint may see slightly stale values. Counters outlive rule-set swaps, so a reload never loses a count.
 */
public final class SelectionCounters
{
    private static final int CATEGORIES = Category.values().length;
    private static final int REASONS = DiscardReason.values().length;

    private final long[] selected = new long[CATEGORIES];
    private final long[] discarded = new long[CATEGORIES * REASONS];
    private long[] ruleMatches = new long[0];
    private long[] ruleDecisions = new long[0];
    private Object rulesFor;

    void selected(final int category)
    {
        selected[category]++;
    }

    void discarded(final int category, final DiscardReason reason)
    {
        discarded[category * REASONS + reason.ordinal()]++;
    }

    /** Per-rule counters follow the active rule set: they restart when a different set is activated. */
    void ruleHits(final CompiledRuleSet rules, final MatchResult result)
    {
        if (rulesFor != rules)
        {
            rulesFor = rules;
            ruleMatches = new long[rules.ruleCount()];
            ruleDecisions = new long[rules.ruleCount()];
        }
        ruleDecisions[result.ordinal(0)]++;
        for (int i = 0; i < result.count(); i++)
        {
            ruleMatches[result.ordinal(i)]++;
        }
    }

    public long selected(final Category category)
    {
        return selected[category.code()];
    }

    public long discarded(final Category category, final DiscardReason reason)
    {
        return discarded[category.code() * REASONS + reason.ordinal()];
    }

    public long totalSelected()
    {
        long sum = 0;
        for (final long v : selected)
        {
            sum += v;
        }
        return sum;
    }

    public long totalDiscarded()
    {
        long sum = 0;
        for (final long v : discarded)
        {
            sum += v;
        }
        return sum;
    }

    /** Flows the rule matched under the current rule set. */
    public long ruleMatches(final int ordinal)
    {
        return ordinal < ruleMatches.length ? ruleMatches[ordinal] : 0;
    }

    /** Flows the rule decided (matched first) under the current rule set. */
    public long ruleDecisions(final int ordinal)
    {
        return ordinal < ruleDecisions.length ? ruleDecisions[ordinal] : 0;
    }
}
