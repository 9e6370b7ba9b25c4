package jp.senbetsu.selector.match;

import java.util.Arrays;

/**
 * How one flow was decided: its category, the table attributes of its ends, and the rules it matched in priority
 * order. A per-thread scratch object the matcher fills without allocating (it grows only when a larger rule set
 * is activated).
 */
public final class MatchResult
{
    private int[] ordinals = new int[16];
    private int count;
    private int srcAttribute;
    private int dstAttribute;
    private int category;

    void classified(final int srcAttribute, final int dstAttribute, final int category)
    {
        this.srcAttribute = srcAttribute;
        this.dstAttribute = dstAttribute;
        this.category = category;
    }

    /** Domestic-table attribute of the source address. */
    public int srcAttribute()
    {
        return srcAttribute;
    }

    /** Domestic-table attribute of the destination address. */
    public int dstAttribute()
    {
        return dstAttribute;
    }

    /** Category code of the flow. */
    public int category()
    {
        return category;
    }

    void reset(final int ruleCount)
    {
        // one slot more than rules: a matcher may write a last candidate's slot before knowing it failed
        if (ordinals.length <= ruleCount)
        {
            ordinals = new int[ruleCount + 1];
        }
        count = 0;
    }

    /** Zeroes what this result holds of its flow: attributes, category and the ordinal slots written. */
    void wipe()
    {
        Arrays.fill(ordinals, 0, Math.min(ordinals.length, count + 1), 0);
        count = 0;
        srcAttribute = 0;
        dstAttribute = 0;
        category = 0;
    }

    void add(final int ordinal)
    {
        ordinals[count++] = ordinal;
    }

    /**
     * The ordinal slots, for a matcher that writes each candidate's ordinal and then advances {@link #count(int)}
     * only if it passed; after {@code reset(ruleCount)} it has room for every rule and one slot more.
     */
    int[] ordinals()
    {
        return ordinals;
    }

    void count(final int count)
    {
        this.count = count;
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
