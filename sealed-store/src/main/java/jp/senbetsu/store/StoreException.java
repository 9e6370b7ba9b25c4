package jp.senbetsu.store;

import jp.senbetsu.capture.SenbetsuException;

/**
 * A sealed-store failure a person can act on: a tampered or torn file, a missing partition, a refused access.
 * The message names the partition, the batch sequence (when one is involved) and the reason, and never carries
 * record bytes.
 */
public class StoreException extends SenbetsuException
{
    /** Sequence value meaning "no particular batch". */
    public static final long NO_BATCH = -1;

    private static final long serialVersionUID = 1L;

    private final String partition;
    private final long batchSequence;
    private final String reason;

    public StoreException(final String partition, final long batchSequence, final String reason)
    {
        this(partition, batchSequence, reason, null);
    }

    public StoreException(final String partition, final long batchSequence, final String reason, final Throwable cause)
    {
        super(describe(partition, batchSequence, reason), EXIT_RUNTIME, cause);
        this.partition = partition;
        this.batchSequence = batchSequence;
        this.reason = reason;
    }

    /** A failure that concerns the store as a whole (no partition or batch). */
    public StoreException(final String reason, final Throwable cause)
    {
        this(null, NO_BATCH, reason, cause);
    }

    /** A failure that concerns the store as a whole, with the exit code for the CLI. */
    public StoreException(final String reason, final int exitCode)
    {
        super(reason, exitCode, null);
        this.partition = null;
        this.batchSequence = NO_BATCH;
        this.reason = reason;
    }

    /** Partition name (e.g. {@code 20261127T07Z}), or null when the failure is not about one partition. */
    public String partition()
    {
        return partition;
    }

    /** Batch sequence, or {@link #NO_BATCH}. */
    public long batchSequence()
    {
        return batchSequence;
    }

    /** The reason alone, without partition and batch. */
    public String reason()
    {
        return reason;
    }

    private static String describe(final String partition, final long batchSequence, final String reason)
    {
        final StringBuilder sb = new StringBuilder("store");
        if (partition != null)
        {
            sb.append(" partition ").append(partition);
        }
        if (batchSequence != NO_BATCH)
        {
            sb.append(" batch ").append(batchSequence);
        }
        return sb.append(": ").append(reason).toString();
    }
}
