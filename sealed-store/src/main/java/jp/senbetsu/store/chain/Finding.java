package jp.senbetsu.store.chain;

/**
 * One thing {@code verify} found wrong: where (partition, batch sequence, Chronicle index) and why.
 *
 * @param sequence batch sequence, or -1 when the finding is not about one batch
 */
public record Finding(String partition, long sequence, long index, String reason)
{
    @Override
    public String toString()
    {
        return "partition " + (partition == null ? "-" : partition) + (sequence >= 0 ? " batch " + sequence : "")
            + ": " + reason;
    }
}
