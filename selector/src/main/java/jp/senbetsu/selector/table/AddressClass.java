package jp.senbetsu.selector.table;

/**
 * Where the domestic address table places one address. Stored as a byte in table files: append, never renumber.
 */
public final class AddressClass
{
    /** In neither table: special-purpose, private, reserved, unannounced. Never eligible for selection. */
    public static final int UNKNOWN = 0;
    /** Delegated to the domestic country or marked domestic by the operator. */
    public static final int DOMESTIC = 1;
    /** Delegated to another country or marked foreign by the operator. */
    public static final int FOREIGN = 2;

    private AddressClass()
    {
    }

    public static String label(final int addressClass)
    {
        return switch (addressClass)
        {
            case DOMESTIC -> "domestic";
            case FOREIGN -> "foreign";
            default -> "unknown";
        };
    }

    /** Parses {@code domestic}, {@code foreign} or {@code unknown}; -1 if none. */
    public static int ofLabel(final String text)
    {
        return switch (text)
        {
            case "domestic" -> DOMESTIC;
            case "foreign" -> FOREIGN;
            case "unknown" -> UNKNOWN;
            default -> -1;
        };
    }
}
