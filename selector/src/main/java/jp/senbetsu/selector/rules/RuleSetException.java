package jp.senbetsu.selector.rules;

import jp.senbetsu.capture.SenbetsuException;

/**
 * A rule set refused: malformed, unsigned, badly signed, expired, not yet valid. The message names the file,
 * line, rule and field. Exit code 2; the appliance keeps running on its previous good set.
 */
public final class RuleSetException extends SenbetsuException
{
    private static final long serialVersionUID = 1L;

    public RuleSetException(final String message)
    {
        super(message, EXIT_USAGE, null);
    }

    public RuleSetException(final String message, final Throwable cause)
    {
        super(message, EXIT_USAGE, cause);
    }
}
