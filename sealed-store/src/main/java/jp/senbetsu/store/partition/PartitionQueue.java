package jp.senbetsu.store.partition;

import java.nio.file.Path;

import jp.senbetsu.store.StoreException;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * Opens the Chronicle Queue of one partition. The queue's clock is pinned to the partition start, so every
 * document of a partition lands in the same cycle file and a partition is exactly one directory.
 */
public final class PartitionQueue
{
    private PartitionQueue()
    {
    }

    /**
     * Opens for appending, creating the directory if needed. A failure (permissions, a damaged or foreign file in
     * the directory) is a {@link StoreException} naming the partition and directory, not a Chronicle stack trace.
     */
    public static SingleChronicleQueue forAppend(final Path dir, final long startMs, final PartitionCycle cycle)
    {
        try
        {
            return builder(dir, startMs, cycle).build();
        }
        catch (final RuntimeException ex)
        {
            final String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            final int newline = message.indexOf('\n');
            throw new StoreException(PartitionCycle.name(startMs), StoreException.NO_BATCH, "cannot open partition "
                + "queue " + dir + " for appending: " + (newline < 0 ? message : message.substring(0, newline)), ex);
        }
    }

    /** Opens read-only: never writes to, extends or repairs the files it reads (they may be evidence). */
    public static SingleChronicleQueue forRead(final Path dir, final long startMs, final PartitionCycle cycle)
    {
        return builder(dir, startMs, cycle).readOnly(true).build();
    }

    private static SingleChronicleQueueBuilder builder(final Path dir, final long startMs, final PartitionCycle cycle)
    {
        return SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(cycle.rollCycle())
            .timeProvider(() -> startMs)
            .timeoutMS(2_000);
    }
}
