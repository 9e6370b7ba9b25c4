package jp.senbetsu.store.partition;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jp.senbetsu.store.StoreException;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * How wide a partition is. A partition is the unit of keying and of erasure: one data key, one Chronicle Queue
 * directory, deleted whole when its retention has passed. Partitions are named by their UTC start,
 * {@code yyyyMMdd'T'HH'Z'} (daily partitions end in {@code T00Z}), so names sort in time order.
 */
public enum PartitionCycle
{
    HOURLY(3_600_000L, RollCycles.FAST_HOURLY),
    DAILY(86_400_000L, RollCycles.FAST_DAILY);

    private static final DateTimeFormatter NAME =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HH'Z'").withZone(ZoneOffset.UTC);

    private final long lengthMs;
    private final RollCycle rollCycle;

    PartitionCycle(final long lengthMs, final RollCycle rollCycle)
    {
        this.lengthMs = lengthMs;
        this.rollCycle = rollCycle;
    }

    public long lengthMs()
    {
        return lengthMs;
    }

    /** The Chronicle roll cycle of a partition's queue (each partition holds exactly one cycle file). */
    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    /** Start (epoch ms) of the partition holding {@code epochMs}. */
    public long startOf(final long epochMs)
    {
        return Math.floorDiv(epochMs, lengthMs) * lengthMs;
    }

    /** Partition name for a start time in epoch milliseconds. */
    public static String name(final long startMs)
    {
        return NAME.format(Instant.ofEpochMilli(startMs));
    }

    /** Start in epoch milliseconds of a partition name. */
    public static long startOfName(final String name)
    {
        try
        {
            return java.time.LocalDateTime.parse(name, DateTimeFormatter.ofPattern("yyyyMMdd'T'HH'Z'"))
                .toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        catch (final DateTimeParseException ex)
        {
            throw new StoreException(name, StoreException.NO_BATCH, "not a partition name", ex);
        }
    }

    /** Whether a directory name is a partition name. */
    public static boolean isName(final String name)
    {
        return name.length() == 12 && name.charAt(8) == 'T' && name.endsWith("Z")
            && name.chars().limit(8).allMatch(Character::isDigit);
    }
}
