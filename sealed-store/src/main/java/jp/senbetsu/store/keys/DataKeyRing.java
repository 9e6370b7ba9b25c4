package jp.senbetsu.store.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

/**
 * One data key per partition: generated in this process, sealed under the current master key, kept on disk
 * only in sealed form ({@code keys/data/<partition>.key}), destroyed by shredding that file.
 *
 * <p>Listing and reading the cleartext facts of sealed keys needs no credential; creating, unsealing and
 * re-sealing need an open {@link MasterKeyStore}.
 */
public final class DataKeyRing
{
    private static final byte[] FINGERPRINT_LABEL = "senbetsu-data-key-fingerprint".getBytes(StandardCharsets.US_ASCII);
    private static final long MASTER_NONCE_BLOCK = 64;

    private final Path dataDir;
    private final Path nonceDir;
    private final MasterKeyStore master;
    private final SecureRandom random = new SecureRandom();

    /** {@code master} may be null for credential-free use (listing). */
    public DataKeyRing(final Path keysDir, final MasterKeyStore master)
    {
        this.dataDir = keysDir.resolve("data");
        this.nonceDir = keysDir.resolve("nonce");
        this.master = master;
    }

    /** Generates and seals a new data key for a partition; refuses if the partition already has one. */
    public DataKey create(final String partition)
    {
        final MasterKeyStore store = requireMaster();
        SecureFiles.ownerDirectory(dataDir);
        SecureFiles.ownerDirectory(nonceDir);
        final Path file = keyFile(partition);
        if (Files.exists(file))
        {
            throw new KeystoreException(partition, "data key already exists: " + file, null);
        }
        final byte[] keyId = new byte[16];
        random.nextBytes(keyId);
        final byte[] key = new byte[32];
        random.nextBytes(key);
        final String fingerprint = fingerprint(key);
        write(file, seal(store, keyId, partition, store.currentMasterKeyId(), fingerprint, key));
        final DataKey dataKey = new DataKey(keyId, partition, new SecretKeySpec(key, "AES"), fingerprint);
        Arrays.fill(key, (byte)0);
        return dataKey;
    }

    /** Unseals a partition's data key. */
    public DataKey load(final String partition)
    {
        final MasterKeyStore store = requireMaster();
        final SealedDataKey sealed = read(partition);
        final byte[] key;
        try
        {
            key = store.open(sealed.masterKeyId(), sealed.nonce(), sealed.aad(), sealed.sealed());
        }
        catch (final KeystoreException ex)
        {
            throw new KeystoreException(partition, "data key " + keyFile(partition) + ": " + ex.reason(), ex);
        }
        try
        {
            if (!fingerprint(key).equals(sealed.fingerprint()))
            {
                throw new KeystoreException(partition, "data key fingerprint mismatch in " + keyFile(partition), null);
            }
            return new DataKey(sealed.keyId(), partition, new SecretKeySpec(key, "AES"), sealed.fingerprint());
        }
        finally
        {
            Arrays.fill(key, (byte)0);
        }
    }

    /** Whether a sealed key exists for the partition. */
    public boolean exists(final String partition)
    {
        return Files.exists(keyFile(partition));
    }

    /** Reads a sealed key's cleartext facts; needs no credential. */
    public SealedDataKey read(final String partition)
    {
        final Path file = keyFile(partition);
        if (!Files.isRegularFile(file))
        {
            throw new KeystoreException(partition, "no data key for partition (" + file + " missing)", null);
        }
        try
        {
            final SealedDataKey sealed = SealedDataKey.decode(Files.readAllBytes(file), file.toString());
            if (!sealed.partition().equals(partition))
            {
                throw new KeystoreException(partition, "sealed data key " + file + " belongs to partition "
                    + sealed.partition(), null);
            }
            return sealed;
        }
        catch (final IOException ex)
        {
            throw new KeystoreException(partition, "cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** All sealed keys on disk, by partition name. */
    public List<SealedDataKey> list()
    {
        final List<SealedDataKey> keys = new ArrayList<>();
        if (!Files.isDirectory(dataDir))
        {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir, "*.key"))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                keys.add(read(name.substring(0, name.length() - 4)));
            }
        }
        catch (final IOException ex)
        {
            throw new KeystoreException("cannot list " + dataDir + ": " + ex.getMessage(), ex);
        }
        keys.sort((a, b) -> a.partition().compareTo(b.partition()));
        return keys;
    }

    /** Re-seals a partition's key under the current master key (master key rotation). */
    public SealedDataKey reseal(final String partition)
    {
        final MasterKeyStore store = requireMaster();
        final SealedDataKey old = read(partition);
        final byte[] key = store.open(old.masterKeyId(), old.nonce(), old.aad(), old.sealed());
        try
        {
            final SealedDataKey fresh =
                seal(store, old.keyId(), partition, store.currentMasterKeyId(), old.fingerprint(), key);
            write(keyFile(partition), fresh);
            return fresh;
        }
        finally
        {
            Arrays.fill(key, (byte)0);
        }
    }

    /** Crypto-shredding: overwrites and deletes the sealed key and its nonce reservation. */
    public void destroy(final String partition)
    {
        SecureFiles.shred(keyFile(partition));
        SecureFiles.shred(nonceDir.resolve(partition + ".nonce"));
    }

    /**
     * Whether any nonce was ever reserved under a partition's key, i.e. whether a batch may have been sealed with
     * it. A key that was never used proves its partition never held a batch.
     */
    public boolean everUsed(final String partition)
    {
        final Path file = nonceDir.resolve(partition + ".nonce");
        try
        {
            return Files.exists(file) && Files.size(file) >= 8;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /** The nonce counter for batches under a partition's data key. */
    public NonceCounter nonces(final String partition)
    {
        SecureFiles.ownerDirectory(nonceDir);
        return NonceCounter.open(nonceDir.resolve(partition + ".nonce"), NonceCounter.DEFAULT_BLOCK);
    }

    public Path keyFile(final String partition)
    {
        return dataDir.resolve(partition + ".key");
    }

    private SealedDataKey seal(final MasterKeyStore store, final byte[] keyId, final String partition,
        final String masterId, final String fingerprint, final byte[] key)
    {
        final byte[] nonce = new byte[NonceCounter.NONCE_LENGTH];
        SecureFiles.ownerDirectory(nonceDir);
        try (NonceCounter counter = NonceCounter.open(
            nonceDir.resolve("master-" + masterId.replaceAll("[^A-Za-z0-9_.-]", "_") + ".nonce"), MASTER_NONCE_BLOCK))
        {
            counter.next(nonce, 0);
        }
        final SealedDataKey unsealed = new SealedDataKey(keyId, partition, masterId, fingerprint, nonce, null);
        return new SealedDataKey(keyId, partition, masterId, fingerprint, nonce,
            store.seal(masterId, nonce, unsealed.aad(), key));
    }

    private static void write(final Path file, final SealedDataKey sealed)
    {
        final byte[] bytes = sealed.encode();
        SecureFiles.writeAtomically(file, out -> out.write(bytes));
    }

    private MasterKeyStore requireMaster()
    {
        if (master == null)
        {
            throw new KeystoreException("this operation needs the key store credential");
        }
        return master;
    }

    static String fingerprint(final byte[] key)
    {
        try
        {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(FINGERPRINT_LABEL);
            return HexFormat.of().formatHex(sha.digest(key), 0, 16);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
