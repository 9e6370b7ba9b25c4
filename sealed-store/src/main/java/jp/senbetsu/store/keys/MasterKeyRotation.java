package jp.senbetsu.store.keys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditFields;

/**
 * Rotates the master key: makes a new one, re-seals every data key under it (each file replaced atomically),
 * then destroys the old master key(s). A crash midway leaves every data key sealed under either the old or the
 * new key, both still present; re-running completes the rotation.
 */
public final class MasterKeyRotation
{
    private MasterKeyRotation()
    {
    }

    /** Returns the new master key ID. */
    public static String rotate(final StoreSession session, final MasterKeyStore master)
    {
        final DataKeyRing ring = new DataKeyRing(session.layout().keys(), master);
        final String old = master.currentMasterKeyId();
        final String fresh = master.createMasterKey();
        final List<SealedDataKey> keys = ring.list();
        final Set<String> retired = new TreeSet<>();
        retired.add(old);
        for (final SealedDataKey key : keys)
        {
            retired.add(key.masterKeyId());
            ring.reseal(key.partition());
        }
        retired.remove(fresh);
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", old);
        details.put("to", fresh);
        details.put("resealed", keys.size());
        session.record(AuditEvent.KEY_ROTATE, details);
        for (final String id : retired)
        {
            master.destroyMasterKey(id);
            session.record(AuditEvent.KEY_DESTROY, Map.of(AuditFields.MASTER_KEY, id));
        }
        return fresh;
    }
}
