package jp.senbetsu.store.retention;

/**
 * What erasing one partition destroyed, as recorded in its {@code store.erasure} audit entry: enough for
 * {@code verify} to bridge the chain across the gap and to prove which key and how many records went.
 *
 * @param chainBefore hash the partition's first batch linked to (hex)
 * @param chainAfter  hash of the partition's last batch (hex), which the next batch links to
 */
public record Erasure(String partition, String keyId, String fingerprint, long records, long batches,
    long firstSequence, long lastSequence, String chainBefore, String chainAfter, long expiredAtMs)
{
}
