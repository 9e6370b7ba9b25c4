package jp.senbetsu.selector.rules;

/**
 * Optional, grey-zone record fields a rule may allow to be kept. All are off unless a rule lists them in
 * {@code keep}; identifiers are pseudonymised by the store with a keyed hash. The bit is the one carried in
 * {@code SelectedFlowRecord.keepMask()}: append, never renumber.
 */
public enum KeepField
{
    /** DNS query name seen in the flow. */
    DNS_NAME("dns_name", 1),
    /** TLS Server Name Indication. */
    TLS_SNI("tls_sni", 1 << 1),
    /** E-mail-like identifiers (SMTP envelope addresses). */
    EMAIL_IDENTIFIER("email_identifier", 1 << 2);

    private final String key;
    private final int bit;

    KeepField(final String key, final int bit)
    {
        this.key = key;
        this.bit = bit;
    }

    /** Name used in rule sets. */
    public String key()
    {
        return key;
    }

    public int bit()
    {
        return bit;
    }

    public static KeepField ofKey(final String key)
    {
        for (final KeepField f : values())
        {
            if (f.key.equals(key))
            {
                return f;
            }
        }
        return null;
    }
}
