package jp.senbetsu.capture.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The lab tools' number formatting writes exactly what {@link Long#toString(long)} does. */
class JsonLineTest
{
    private final JsonLine line = new JsonLine();

    @Test
    void numbersAtEveryLengthAndBoundaryAreWrittenAsLongToStringWritesThem()
    {
        long power = 1;
        for (int digits = 1; digits <= 19; digits++)
        {
            for (final long v : new long[] {power - 1, power, power + 1, power * 5, -power, -(power - 1)})
            {
                check(v);
            }
            power = digits < 19 ? power * 10 : power;
        }
        for (final long v : new long[] {0, 7, 42, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1})
        {
            check(v);
        }
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++)
        {
            // every magnitude equally often, not only 19-digit values
            check(random.nextLong() >> random.nextInt(64));
        }
    }

    @Test
    void numbersFollowWhatTheLineAlreadyHolds()
    {
        line.reset();
        line.put('[');
        line.number(1_700_000_000_123_456_789L);
        line.put(',');
        line.number(-5);
        line.put(']');
        assertEquals("[1700000000123456789,-5]", new String(line.bytes(), 0, line.length(), StandardCharsets.US_ASCII));
    }

    private void check(final long value)
    {
        line.reset();
        line.number(value);
        assertEquals(Long.toString(value), new String(line.bytes(), 0, line.length(), StandardCharsets.US_ASCII));
    }
}
