package jp.senbetsu.selector.table;

import jp.senbetsu.capture.SenbetsuException;

/**
 * A delegated-statistics file, override file or compiled table file that cannot be used: the message names the
 * file, the line or byte offset, and the field. Exit code 2: the input is refused, nothing is half-built.
 */
public final class TableInputException extends SenbetsuException
{
    private static final long serialVersionUID = 1L;

    public TableInputException(final String message)
    {
        super(message, EXIT_USAGE, null);
    }

    public TableInputException(final String message, final Throwable cause)
    {
        super(message, EXIT_USAGE, cause);
    }
}
