package jp.senbetsu.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import jp.senbetsu.store.access.AccessPolicy;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.Actor;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditFields;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.KeystoreCredential;
import jp.senbetsu.store.keys.KeystoreException;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.MasterKeyStores;

/**
 * One person's use of a store for one action: checks that the OS user holds the role the action needs, opens
 * the audit log, unlocks the key store on request, and records every refusal (missing role, missing or wrong
 * credential, missing token) as an {@code access.denied} entry before failing.
 */
public final class StoreSession implements AutoCloseable
{
    private final StoreLayout layout;
    private final StoreSettings settings;
    private final AuditLog audit;
    private final String action;
    private Actor actor;

    private StoreSession(final StoreLayout layout, final StoreSettings settings, final AuditLog audit,
        final Actor actor, final String action)
    {
        this.layout = layout;
        this.settings = settings;
        this.audit = audit;
        this.actor = actor;
        this.action = action;
    }

    /** Opens a session for {@code action} in {@code role}; refuses (audited) if the user does not hold the role. */
    public static StoreSession open(final Path directory, final Role role, final String action)
    {
        final StoreLayout layout = new StoreLayout(directory);
        final StoreSettings settings = StoreSettings.load(layout.settings());
        final ApplianceKey signer = Files.exists(layout.keys().resolve(ApplianceKey.PUBLIC_FILE))
            ? ApplianceKey.load(layout.keys()) : null;
        final AuditLog audit = AuditLog.open(layout.audit(), settings.storeId(), signer,
            StoreConfiguration.DEFAULT_AUDIT_CHECKPOINT_EVERY);
        final Actor actor = Actor.current(role.label(), null);
        final StoreSession session = new StoreSession(layout, settings, audit, actor, action);
        try
        {
            final AccessPolicy policy = AccessPolicy.load(layout.access());
            if (!policy.holds(actor.user(), role))
            {
                throw new StoreException("access denied: OS user '" + actor.user() + "' does not hold the role "
                    + role.label() + " needed to " + action + " (" + layout.access() + ")", null);
            }
        }
        catch (final StoreException ex)
        {
            session.deny(ex.reason());
            session.close();
            throw ex;
        }
        return session;
    }

    /** Unlocks the master key store; failures are audited and rethrown. */
    public MasterKeyStore unlock(final Path credentialFile)
    {
        try
        {
            final KeystoreCredential credential = KeystoreCredential.resolve(credentialFile);
            final MasterKeyStore keys =
                MasterKeyStores.open(settings.keystore(), settings.keystoreLocation(), settings.storeId(), credential);
            actor = actor.withCredential(keys.credentialDescription() + " from " + credential.source());
            return keys;
        }
        catch (final KeystoreException ex)
        {
            deny(ex.reason());
            throw ex;
        }
    }

    /** Records a refused access. */
    public void deny(final String reason)
    {
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put("action", action);
        details.put(AuditFields.REASON, reason);
        audit.append(AuditEvent.ACCESS_DENIED, actor, details);
    }

    public long record(final AuditEvent event, final Map<String, ?> details)
    {
        return audit.append(event, actor, details);
    }

    public StoreLayout layout()
    {
        return layout;
    }

    public StoreSettings settings()
    {
        return settings;
    }

    public AuditLog audit()
    {
        return audit;
    }

    public Actor actor()
    {
        return actor;
    }

    @Override
    public void close()
    {
        audit.close();
    }
}
