package jp.senbetsu.store.partition;

import java.nio.file.Path;

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

    /** Opens for appending, creating the directory if needed. */
    public static SingleChronicleQueue forAppend(final Path dir, final long startMs, final PartitionCycle cycle)
    {
        return builder(dir, startMs, cycle).build();
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
