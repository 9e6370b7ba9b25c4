package jp.senbetsu.store.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.keys.SecureFiles;

/**
 * The appliance's Ed25519 signing key, which signs audit-log checkpoints. The private key is a PKCS#8 file
 * readable only by the service user ({@code keys/appliance.ed25519}); the public key
 * ({@code keys/appliance.ed25519.pub}, X.509) is what auditors verify with, and its fingerprint should be
 * recorded out of band when the store is initialised.
 */
public final class ApplianceKey
{
    public static final String PRIVATE_FILE = "appliance.ed25519";
    public static final String PUBLIC_FILE = "appliance.ed25519.pub";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private ApplianceKey(final PrivateKey privateKey, final PublicKey publicKey)
    {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Generates a new key pair into {@code keysDir}. */
    public static ApplianceKey generate(final Path keysDir)
    {
        try
        {
            final KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            SecureFiles.ownerDirectory(keysDir);
            final byte[] priv = pair.getPrivate().getEncoded();
            final byte[] pub = pair.getPublic().getEncoded();
            SecureFiles.writeAtomically(keysDir.resolve(PRIVATE_FILE), out -> out.write(priv));
            SecureFiles.writeAtomically(keysDir.resolve(PUBLIC_FILE), out -> out.write(pub));
            return new ApplianceKey(pair.getPrivate(), pair.getPublic());
        }
        catch (final GeneralSecurityException ex)
        {
            throw new StoreException("cannot generate the appliance Ed25519 key: " + ex.getMessage(), ex);
        }
    }

    /** Loads the key pair, or only the public key when the private key is absent or unreadable. */
    public static ApplianceKey load(final Path keysDir)
    {
        final PublicKey pub = loadPublic(keysDir.resolve(PUBLIC_FILE));
        final Path privFile = keysDir.resolve(PRIVATE_FILE);
        PrivateKey priv = null;
        if (Files.isReadable(privFile))
        {
            try
            {
                priv = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privFile)));
            }
            catch (final IOException | GeneralSecurityException ex)
            {
                throw new StoreException("appliance signing key " + privFile + " is unreadable: " + ex.getMessage(),
                    ex);
            }
        }
        return new ApplianceKey(priv, pub);
    }

    /** Loads an Ed25519 public key (X.509 DER). */
    public static PublicKey loadPublic(final Path file)
    {
        try
        {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Files.readAllBytes(file)));
        }
        catch (final IOException | GeneralSecurityException ex)
        {
            throw new StoreException("appliance public key " + file + " is unreadable: " + ex.getMessage(), ex);
        }
    }

    public boolean canSign()
    {
        return privateKey != null;
    }

    public PublicKey publicKey()
    {
        return publicKey;
    }

    public byte[] sign(final byte[] data)
    {
        try
        {
            final Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(data);
            return signature.sign();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new StoreException("cannot sign audit checkpoint: " + ex.getMessage(), ex);
        }
    }

    public static boolean verify(final PublicKey key, final byte[] data, final byte[] sig)
    {
        try
        {
            final Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(data);
            return signature.verify(sig);
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    /** SHA-256 of the encoded public key, first 16 bytes in hex. */
    public static String fingerprint(final PublicKey key)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 16);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
