package jp.senbetsu.store.keys;

/**
 * Where the master key lives. The master key never leaves it: callers hand in data keys to be sealed
 * (AES-256-GCM under the master key) and get sealed blobs back, and the reverse. Two implementations: a PKCS#11
 * token ({@link Pkcs11Token}, an HSM on a deployed appliance, SoftHSM2 in tests) and a passphrase-protected key
 * file ({@link PassphraseKeyFile}) for labs.
 *
 * <p>Master keys are versioned so that rotation can re-seal every data key under a new master key and then
 * destroy the old one.
 */
public interface MasterKeyStore extends AutoCloseable
{
    /** The master key new data keys are sealed under. */
    String currentMasterKeyId();

    /** AES-256-GCM encryption under a master key; {@code nonce} must never have been used with that key. */
    byte[] seal(String masterKeyId, byte[] nonce, byte[] aad, byte[] plaintext);

    /** The reverse of {@link #seal}; a {@link KeystoreException} if the blob does not authenticate. */
    byte[] open(String masterKeyId, byte[] nonce, byte[] aad, byte[] sealed);

    /** Makes a new master key, which becomes current, and returns its ID. */
    String createMasterKey();

    /** Destroys a master key inside the store (crypto-shredding of everything sealed only under it). */
    void destroyMasterKey(String masterKeyId);

    /** What credential opened this store, for the audit log: never the secret itself. */
    String credentialDescription();

    @Override
    void close();
}
