package jp.senbetsu.selector.table;

/**
 * ISO 3166 alpha-2 country codes packed into a small int (0 = none, else 1 + 26 * first + second letter) so
 * table leaves and rule criteria compare them without strings.
 */
public final class CountryCode
{
    /** No country known. */
    public static final int NONE = 0;
    /** Largest packed value plus one. */
    public static final int LIMIT = 1 + 26 * 26;

    private CountryCode()
    {
    }

    /** Packs two ASCII letters (either case); -1 if the text is not two letters. */
    public static int pack(final String text)
    {
        if (text == null || text.length() != 2)
        {
            return -1;
        }
        final int a = Character.toUpperCase(text.charAt(0)) - 'A';
        final int b = Character.toUpperCase(text.charAt(1)) - 'A';
        if (a < 0 || a >= 26 || b < 0 || b >= 26)
        {
            return -1;
        }
        return 1 + a * 26 + b;
    }

    public static String unpack(final int code)
    {
        if (code <= NONE || code >= LIMIT)
        {
            return "";
        }
        final int v = code - 1;
        return new String(new char[] {(char)('A' + v / 26), (char)('A' + v % 26)});
    }
}
