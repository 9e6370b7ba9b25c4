package jp.senbetsu.selector.match;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import jp.senbetsu.capture.classify.Category;

/**
 * What survives of flows that were decided: counts per category of selected flows, per category and reason of
 * discarded ones, and per rule of matches. Single-writer (one per pipeline thread); readers such as the metrics
 * endpoint run on other threads. Counters outlive rule-set swaps, so a reload never loses a count.
 *
 * <p>Publication: with plain {@code long[]} stores the JIT may keep a reader's value in a register for ever, and
 * a reader may see a swapped-in per-rule array before its length and zeroes. So the one writer stores each element
 * with {@code setRelease} (a plain store on x86, no fence: the shard thread is not slowed) after reading its own
 * last value plainly, readers load with {@code getAcquire}, and the per-rule arrays are swapped as one
 * {@link RuleCounts} object through a volatile field. Readers may see values a moment old, never torn or cached.
 */
public final class SelectionCounters
{
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int CATEGORIES = Category.values().length;
    private static final int REASONS = DiscardReason.values().length;

    private final long[] selected = new long[CATEGORIES];
    private final long[] discarded = new long[CATEGORIES * REASONS];
    /** The writer's own reference to the per-rule counters (plain: only the writer reads it). */
    private RuleCounts writerRules = new RuleCounts(null, 0);
    /** The same object as published to readers. */
    private volatile RuleCounts publishedRules = writerRules;

    /** Per-rule counters of one compiled rule set, swapped together so a reader never mixes two sets. */
    private record RuleCounts(Object rulesFor, long[] matches, long[] decisions)
    {
        RuleCounts(final Object rulesFor, final int rules)
        {
            this(rulesFor, new long[rules], new long[rules]);
        }
    }

    void selected(final int category)
    {
        increment(selected, category);
    }

    void discarded(final int category, final DiscardReason reason)
    {
        increment(discarded, category * REASONS + reason.ordinal());
    }

    /** Per-rule counters follow the active rule set: they restart when a different set is activated. */
    void ruleHits(final CompiledRuleSet rules, final MatchResult result)
    {
        RuleCounts counts = writerRules;
        if (counts.rulesFor() != rules)
        {
            counts = new RuleCounts(rules, rules.ruleCount());
            writerRules = counts;
            publishedRules = counts;
        }
        increment(counts.decisions(), result.ordinal(0));
        for (int i = 0; i < result.count(); i++)
        {
            increment(counts.matches(), result.ordinal(i));
        }
    }

    /** Single writer: its plain read of its own last store is exact; the release store publishes the sum. */
    private static void increment(final long[] array, final int index)
    {
        LONGS.setRelease(array, index, array[index] + 1);
    }

    private static long read(final long[] array, final int index)
    {
        return (long)LONGS.getAcquire(array, index);
    }

    public long selected(final Category category)
    {
        return read(selected, category.code());
    }

    public long discarded(final Category category, final DiscardReason reason)
    {
        return read(discarded, category.code() * REASONS + reason.ordinal());
    }

    public long totalSelected()
    {
        return sum(selected);
    }

    public long totalDiscarded()
    {
        return sum(discarded);
    }

    private static long sum(final long[] array)
    {
        long sum = 0;
        for (int i = 0; i < array.length; i++)
        {
            sum += read(array, i);
        }
        return sum;
    }

    /** Flows the rule matched under the current rule set. */
    public long ruleMatches(final int ordinal)
    {
        final long[] matches = publishedRules.matches();
        return ordinal < matches.length ? read(matches, ordinal) : 0;
    }

    /** Flows the rule decided (matched first) under the current rule set. */
    public long ruleDecisions(final int ordinal)
    {
        final long[] decisions = publishedRules.decisions();
        return ordinal < decisions.length ? read(decisions, ordinal) : 0;
    }
}
