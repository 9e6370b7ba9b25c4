package jp.senbetsu.store.audit;

/**
 * The kinds of audit entries. Names are stable strings (they are what auditors filter on).
 */
public enum AuditEvent
{
    APPLIANCE_START("appliance.start"),
    APPLIANCE_STOP("appliance.stop"),
    CONFIG_LOAD("config.load"),
    /** A capture file read through the pipeline by {@code senbetsu ingest}: which file, how many packets, outcome. */
    CAPTURE_INGEST("capture.ingest"),
    RULESET_ACTIVATE("ruleset.activate"),
    STORE_INIT("store.init"),
    STORE_OPEN("store.open"),
    STORE_CLOSE("store.close"),
    STORE_RECOVERY("store.recovery"),
    STORE_HEAD("store.head"),
    QUERY("store.query"),
    EXPORT("store.export"),
    AUDIT_READ("audit.read"),
    KEY_LIST("key.list"),
    KEY_CREATE("key.create"),
    KEY_ROTATE("key.rotate"),
    KEY_DESTROY("key.destroy"),
    ERASURE("store.erasure"),
    VERIFY("store.verify"),
    ACCESS_DENIED("access.denied"),
    CHECKPOINT("audit.checkpoint");

    private final String label;

    AuditEvent(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }
}
