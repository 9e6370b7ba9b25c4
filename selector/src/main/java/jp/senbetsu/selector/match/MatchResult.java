package jp.senbetsu.selector.match;

/**
 * The rules one flow matched, in priority order: a per-thread scratch object the matcher fills without
 * allocating (it grows only when a larger rule set is activated).
 */
public final class MatchResult
{
    private int[] ordinals = new int[16];
    private int count;

    void reset(final int ruleCount)
    {
        if (ordinals.length < ruleCount)
        {
            ordinals = new int[ruleCount];
        }
        count = 0;
    }

    void add(final int ordinal)
    {
        ordinals[count++] = ordinal;
    }

    /** Number of matching rules. */
    public int count()
    {
        return count;
    }

    /** Ordinal of the i-th matching rule; index 0 is the deciding rule. */
    public int ordinal(final int index)
    {
        return ordinals[index];
    }
}
