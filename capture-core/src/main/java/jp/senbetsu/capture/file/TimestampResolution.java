package jp.senbetsu.capture.file;

/**
 * The unit of an interface's timestamps and its conversion to nanoseconds: a pcapng {@code if_tsresol} value
 * (10^-n when the high bit is clear, 2^-n when it is set; default 10^-6), or the micro-/nanosecond unit of a
 * classic pcap file. Conversion allocates nothing: decimal units are multiplied or divided by a precomputed
 * power of ten, binary units are split into whole seconds and a 64-bit binary fraction that is scaled with one
 * unsigned high multiply (truncating, never rounding up into the next second).
 */
public final class TimestampResolution
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long[] POWERS_OF_TEN = new long[19];

    static
    {
        long power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++)
        {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    /** Microseconds: classic pcap and the pcapng default. */
    public static final TimestampResolution MICROSECONDS = new TimestampResolution(6);
    /** Nanoseconds: classic pcap with the a1b23c4d magic. */
    public static final TimestampResolution NANOSECONDS = new TimestampResolution(9);

    private final int tsresol;
    private final int binaryExponent;
    private final long multiplier;
    private final long divisor;
    private final long unitsPerSecond;

    private TimestampResolution(final int tsresol)
    {
        this.tsresol = tsresol;
        if ((tsresol & 0x80) != 0)
        {
            binaryExponent = tsresol & 0x7F;
            multiplier = 0;
            divisor = 0;
            unitsPerSecond = binaryExponent < 63 ? 1L << binaryExponent : Long.MAX_VALUE;
        }
        else
        {
            binaryExponent = -1;
            multiplier = tsresol <= 9 ? POWERS_OF_TEN[9 - tsresol] : 0;
            divisor = tsresol > 9 ? POWERS_OF_TEN[tsresol - 9] : 0;
            unitsPerSecond = tsresol <= 18 ? POWERS_OF_TEN[tsresol] : Long.MAX_VALUE;
        }
    }

    /**
     * The resolution an {@code if_tsresol} option byte describes.
     *
     * @return null when the value cannot be represented (10^-n with n above 27, or 2^-n with n above 63).
     */
    static TimestampResolution ofTsresol(final int tsresol)
    {
        final int value = tsresol & 0xFF;
        if (value == 6)
        {
            return MICROSECONDS;
        }
        if (value == 9)
        {
            return NANOSECONDS;
        }
        if ((value & 0x80) == 0 ? value > 27 : (value & 0x7F) > 63)
        {
            return null;
        }
        return new TimestampResolution(value);
    }

    /** Nanoseconds of a count of units (a pcapng 64-bit timestamp, unsigned). */
    public long toNanos(final long units)
    {
        if (binaryExponent >= 0)
        {
            if (binaryExponent == 0)
            {
                return units * NANOS_PER_SECOND;
            }
            final long seconds = units >>> binaryExponent;
            final long fraction = units << (64 - binaryExponent);
            return seconds * NANOS_PER_SECOND + Math.unsignedMultiplyHigh(fraction, NANOS_PER_SECOND);
        }
        if (multiplier != 0)
        {
            return units * multiplier;
        }
        return Long.divideUnsigned(units, divisor);
    }

    /**
     * Nanoseconds of a classic pcap timestamp (seconds and sub-second units, both unsigned 32-bit). A sub-second
     * value of a second or more is carried into the seconds, see {@link #isValidSubsecond(long)}.
     */
    long toNanos(final long seconds, final long subsecond)
    {
        return seconds * NANOS_PER_SECOND + toNanos(subsecond);
    }

    /** Whether a classic pcap sub-second value is below one second. */
    boolean isValidSubsecond(final long subsecond)
    {
        return subsecond < unitsPerSecond;
    }

    /** The {@code if_tsresol} byte: 6 for microseconds, 9 for nanoseconds, 0x80|n for 2^-n. */
    public int tsresol()
    {
        return tsresol;
    }

    @Override
    public String toString()
    {
        return binaryExponent >= 0 ? "2^-" + binaryExponent : "10^-" + tsresol;
    }
}
