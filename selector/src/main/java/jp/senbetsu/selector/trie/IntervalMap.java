package jp.senbetsu.selector.trie;

import java.util.Arrays;

/**
 * The whole key space of one address family cut into disjoint, sorted intervals, each with an int value:
 * interval {@code k} runs from {@code start(k)} to {@code start(k + 1) - 1}, the first starts at zero and the last
 * runs to the end of the space. It is the resolved form of a set of prefixes, from which {@link Poptrie} is built.
 */
public final class IntervalMap
{
    private long[] startHi = new long[16];
    private long[] startLo = new long[16];
    private int[] values = new int[16];
    private int size;

    /**
     * Sets the value from {@code (hi, lo)} onwards. Starts must not decrease; a start equal to the previous one
     * replaces its value, and a value equal to the previous interval's merges into it.
     */
    public void append(final long hi, final long lo, final int value)
    {
        if (size > 0 && startHi[size - 1] == hi && startLo[size - 1] == lo)
        {
            size--;
        }
        if (size > 0 && values[size - 1] == value)
        {
            return;
        }
        if (size == startHi.length)
        {
            startHi = Arrays.copyOf(startHi, size * 2);
            startLo = Arrays.copyOf(startLo, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        startHi[size] = hi;
        startLo[size] = lo;
        values[size] = value;
        size++;
    }

    public int size()
    {
        return size;
    }

    public long startHi(final int index)
    {
        return startHi[index];
    }

    public long startLo(final int index)
    {
        return startLo[index];
    }

    public int value(final int index)
    {
        return values[index];
    }

    /** Index of the interval that holds the key (binary search). */
    public int indexOf(final long hi, final long lo)
    {
        int low = 0;
        int high = size - 1;
        while (low < high)
        {
            final int mid = (low + high + 1) >>> 1;
            if (Key128.compare(startHi[mid], startLo[mid], hi, lo) <= 0)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }

    /** Value of the interval holding the key. */
    public int valueAt(final long hi, final long lo)
    {
        return values[indexOf(hi, lo)];
    }
}
