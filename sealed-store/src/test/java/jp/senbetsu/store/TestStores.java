package jp.senbetsu.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import jp.senbetsu.store.access.AccessPolicy;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.Actor;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.chain.ChainVerifier;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.KeystoreCredential;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.PassphraseKeyFile;
import jp.senbetsu.store.partition.PartitionCycle;

/** Creating, writing and verifying throwaway stores in tests. */
final class TestStores
{
    static final String PASSPHRASE = "correct horse battery staple";
    /** 2026-11-27T00:00Z, a partition boundary. */
    static final long T0 = 1_795_737_600_000L;

    private TestStores()
    {
    }

    static AccessPolicy everyone()
    {
        final Map<Role, Set<String>> users = new EnumMap<>(Role.class);
        for (final Role role : Role.values())
        {
            users.put(role, Set.of(System.getProperty("user.name")));
        }
        return AccessPolicy.of(users);
    }

    /**
     * A fresh store whose settings know the approvals of {@link TestRecords} (with the default retention), as the
     * appliance records them when it activates a rule set naming them.
     */
    static StoreInitializer.Result init(final Path dir)
    {
        final StoreInitializer.Result result = StoreInitializer.init(dir, PartitionCycle.HOURLY,
            StoreSettings.PASSPHRASE, null, new KeystoreCredential(PASSPHRASE.toCharArray(), "test"), everyone(),
            StoreSettings.DEFAULT_RETENTION);
        final StoreLayout layout = new StoreLayout(dir);
        StoreSettings settings = StoreSettings.load(layout.settings());
        for (final String approval : TestRecords.APPROVALS)
        {
            settings = settings.withRetention(approval, StoreSettings.DEFAULT_RETENTION);
        }
        settings.save(layout.settings());
        return result;
    }

    static MasterKeyStore unlock(final Path dir)
    {
        final StoreSettings settings = StoreSettings.load(new StoreLayout(dir).settings());
        return PassphraseKeyFile.open(settings.keystoreLocation(), PASSPHRASE.toCharArray());
    }

    static AuditLog audit(final Path dir)
    {
        final StoreLayout layout = new StoreLayout(dir);
        return AuditLog.open(layout.audit(), StoreSettings.load(layout.settings()).storeId(),
            ApplianceKey.load(layout.keys()), 64);
    }

    static Actor actor()
    {
        return Actor.appliance("test");
    }

    static VerifyReport verify(final Path dir)
    {
        final StoreLayout layout = new StoreLayout(dir);
        return new ChainVerifier(layout, StoreSettings.load(layout.settings()),
            ApplianceKey.loadPublic(layout.keys().resolve(ApplianceKey.PUBLIC_FILE))).verify();
    }

    /** Deletes a directory tree if it exists. */
    static void deleteTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

}
