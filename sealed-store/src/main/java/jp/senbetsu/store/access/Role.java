package jp.senbetsu.store.access;

import java.util.Locale;

/**
 * The three roles of the appliance. Each store command needs one:
 * <ul>
 *   <li>{@link #OPERATOR}: runs the appliance, initialises the store, rotates keys, erases expired partitions,
 *       sees counters; cannot read records.</li>
 *   <li>{@link #ANALYST}: queries and exports selected records, stating a purpose and an approval ID, with the
 *       key store credential.</li>
 *   <li>{@link #AUDITOR}: verifies the store and reads the audit log; can read nothing else.</li>
 * </ul>
 */
public enum Role
{
    OPERATOR,
    ANALYST,
    AUDITOR;

    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
