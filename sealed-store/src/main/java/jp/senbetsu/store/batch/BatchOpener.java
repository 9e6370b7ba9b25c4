package jp.senbetsu.store.batch;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import org.agrona.concurrent.UnsafeBuffer;
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
    private final int[] offsets = new int[BatchHeader.MAX_RECORDS];
    private final UnsafeBuffer plainView = new UnsafeBuffer(new byte[0]);

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

    /** Bytes a plaintext buffer for {@link #open} needs: the most records one batch may hold. */
    public static final int PLAIN_CAPACITY = BatchHeader.MAX_RECORDS_LENGTH;

    /**
     * Opens the batch in {@code doc[0, length)} into {@code plain} (room for its records: {@link #PLAIN_CAPACITY}
     * bytes always do); returns
     * the record count (0 for a recovery document). Record {@code i} then starts at {@link #recordOffset(int)}: the
     * records must tile the body exactly, each as long as its own counts say.
     */
    public int open(final DataKey key, final byte[] doc, final int length, final byte[] plain)
    {
        header.wrap(doc);
        final long sequence = header.sequence();
        if (header.type() == BatchHeader.TYPE_RECOVERY)
        {
            return 0;
        }
        final String versionProblem = BatchHeader.versionProblem(header.version());
        if (versionProblem != null)
        {
            throw new StoreException(key.partition(), sequence, versionProblem);
        }
        final int count = header.recordCount();
        if (length != BatchHeader.LENGTH + header.bodyLength()
            || !BatchHeader.recordsBodyPlausible(count, header.bodyLength()))
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
        tile(key.partition(), sequence, plain, header.bodyLength() - BatchHeader.TAG_LENGTH, count);
        return count;
    }

    /** Start of record {@code i} of the batch last opened, in its plaintext buffer. */
    public int recordOffset(final int i)
    {
        return offsets[i];
    }

    /**
     * Finds where each record starts. The body authenticated, so records that do not tile it exactly were written
     * so by a defective writer: the batch is refused rather than read at guessed offsets.
     */
    private void tile(final String partition, final long sequence, final byte[] plain, final int plainLength,
        final int count)
    {
        plainView.wrap(plain, 0, plainLength);
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            final int recordLength = at + SelectedFlowRecord.FIXED_LENGTH <= plainLength
                ? SelectedFlowRecord.lengthAt(plainView, at) : -1;
            if (recordLength < 0 || at + recordLength > plainLength)
            {
                throw new StoreException(partition, sequence, "record " + i + " of " + count + " at byte " + at +
                    " does not fit the batch body of " + plainLength + " bytes (its rule counts are inconsistent)");
            }
            offsets[i] = at;
            at += recordLength;
        }
        if (at != plainLength)
        {
            throw new StoreException(partition, sequence, "the batch's " + count + " records end at byte " + at +
                " of a body of " + plainLength + " bytes");
        }
    }
}
