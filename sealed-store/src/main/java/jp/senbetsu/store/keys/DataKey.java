package jp.senbetsu.store.keys;

import javax.crypto.spec.SecretKeySpec;

/**
 * A partition's AES-256 data key, unsealed in process memory for as long as the partition is open.
 *
 * @param keyId       random 16-byte identifier written into every batch header
 * @param partition   partition name the key belongs to
 * @param key         the key itself
 * @param fingerprint SHA-256 of a label and the key bytes, first 16 bytes in hex: identifies the key in erasure
 *                    records without revealing it
 */
public record DataKey(byte[] keyId, String partition, SecretKeySpec key, String fingerprint)
{
}
