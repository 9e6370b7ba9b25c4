package jp.senbetsu.selector.trie;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Resolves a set of prefixes of one family into an {@link IntervalMap}. Prefixes are laminar (any two are nested
 * or disjoint), so a sweep in address order with a stack of the prefixes covering the current point visits every
 * elementary interval once; the caller says how the covering prefixes (outermost first) become a value: the
 * domestic table picks a winner by layer and length, the matcher takes the union of rule ordinals.
 */
public final class PrefixSweep
{
    private PrefixSweep()
    {
    }

    public static <T> IntervalMap sweep(
        final List<T> items, final Function<T, Cidr> cidrOf, final ToIntFunction<List<T>> valueOf)
    {
        final List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.<T, Cidr>comparing(cidrOf, (a, b) ->
        {
            final int c = Key128.compare(a.hi(), a.lo(), b.hi(), b.lo());
            return c != 0 ? c : Integer.compare(a.length(), b.length());
        }));
        final IntervalMap map = new IntervalMap();
        final List<T> stack = new ArrayList<>();
        map.append(0, 0, valueOf.applyAsInt(stack));
        for (final T item : sorted)
        {
            final Cidr cidr = cidrOf.apply(item);
            popEndedBefore(stack, cidrOf, cidr.hi(), cidr.lo(), map, valueOf);
            stack.add(item);
            map.append(cidr.hi(), cidr.lo(), valueOf.applyAsInt(stack));
        }
        // prefixes ending at the very last key stay on the stack: nothing follows them
        popEndedBefore(stack, cidrOf, -1L, -1L, map, valueOf);
        return map;
    }

    private static <T> void popEndedBefore(
        final List<T> stack,
        final Function<T, Cidr> cidrOf,
        final long hi,
        final long lo,
        final IntervalMap map,
        final ToIntFunction<List<T>> valueOf)
    {
        while (!stack.isEmpty())
        {
            final Cidr top = cidrOf.apply(stack.getLast());
            final long endHi = top.endHi();
            final long endLo = top.endLo();
            if (Key128.compare(endHi, endLo, hi, lo) >= 0)
            {
                return;
            }
            stack.removeLast();
            map.append(Key128.incrementHi(endHi, endLo), Key128.incrementLo(endLo), valueOf.applyAsInt(stack));
        }
    }
}
