package jp.senbetsu.store.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.security.auth.login.LoginException;

/**
 * Master keys as non-extractable AES-256 objects in a PKCS#11 token, through the JDK's SunPKCS11 provider.
 * Data keys are sealed with AES/GCM inside the token (SoftHSM2 2.6 offers neither AES-KW nor GCM WRAP_MODE,
 * so sealing is ENCRYPT/DECRYPT of the data key bytes; the master key itself never leaves the token).
 *
 * <p>Master keys are token objects named {@code <prefix>-m<n>}; the highest {@code n} is current. The prefix
 * includes the store ID so several stores can share one token.
 */
public final class Pkcs11Token implements MasterKeyStore
{
    private final Path providerConfig;
    private final Provider provider;
    private final KeyStore keyStore;
    private final String prefix;

    private Pkcs11Token(final Path providerConfig, final Provider provider, final KeyStore keyStore,
        final String prefix)
    {
        this.providerConfig = providerConfig;
        this.provider = provider;
        this.keyStore = keyStore;
        this.prefix = prefix;
    }

    /**
     * Logs in to the token named by a SunPKCS11 configuration file ({@code name}, {@code library},
     * {@code slot} or {@code slotListIndex}).
     */
    public static Pkcs11Token login(final Path providerConfig, final char[] pin, final String prefix)
    {
        if (!Files.isRegularFile(providerConfig))
        {
            throw new KeystoreException("PKCS#11 provider configuration " + providerConfig + " not found");
        }
        final Provider provider;
        try
        {
            final Provider base = Security.getProvider("SunPKCS11");
            if (base == null)
            {
                throw new KeystoreException("the JDK's SunPKCS11 provider is not available");
            }
            provider = base.configure(providerConfig.toString());
        }
        catch (final ProviderException | InvalidParameterException ex)
        {
            throw new KeystoreException("PKCS#11 token not available (configuration " + providerConfig + "): "
                + rootMessage(ex), ex);
        }
        try
        {
            final KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            logout(provider);
            keyStore.load(null, pin);
            return new Pkcs11Token(providerConfig, provider, keyStore, prefix);
        }
        catch (final IOException ex)
        {
            if (hasCause(ex, LoginException.class) || rootMessage(ex).contains("CKR_PIN_INCORRECT"))
            {
                throw new KeystoreException("PKCS#11 login refused (configuration " + providerConfig
                    + "): wrong PIN", ex);
            }
            throw new KeystoreException("PKCS#11 token not available (configuration " + providerConfig + "): "
                + rootMessage(ex), ex);
        }
        catch (final GeneralSecurityException | ProviderException ex)
        {
            throw new KeystoreException("PKCS#11 token not available (configuration " + providerConfig + "): "
                + rootMessage(ex), ex);
        }
    }

    @Override
    public String currentMasterKeyId()
    {
        final List<String> ids = masterKeyIds();
        if (ids.isEmpty())
        {
            throw new KeystoreException("no master key " + prefix + "-m* in PKCS#11 token (configuration "
                + providerConfig + ")");
        }
        return ids.get(ids.size() - 1);
    }

    /** Master key aliases of this store in the token, oldest first. */
    public List<String> masterKeyIds()
    {
        try
        {
            final List<String> ids = new ArrayList<>();
            for (final String alias : Collections.list(keyStore.aliases()))
            {
                if (alias.startsWith(prefix + "-m"))
                {
                    ids.add(alias);
                }
            }
            ids.sort((a, b) -> Integer.compare(version(a), version(b)));
            return ids;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new KeystoreException("cannot list PKCS#11 token objects: " + ex.getMessage(), ex);
        }
    }

    @Override
    public byte[] seal(final String masterKeyId, final byte[] nonce, final byte[] aad, final byte[] plaintext)
    {
        try
        {
            return gcm(Cipher.ENCRYPT_MODE, masterKeyId, nonce, aad, plaintext);
        }
        catch (final GeneralSecurityException | ProviderException ex)
        {
            throw new KeystoreException("PKCS#11 sealing under " + masterKeyId + " failed: " + rootMessage(ex), ex);
        }
    }

    @Override
    public byte[] open(final String masterKeyId, final byte[] nonce, final byte[] aad, final byte[] sealed)
    {
        try
        {
            return gcm(Cipher.DECRYPT_MODE, masterKeyId, nonce, aad, sealed);
        }
        catch (final GeneralSecurityException | ProviderException ex)
        {
            throw new KeystoreException("sealed key does not authenticate under PKCS#11 master key " + masterKeyId
                + " (corrupted or sealed under another key)", ex);
        }
    }

    @Override
    public String createMasterKey()
    {
        final List<String> ids = masterKeyIds();
        final int next = ids.isEmpty() ? 1 : version(ids.get(ids.size() - 1)) + 1;
        final String alias = prefix + "-m" + next;
        try
        {
            final KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
            generator.init(256);
            final SecretKey key = generator.generateKey();
            keyStore.setKeyEntry(alias, key, null, null);
            return alias;
        }
        catch (final GeneralSecurityException | ProviderException ex)
        {
            throw new KeystoreException("cannot create master key " + alias + " in PKCS#11 token: "
                + rootMessage(ex), ex);
        }
    }

    @Override
    public void destroyMasterKey(final String masterKeyId)
    {
        try
        {
            keyStore.deleteEntry(masterKeyId);
        }
        catch (final GeneralSecurityException | ProviderException ex)
        {
            throw new KeystoreException("cannot destroy PKCS#11 master key " + masterKeyId + ": "
                + rootMessage(ex), ex);
        }
    }

    @Override
    public String credentialDescription()
    {
        return "PKCS#11 token (configuration " + providerConfig.toAbsolutePath() + ")";
    }

    @Override
    public void close()
    {
        // SunPKCS11 keeps its session pool until the provider is collected; nothing secret is held here
    }

    private byte[] gcm(final int mode, final String alias, final byte[] nonce, final byte[] aad,
        final byte[] input) throws GeneralSecurityException
    {
        final Key key = keyStore.getKey(alias, null);
        if (key == null)
        {
            throw new KeystoreException("master key " + alias + " not found in PKCS#11 token (configuration "
                + providerConfig + ")");
        }
        final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
        cipher.init(mode, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    /**
     * PKCS#11 login state belongs to the whole process: once any session logged in, a later login with a wrong
     * PIN would "succeed". Logging out first makes every login check its PIN.
     */
    private static void logout(final Provider provider)
    {
        if (provider instanceof AuthProvider auth)
        {
            try
            {
                auth.logout();
            }
            catch (final LoginException | ProviderException ignored)
            {
                // not logged in: nothing to undo
            }
        }
    }

    private static int version(final String alias)
    {
        return Integer.parseInt(alias.substring(alias.lastIndexOf("-m") + 2));
    }

    private static boolean hasCause(final Throwable ex, final Class<?> type)
    {
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (type.isInstance(t))
            {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(final Throwable ex)
    {
        Throwable t = ex;
        while (t.getCause() != null)
        {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
