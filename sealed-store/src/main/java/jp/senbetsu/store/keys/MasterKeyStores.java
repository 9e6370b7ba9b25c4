package jp.senbetsu.store.keys;

import java.nio.file.Path;

/**
 * Opens the master key store a store was initialised with ({@code passphrase} key file or {@code pkcs11} token).
 */
public final class MasterKeyStores
{
    private MasterKeyStores()
    {
    }

    /**
     * @param type      {@code passphrase} or {@code pkcs11}
     * @param location  the key file, or the SunPKCS11 configuration file
     * @param storeId   names the store's master keys in a shared token
     */
    public static MasterKeyStore open(final String type, final Path location, final String storeId,
        final KeystoreCredential credential)
    {
        return switch (type)
        {
            case "passphrase" -> PassphraseKeyFile.open(location, credential.secret());
            case "pkcs11" -> Pkcs11Token.login(location, credential.secret(), aliasPrefix(storeId));
            default -> throw new KeystoreException("unknown key store type '" + type + "' (passphrase or pkcs11)");
        };
    }

    /** Prefix of a store's master key objects in a PKCS#11 token. */
    public static String aliasPrefix(final String storeId)
    {
        return "senbetsu-" + storeId.substring(0, Math.min(12, storeId.length()));
    }
}
