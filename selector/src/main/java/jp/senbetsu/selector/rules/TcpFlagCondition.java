package jp.senbetsu.selector.rules;

/**
 * A TCP flag test on the union of flags seen in both directions of a flow: {@code (flags & mask) == value}.
 * Written in a rule set as {@code tcp_flags: {set: [syn], unset: [ack]}}; a flag test implies TCP.
 *
 * @param mask  flags that are tested.
 * @param value required state of the tested flags.
 */
public record TcpFlagCondition(int mask, int value)
{
    public static final String[] NAMES = {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"};

    public boolean matches(final int flags)
    {
        return (flags & mask) == value;
    }

    /** Bit of a flag name, -1 if unknown. */
    public static int bitOf(final String name)
    {
        for (int i = 0; i < NAMES.length; i++)
        {
            if (NAMES[i].equals(name))
            {
                return 1 << i;
            }
        }
        return -1;
    }
}
