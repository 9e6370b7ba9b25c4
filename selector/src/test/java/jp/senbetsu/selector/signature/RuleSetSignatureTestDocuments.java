package jp.senbetsu.selector.signature;

/** Small valid rule-set documents for tests in other packages. */
public final class RuleSetSignatureTestDocuments
{
    private RuleSetSignatureTestDocuments()
    {
    }

    public static String document(final int version)
    {
        return RuleSetSignatureTest.document("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")
            .replace("version: 2", "version: " + version);
    }
}
