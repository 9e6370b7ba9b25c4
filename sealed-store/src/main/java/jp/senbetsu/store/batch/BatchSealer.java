package jp.senbetsu.store.batch;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.chain.ChainHash;
import jp.senbetsu.store.keys.DataKey;
import jp.senbetsu.store.keys.NonceCounter;

/**
 * Turns a batch of plaintext records into one sealed document: header (the AES-GCM associated data) followed by
 * the AES-256-GCM ciphertext and tag, chained to the previous document by its SHA-256 hash.
 *
 * <p>Works on pre-allocated arrays; per batch it allocates only the JCE's parameter object.
 */
public final class BatchSealer
{
    private final BatchHeader header = new BatchHeader();
    private final Cipher cipher;
    private final byte[] nonce = new byte[BatchHeader.NONCE_LENGTH];
    private DataKey key;
    private NonceCounter nonces;
    private long partitionStartSeconds;

    public BatchSealer()
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

    /** Switches to a partition's key and nonce counter. */
    public void use(final DataKey key, final NonceCounter nonces, final long partitionStartSeconds)
    {
        this.key = key;
        this.nonces = nonces;
        this.partitionStartSeconds = partitionStartSeconds;
    }

    /**
     * Seals {@code count} records, the first {@code plainLength} bytes of {@code plain}, into {@code doc}, linking
     * to {@code chain}'s current hash and advancing it. Returns the document length.
     */
    public int seal(final byte[] plain, final int count, final int plainLength, final long sequence,
        final ChainHash chain, final byte[] doc)
    {
        final int bodyLength = plainLength + BatchHeader.TAG_LENGTH;
        if (!BatchHeader.recordsBodyPlausible(count, bodyLength))
        {
            // a writer defect: such a batch would be refused by every reader
            throw new IllegalStateException(count + " records cannot take " + plainLength + " bytes");
        }
        header.wrap(doc).fill(BatchHeader.TYPE_RECORDS, partitionStartSeconds, sequence, count, bodyLength);
        System.arraycopy(key.keyId(), 0, doc, BatchHeader.KEY_ID_OFFSET, BatchHeader.KEY_ID_LENGTH);
        nonces.next(nonce, 0);
        System.arraycopy(nonce, 0, doc, BatchHeader.NONCE_OFFSET, BatchHeader.NONCE_LENGTH);
        chain.copyHead(doc, BatchHeader.PREVIOUS_HASH_OFFSET);
        try
        {
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(BatchHeader.TAG_LENGTH * 8, nonce));
            cipher.updateAAD(doc, 0, BatchHeader.LENGTH);
            final int written = cipher.doFinal(plain, 0, plainLength, doc, BatchHeader.LENGTH);
            if (written != bodyLength)
            {
                throw new IllegalStateException("GCM wrote " + written + " bytes, expected " + bodyLength);
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new StoreException(key.partition(), sequence, "sealing failed: " + ex.getMessage(), ex);
        }
        final int length = BatchHeader.LENGTH + bodyLength;
        chain.advance(doc, length);
        return length;
    }

    /**
     * Writes a recovery document into {@code doc}: it names a torn document that is ignored, and links the chain
     * past it. Returns the document length.
     */
    public int sealRecovery(final long sequence, final ChainHash chain, final byte[] tornHash, final long tornLength,
        final long tornIndex, final byte[] doc)
    {
        header.wrap(doc).fill(BatchHeader.TYPE_RECOVERY, partitionStartSeconds, sequence, 0,
            BatchHeader.RECOVERY_BODY_LENGTH);
        System.arraycopy(key.keyId(), 0, doc, BatchHeader.KEY_ID_OFFSET, BatchHeader.KEY_ID_LENGTH);
        Arrays.fill(doc, BatchHeader.NONCE_OFFSET, BatchHeader.NONCE_OFFSET + BatchHeader.NONCE_LENGTH,
            (byte)0);
        chain.copyHead(doc, BatchHeader.PREVIOUS_HASH_OFFSET);
        System.arraycopy(tornHash, 0, doc, BatchHeader.LENGTH, BatchHeader.HASH_LENGTH);
        header.buffer().putLong(BatchHeader.LENGTH + BatchHeader.HASH_LENGTH, tornLength);
        header.buffer().putLong(BatchHeader.LENGTH + BatchHeader.HASH_LENGTH + 8, tornIndex);
        final int length = BatchHeader.LENGTH + BatchHeader.RECOVERY_BODY_LENGTH;
        chain.advance(doc, length);
        return length;
    }
}
