package jp.senbetsu.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.store.access.AccessPolicy;
import jp.senbetsu.store.audit.Actor;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditFields;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.KeystoreCredential;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.MasterKeyStores;
import jp.senbetsu.store.keys.PassphraseKeyFile;
import jp.senbetsu.store.keys.Pkcs11Token;
import jp.senbetsu.store.keys.SecureFiles;
import jp.senbetsu.store.partition.PartitionCycle;

/**
 * Creates a new, empty store: directories readable only by the service user, settings, the master key (in a new
 * passphrase key file, or as a new object in an existing PKCS#11 token), the appliance's audit signing key, the
 * access policy, and the first audit entries.
 */
public final class StoreInitializer
{
    private StoreInitializer()
    {
    }

    /** What {@link #init} made: the store ID and the audit public key fingerprint to record out of band. */
    public record Result(String storeId, String auditKeyFingerprint, String masterKeyId)
    {
    }

    /**
     * @param keystore         {@code passphrase} or {@code pkcs11}
     * @param keystoreLocation key file to create (passphrase; default {@code keys/master.key}) or the existing
     *                         SunPKCS11 configuration file (pkcs11)
     */
    public static Result init(final Path directory, final PartitionCycle cycle, final String keystore,
        final Path keystoreLocation, final KeystoreCredential credential, final AccessPolicy access,
        final Duration defaultRetention)
    {
        final StoreLayout layout = new StoreLayout(directory);
        if (Files.exists(layout.settings()))
        {
            throw new StoreException("a store already exists at " + directory, SenbetsuException.EXIT_USAGE);
        }
        SecureFiles.ownerDirectory(directory);
        SecureFiles.ownerDirectory(layout.partitions());
        SecureFiles.ownerDirectory(layout.keys());
        SecureFiles.ownerDirectory(layout.audit());
        final byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        final String storeId = HexFormat.of().formatHex(id);
        final Path location;
        final MasterKeyStore master;
        if (StoreSettings.PASSPHRASE.equals(keystore))
        {
            location = (keystoreLocation != null ? keystoreLocation : layout.keys().resolve("master.key"))
                .toAbsolutePath();
            master = PassphraseKeyFile.create(location, credential.secret(), PassphraseKeyFile.MIN_ITERATIONS);
        }
        else if (StoreSettings.PKCS11.equals(keystore))
        {
            if (keystoreLocation == null)
            {
                throw new StoreException("a pkcs11 key store needs its SunPKCS11 configuration file",
                    SenbetsuException.EXIT_USAGE);
            }
            location = keystoreLocation.toAbsolutePath();
            final Pkcs11Token token =
                Pkcs11Token.login(location, credential.secret(), MasterKeyStores.aliasPrefix(storeId));
            token.createMasterKey();
            master = token;
        }
        else
        {
            throw new StoreException("unknown key store type '" + keystore + "' (passphrase or pkcs11)",
                SenbetsuException.EXIT_USAGE);
        }
        final StoreSettings settings = new StoreSettings(storeId, cycle, keystore, location, defaultRetention,
            new TreeMap<>());
        final ApplianceKey applianceKey = ApplianceKey.generate(layout.keys());
        access.save(layout.access());
        final String fingerprint = ApplianceKey.fingerprint(applianceKey.publicKey());
        final String masterId = master.currentMasterKeyId();
        final Actor actor = Actor.current("operator", master.credentialDescription() + " from " + credential.source());
        try (AuditLog audit = AuditLog.open(layout.audit(), storeId, applianceKey,
            StoreConfiguration.DEFAULT_AUDIT_CHECKPOINT_EVERY))
        {
            final Map<String, Object> details = new LinkedHashMap<>();
            details.put("storeId", storeId);
            details.put("partitionCycle", cycle.name().toLowerCase(Locale.ROOT));
            details.put("keystore", keystore);
            details.put("auditKey", fingerprint);
            details.put("retentionDefault", defaultRetention.toString());
            audit.append(AuditEvent.STORE_INIT, actor, details);
            audit.append(AuditEvent.KEY_CREATE, actor, Map.of(AuditFields.MASTER_KEY, masterId));
        }
        finally
        {
            master.close();
        }
        settings.save(layout.settings());
        return new Result(storeId, fingerprint, masterId);
    }
}
