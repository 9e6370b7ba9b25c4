package jp.senbetsu.store.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Master keys in a passphrase-protected file, for labs without an HSM.
 *
 * <p>A key-encryption key is derived from the passphrase with PBKDF2-HMAC-SHA256 (at least
 * {@link #MIN_ITERATIONS} iterations, fresh 16-byte salt on every rewrite); each master key is sealed under it
 * with AES-256-GCM (nonces 1, 2, … under that derived key, AAD {@code senbetsu-master-key|<id>}). A check value
 * (SHA-256 of a label and the derived key) tells a wrong passphrase apart from a corrupted file. The file is a
 * Java properties file:
 *
 * <pre>
 * format=senbetsu-master-keyfile-1
 * kdf=PBKDF2WithHmacSHA256
 * iterations=600000
 * salt=&lt;base64 16 bytes&gt;
 * check=&lt;base64 SHA-256("senbetsu-kek-check" || kek)&gt;
 * current=m2
 * keys=m1,m2
 * key.m1=&lt;base64 nonce(12) || ciphertext(32) || tag(16)&gt;
 * </pre>
 */
public final class PassphraseKeyFile implements MasterKeyStore
{
    /** OWASP 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int MIN_ITERATIONS = 600_000;
    private static final String FORMAT = "senbetsu-master-keyfile-1";
    private static final String KDF = "PBKDF2WithHmacSHA256";
    private static final byte[] CHECK_LABEL = "senbetsu-kek-check".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final char[] passphrase;
    private final int iterations;
    private final Map<String, byte[]> masterKeys;
    private String current;

    private PassphraseKeyFile(
        final Path file, final char[] passphrase, final int iterations, final Map<String, byte[]> keys,
        final String current)
    {
        this.file = file;
        this.passphrase = passphrase.clone();
        this.iterations = iterations;
        this.masterKeys = keys;
        this.current = current;
    }

    /** Creates a new key file with one master key; refuses to overwrite an existing file. */
    public static PassphraseKeyFile create(final Path file, final char[] passphrase, final int iterations)
    {
        if (iterations < MIN_ITERATIONS)
        {
            throw new KeystoreException("PBKDF2 iterations " + iterations + " below the minimum " + MIN_ITERATIONS);
        }
        if (passphrase.length < 8)
        {
            throw new KeystoreException("passphrase for " + file + " is shorter than 8 characters");
        }
        if (Files.exists(file))
        {
            throw new KeystoreException("key file " + file + " already exists");
        }
        final Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put("m1", randomKey());
        final PassphraseKeyFile keyFile = new PassphraseKeyFile(file, passphrase, iterations, keys, "m1");
        keyFile.write();
        return keyFile;
    }

    /** Opens a key file; a wrong passphrase and a corrupted file give different, clear errors. */
    public static PassphraseKeyFile open(final Path file, final char[] passphrase)
    {
        if (!Files.isRegularFile(file))
        {
            throw new KeystoreException("key file " + file + " not found");
        }
        final Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            p.load(in);
        }
        catch (final IOException ex)
        {
            throw new KeystoreException("cannot read key file " + file + ": " + ex.getMessage(), ex);
        }
        if (!FORMAT.equals(p.getProperty("format")) || !KDF.equals(p.getProperty("kdf")))
        {
            throw new KeystoreException("key file " + file + " is not a senbetsu master key file (format/kdf)");
        }
        try
        {
            final int iterations = Integer.parseInt(p.getProperty("iterations"));
            if (iterations < MIN_ITERATIONS)
            {
                throw new KeystoreException("key file " + file + " uses " + iterations + " PBKDF2 iterations, below "
                    + MIN_ITERATIONS);
            }
            final byte[] salt = Base64.getDecoder().decode(p.getProperty("salt"));
            final byte[] check = Base64.getDecoder().decode(p.getProperty("check"));
            final byte[] kek = derive(passphrase, salt, iterations);
            if (!MessageDigest.isEqual(check, checkValue(kek)))
            {
                throw new KeystoreException("wrong passphrase for key file " + file);
            }
            final Map<String, byte[]> keys = new LinkedHashMap<>();
            for (final String id : p.getProperty("keys").split(","))
            {
                final byte[] blob = Base64.getDecoder().decode(p.getProperty("key." + id));
                keys.put(id, gcm(Cipher.DECRYPT_MODE, kek, Arrays.copyOf(blob, NonceCounter.NONCE_LENGTH),
                    aad(id), Arrays.copyOfRange(blob, NonceCounter.NONCE_LENGTH, blob.length)));
            }
            final String current = p.getProperty("current");
            if (!keys.containsKey(current))
            {
                throw new KeystoreException("key file " + file + " names current master key " + current
                    + " that it does not hold");
            }
            return new PassphraseKeyFile(file, passphrase, iterations, keys, current);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new KeystoreException("key file " + file + " is corrupted: a master key does not authenticate", ex);
        }
        catch (final RuntimeException ex)
        {
            if (ex instanceof KeystoreException)
            {
                throw ex;
            }
            throw new KeystoreException("key file " + file + " is corrupted: " + ex.getMessage(), ex);
        }
    }

    @Override
    public String currentMasterKeyId()
    {
        return current;
    }

    @Override
    public byte[] seal(final String masterKeyId, final byte[] nonce, final byte[] aad, final byte[] plaintext)
    {
        try
        {
            return gcm(Cipher.ENCRYPT_MODE, key(masterKeyId), nonce, aad, plaintext);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new KeystoreException("cannot seal under master key " + masterKeyId + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public byte[] open(final String masterKeyId, final byte[] nonce, final byte[] aad, final byte[] sealed)
    {
        try
        {
            return gcm(Cipher.DECRYPT_MODE, key(masterKeyId), nonce, aad, sealed);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new KeystoreException("sealed key does not authenticate under master key " + masterKeyId
                + " in " + file + " (corrupted or sealed under another key)", ex);
        }
    }

    @Override
    public String createMasterKey()
    {
        int n = 1;
        while (masterKeys.containsKey("m" + n))
        {
            n++;
        }
        final String id = "m" + n;
        masterKeys.put(id, randomKey());
        current = id;
        write();
        return id;
    }

    @Override
    public void destroyMasterKey(final String masterKeyId)
    {
        if (masterKeyId.equals(current))
        {
            throw new KeystoreException("refusing to destroy the current master key " + masterKeyId);
        }
        final byte[] key = masterKeys.remove(masterKeyId);
        if (key != null)
        {
            Arrays.fill(key, (byte)0);
            write();
        }
    }

    @Override
    public String credentialDescription()
    {
        return "passphrase key file " + file.toAbsolutePath();
    }

    @Override
    public void close()
    {
        masterKeys.values().forEach(k -> Arrays.fill(k, (byte)0));
        Arrays.fill(passphrase, '\0');
    }

    private byte[] key(final String id)
    {
        final byte[] key = masterKeys.get(id);
        if (key == null)
        {
            throw new KeystoreException("master key " + id + " not found in key file " + file);
        }
        return key;
    }

    private void write()
    {
        final byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        final byte[] kek = derive(passphrase, salt, iterations);
        final Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("kdf", KDF);
        p.setProperty("iterations", Integer.toString(iterations));
        p.setProperty("salt", Base64.getEncoder().encodeToString(salt));
        p.setProperty("check", Base64.getEncoder().encodeToString(checkValue(kek)));
        p.setProperty("current", current);
        final List<String> ids = new ArrayList<>(masterKeys.keySet());
        p.setProperty("keys", String.join(",", ids));
        long counter = 1;
        for (final String id : ids)
        {
            final byte[] nonce = new byte[NonceCounter.NONCE_LENGTH];
            for (int i = 0; i < 8; i++)
            {
                nonce[4 + i] = (byte)(counter >>> (56 - 8 * i));
            }
            counter++;
            try
            {
                final byte[] sealed = gcm(Cipher.ENCRYPT_MODE, kek, nonce, aad(id), masterKeys.get(id));
                final byte[] blob = new byte[nonce.length + sealed.length];
                System.arraycopy(nonce, 0, blob, 0, nonce.length);
                System.arraycopy(sealed, 0, blob, nonce.length, sealed.length);
                p.setProperty("key." + id, Base64.getEncoder().encodeToString(blob));
            }
            catch (final GeneralSecurityException ex)
            {
                throw new KeystoreException("cannot seal master key " + id, ex);
            }
        }
        Arrays.fill(kek, (byte)0);
        SecureFiles.writeAtomically(file, out -> storeProperties(p, out));
    }

    private static void storeProperties(final Properties p, final OutputStream out) throws IOException
    {
        p.store(out, "senbetsu master keys: PBKDF2-HMAC-SHA256 + AES-256-GCM; never edit by hand");
    }

    private static byte[] derive(final char[] passphrase, final byte[] salt, final int iterations)
    {
        try
        {
            final PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
            final byte[] kek = SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
            spec.clearPassword();
            return kek;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new KeystoreException("PBKDF2 unavailable: " + ex.getMessage(), ex);
        }
    }

    private static byte[] checkValue(final byte[] kek)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(CHECK_LABEL);
            return sha.digest(kek);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] aad(final String id)
    {
        return ("senbetsu-master-key|" + id).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] randomKey()
    {
        final byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static byte[] gcm(final int mode, final byte[] key, final byte[] nonce, final byte[] aad,
        final byte[] input) throws GeneralSecurityException
    {
        final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }
}
