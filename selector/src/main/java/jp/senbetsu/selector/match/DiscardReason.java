package jp.senbetsu.selector.match;

/**
 * Why a flow was not selected. Discarded flows leave nothing but a count per category and reason.
 * Codes index counter arrays: append, never renumber.
 */
public enum DiscardReason
{
    /** 内内 or unknown: dropped before any rule ran. */
    CATEGORY_NOT_ELIGIBLE("category_not_eligible"),
    /** Eligible, but no rule of the active set matched. */
    NO_RULE_MATCHED("no_rule_matched"),
    /** No rule set was active. */
    NO_ACTIVE_RULE_SET("no_active_rule_set");

    private final String label;

    DiscardReason(final String label)
    {
        this.label = label;
    }

    /** Name used in metrics. */
    public String label()
    {
        return label;
    }
}
