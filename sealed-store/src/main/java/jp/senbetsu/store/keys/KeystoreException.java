package jp.senbetsu.store.keys;

import jp.senbetsu.store.StoreException;

/**
 * A key store refused to give a key: wrong passphrase or PIN, missing token, corrupted key file or wrapped key.
 * Raised before any record is decrypted, so no command produces partial output because of it.
 */
public final class KeystoreException extends StoreException
{
    private static final long serialVersionUID = 1L;

    public KeystoreException(final String reason)
    {
        super(reason, null);
    }

    public KeystoreException(final String reason, final Throwable cause)
    {
        super(reason, cause);
    }

    public KeystoreException(final String partition, final String reason, final Throwable cause)
    {
        super(partition, NO_BATCH, reason, cause);
    }
}
