package jp.senbetsu.selector.match;

import java.util.Arrays;

/**
 * The decisions of one batch of flows ({@link Selector#decide(jp.senbetsu.capture.record.FlowRecord[], int,
 * DecisionBatch)}): per flow its category, its matching rules and whether it is selected, plus the scratch the
 * batched lookup walks in. Deciding flows in batches lets the cache misses of different flows overlap, which the
 * one-flow path cannot do. Pre-sized for {@link #CAPACITY} flows; one per pipeline thread, not thread-safe.
 */
public final class DecisionBatch
{
    /** Most flows one batch decides. */
    public static final int CAPACITY = 32;

    final MatchResult[] results = new MatchResult[CAPACITY];
    final int[] categories = new int[CAPACITY];
    final boolean[] selected = new boolean[CAPACITY];
    Selection decidedBy;
    int count;

    // scratch of the batched lookup: per flow its IP version, two IPv4 or IPv6 addresses, the trie values (leaf
    // record indices) of the two, and the walks' positions
    final int[] versions = new int[CAPACITY];
    final int[] addresses4 = new int[2 * CAPACITY];
    final long[] addresses6 = new long[4 * CAPACITY];
    final int[] values4 = new int[2 * CAPACITY];
    final int[] values6 = new int[2 * CAPACITY];
    final int[] pending = new int[2 * CAPACITY];
    final int[] positions = new int[2 * CAPACITY];
    // scratch of the batched merge: per flow that may match its end time, protocol and ports flag, ports,
    // category bit, its cursors into the set pool (its source's run, its destination's run) and into the
    // unaddressed rules, and its matches so far
    final long[] times = new long[CAPACITY];
    final int[] facts = new int[CAPACITY];
    final int[] ports = new int[CAPACITY];
    final long[] categoryBits = new long[CAPACITY];
    final int[] runA = new int[CAPACITY];
    final int[] runB = new int[CAPACITY];
    final int[] runU = new int[CAPACITY];
    /** Per flow where its two runs end (their {@code RUN_END}), as far as the leaf records' length hints say. */
    final int[] endA = new int[CAPACITY];
    final int[] endB = new int[CAPACITY];
    final int[] matched = new int[CAPACITY];
    /** Per flow the ordinal slots of its result (see {@link MatchResult}). */
    final int[][] slots = new int[CAPACITY][];

    /** Sum of the values read only to start their cache misses early; kept so the reads are not optimised away. */
    long touched;

    public DecisionBatch()
    {
        for (int i = 0; i < CAPACITY; i++)
        {
            results[i] = new MatchResult();
        }
    }

    /**
     * Forgets the last batch: zeroes everything it holds of its flows (addresses, ports, times, leaves, candidate
     * cursors, attributes, categories, matches) and lets go of the selection that decided it. Call it once the
     * selected records are written, so that a discarded flow leaves nothing here, only the selector's counters.
     */
    public void clear()
    {
        final int n = count;
        final int n2 = 2 * n;
        Arrays.fill(versions, 0, n, 0);
        Arrays.fill(addresses4, 0, n2, 0);
        Arrays.fill(addresses6, 0, 2 * n2, 0);
        Arrays.fill(values4, 0, n2, 0);
        Arrays.fill(values6, 0, n2, 0);
        Arrays.fill(pending, 0, n2, 0);
        Arrays.fill(positions, 0, n2, 0);
        Arrays.fill(times, 0, n, 0);
        Arrays.fill(facts, 0, n, 0);
        Arrays.fill(ports, 0, n, 0);
        Arrays.fill(categoryBits, 0, n, 0);
        Arrays.fill(runA, 0, n, 0);
        Arrays.fill(runB, 0, n, 0);
        Arrays.fill(runU, 0, n, 0);
        Arrays.fill(endA, 0, n, 0);
        Arrays.fill(endB, 0, n, 0);
        Arrays.fill(matched, 0, n, 0);
        Arrays.fill(categories, 0, n, 0);
        Arrays.fill(selected, 0, n, false);
        for (int i = 0; i < n; i++)
        {
            results[i].wipe();
        }
        touched = 0;
        decidedBy = null;
        count = 0;
    }

    /** Whether {@link #clear()} has run since the last batch (or none was decided): nothing of a flow is held. */
    public boolean cleared()
    {
        return count == 0 && decidedBy == null;
    }

    /** Flows in the last batch decided. */
    public int count()
    {
        return count;
    }

    /** Whether flow {@code index} of the last batch is selected. */
    public boolean selected(final int index)
    {
        return selected[index];
    }

    /** Category code of flow {@code index} of the last batch. */
    public int category(final int index)
    {
        return categories[index];
    }

    /** Matching rules of flow {@code index} of the last batch (empty if it was discarded before matching). */
    public MatchResult result(final int index)
    {
        return results[index];
    }

    /** The selection that decided the whole last batch; null if none was active. */
    public Selection decidedBy()
    {
        return decidedBy;
    }
}
