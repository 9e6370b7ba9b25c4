package jp.senbetsu.store;

import java.nio.file.Path;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Run-time tunables of a {@link SealedStore} writer. Defaults in brackets.
 *
 * <ul>
 *   <li>{@code batchRecords} [256]: records per sealed batch at most (1..256).</li>
 *   <li>{@code batchTimeoutNs} [5 ms]: a non-empty batch is sealed at the latest this long after its first
 *       record (checked on append and on {@link SealedStore#poll()}).</li>
 *   <li>{@code durability} [{@link Durability#WRITTEN}]: when a batch counts as acknowledged.</li>
 *   <li>{@code auditCheckpointEvery} [64]: audit entries between signed checkpoints.</li>
 *   <li>{@code epochClock} [system]: decides the partition of each batch.</li>
 *   <li>{@code nanoClock} [system]: measures the batch timeout.</li>
 * </ul>
 */
public final class StoreConfiguration
{
    public static final int DEFAULT_BATCH_RECORDS = 256;
    public static final long DEFAULT_BATCH_TIMEOUT_NS = 5_000_000L;
    public static final int DEFAULT_AUDIT_CHECKPOINT_EVERY = 64;

    private final Path directory;
    private int batchRecords = DEFAULT_BATCH_RECORDS;
    private long batchTimeoutNs = DEFAULT_BATCH_TIMEOUT_NS;
    private Durability durability = Durability.WRITTEN;
    private int auditCheckpointEvery = DEFAULT_AUDIT_CHECKPOINT_EVERY;
    private EpochClock epochClock = SystemEpochClock.INSTANCE;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;

    public StoreConfiguration(final Path directory)
    {
        this.directory = directory;
    }

    public Path directory()
    {
        return directory;
    }

    public StoreLayout layout()
    {
        return new StoreLayout(directory);
    }

    public int batchRecords()
    {
        return batchRecords;
    }

    public StoreConfiguration batchRecords(final int v)
    {
        if (v < 1 || v > DEFAULT_BATCH_RECORDS)
        {
            throw new IllegalArgumentException("batchRecords must be 1.." + DEFAULT_BATCH_RECORDS + ": " + v);
        }
        batchRecords = v;
        return this;
    }

    public long batchTimeoutNs()
    {
        return batchTimeoutNs;
    }

    public StoreConfiguration batchTimeoutNs(final long v)
    {
        batchTimeoutNs = v;
        return this;
    }

    public Durability durability()
    {
        return durability;
    }

    public StoreConfiguration durability(final Durability v)
    {
        durability = v;
        return this;
    }

    public int auditCheckpointEvery()
    {
        return auditCheckpointEvery;
    }

    public StoreConfiguration auditCheckpointEvery(final int v)
    {
        auditCheckpointEvery = v;
        return this;
    }

    public EpochClock epochClock()
    {
        return epochClock;
    }

    public StoreConfiguration epochClock(final EpochClock v)
    {
        epochClock = v;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    public StoreConfiguration nanoClock(final NanoClock v)
    {
        nanoClock = v;
        return this;
    }
}
