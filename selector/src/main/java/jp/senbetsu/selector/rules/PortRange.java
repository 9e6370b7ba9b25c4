package jp.senbetsu.selector.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * An inclusive range of transport ports, {@code 53} or {@code 1024-65535} in a rule set.
 *
 * @param from first port.
 * @param to   last port, at least {@code from}.
 */
public record PortRange(int from, int to)
{
    public boolean contains(final int port)
    {
        return port >= from && port <= to;
    }

    /** The same ports as disjoint, non-adjacent ranges in ascending order (overlapping and touching ones joined). */
    public static List<PortRange> merged(final List<PortRange> ranges)
    {
        final List<PortRange> sorted = new ArrayList<>(ranges);
        sorted.sort((x, y) -> Integer.compare(x.from(), y.from()));
        final List<PortRange> out = new ArrayList<>();
        for (final PortRange r : sorted)
        {
            if (!out.isEmpty() && r.from() <= out.getLast().to() + 1)
            {
                final PortRange last = out.removeLast();
                out.add(new PortRange(last.from(), Math.max(last.to(), r.to())));
            }
            else
            {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public String toString()
    {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
