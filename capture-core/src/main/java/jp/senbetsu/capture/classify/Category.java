package jp.senbetsu.capture.classify;

/**
 * The communication categories of the Active Cyber Defense law, by the direction of a communication across the
 * border. The codes are stored in selected records and counters: append, never renumber.
 *
 * <p>Only the three cross-border categories can ever be eligible for selection; {@link #DOMESTIC_DOMESTIC} (内内)
 * is out of the law's scope and {@link #UNKNOWN} (an end in neither table: private, reserved, unannounced) is
 * treated the same way: dropped before any rule runs and only counted.
 */
public enum Category
{
    /** An end could not be placed: special-purpose, bogon, unannounced, or no IP header. Never eligible. */
    UNKNOWN(0, "unknown", "不明"),
    /** Foreign to foreign transit (外外). */
    FOREIGN_FOREIGN(1, "foreign-foreign", "外外"),
    /** Foreign to domestic (外内). */
    FOREIGN_DOMESTIC(2, "foreign-domestic", "外内"),
    /** Domestic to foreign (内外). */
    DOMESTIC_FOREIGN(3, "domestic-foreign", "内外"),
    /** Domestic to domestic (内内): out of scope entirely. Never eligible. */
    DOMESTIC_DOMESTIC(4, "domestic-domestic", "内内");

    private static final Category[] BY_CODE = values();

    private final int code;
    private final String label;
    private final String kanji;

    Category(final int code, final String label, final String kanji)
    {
        this.code = code;
        this.label = label;
        this.kanji = kanji;
    }

    public int code()
    {
        return code;
    }

    /** Name used in rule sets, JSON and metrics. */
    public String label()
    {
        return label;
    }

    /** The law's own short name. */
    public String kanji()
    {
        return kanji;
    }

    /** Whether any rule may ever select a communication of this category. */
    public boolean eligible()
    {
        return this == FOREIGN_FOREIGN || this == FOREIGN_DOMESTIC || this == DOMESTIC_FOREIGN;
    }

    public static Category ofCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }

    /** Parses the rule-language name ({@code foreign-domestic}) or the kanji ({@code 外内}); null if neither. */
    public static Category ofLabel(final String text)
    {
        for (final Category c : BY_CODE)
        {
            if (c.label.equals(text) || c.kanji.equals(text))
            {
                return c;
            }
        }
        return null;
    }
}
