package jp.senbetsu.store.batch;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.keys.DataKey;

/**
 * Decrypts and authenticates one sealed batch document. Nothing is returned unless the GCM tag (over header and
 * ciphertext) verifies, so a tampered batch never yields records.
 */
public final class BatchOpener
{
    private final BatchHeader header = new BatchHeader();
    private final Cipher cipher;
    private final byte[] nonce = new byte[BatchHeader.NONCE_LENGTH];

    public BatchOpener()
    {
        try
        {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES/GCM unavailable", ex);
        }
    }

    /**
     * Opens the batch in {@code doc[0, length)} into {@code plain}; returns the record count (0 for a recovery
     * document).
     */
    public int open(final DataKey key, final byte[] doc, final int length, final byte[] plain)
    {
        header.wrap(doc);
        final long sequence = header.sequence();
        if (header.type() == BatchHeader.TYPE_RECOVERY)
        {
            return 0;
        }
        final int count = header.recordCount();
        if (length != BatchHeader.LENGTH + header.bodyLength()
            || header.bodyLength() != count * SelectedFlowRecord.LENGTH + BatchHeader.TAG_LENGTH)
        {
            throw new StoreException(key.partition(), sequence, "batch length inconsistent with its header");
        }
        if (!Arrays.equals(doc, BatchHeader.KEY_ID_OFFSET, BatchHeader.KEY_ID_OFFSET
            + BatchHeader.KEY_ID_LENGTH, key.keyId(), 0, BatchHeader.KEY_ID_LENGTH))
        {
            throw new StoreException(key.partition(), sequence, "batch names a key ID that is not the partition's");
        }
        System.arraycopy(doc, BatchHeader.NONCE_OFFSET, nonce, 0, BatchHeader.NONCE_LENGTH);
        try
        {
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(BatchHeader.TAG_LENGTH * 8, nonce));
            cipher.updateAAD(doc, 0, BatchHeader.LENGTH);
            cipher.doFinal(doc, BatchHeader.LENGTH, header.bodyLength(), plain, 0);
            return count;
        }
        catch (final AEADBadTagException ex)
        {
            throw new StoreException(key.partition(), sequence,
                "batch does not authenticate (AES-GCM tag mismatch): header or ciphertext altered", ex);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new StoreException(key.partition(), sequence, "decryption failed: " + ex.getMessage(), ex);
        }
    }
}
