package jp.senbetsu.store.audit;

/**
 * Field names of audit entry bodies that {@code verify} reads back (erasures, chain anchors, key events).
 * They are part of the documented audit format, so they never change meaning.
 */
public final class AuditFields
{
    public static final String EVENT = "event";
    public static final String PARTITION = "partition";
    public static final String SEQUENCE = "sequence";
    public static final String HASH = "hash";
    public static final String KEY_ID = "keyId";
    public static final String FINGERPRINT = "fingerprint";
    public static final String MASTER_KEY = "masterKey";
    public static final String RECORDS = "records";
    public static final String BATCHES = "batches";
    public static final String FIRST_SEQUENCE = "firstSequence";
    public static final String LAST_SEQUENCE = "lastSequence";
    public static final String CHAIN_BEFORE = "chainBefore";
    public static final String CHAIN_AFTER = "chainAfter";
    public static final String PURPOSE = "purpose";
    public static final String APPROVAL = "approval";
    public static final String REASON = "reason";
    public static final String EMPTY_PARTITION = "emptyPartition";

    private AuditFields()
    {
    }
}
