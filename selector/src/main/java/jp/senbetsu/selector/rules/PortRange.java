package jp.senbetsu.selector.rules;

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

    @Override
    public String toString()
    {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
