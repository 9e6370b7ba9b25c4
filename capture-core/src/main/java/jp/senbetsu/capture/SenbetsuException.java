package jp.senbetsu.capture;

/**
 * An error a person can act on: bad input, bad configuration, a refused rule set, a tampered store, a wrong key.
 * Its message names what is wrong and where (file, byte offset, key, line, rule, partition), never carries
 * payload bytes, and is printed by the CLI as one line without a stack trace.
 *
 * <p>Every module's user-facing errors extend this type so the one executable maps them to exit codes in one
 * place: {@link #EXIT_RUNTIME} for failures of the job, {@link #EXIT_USAGE} for mistakes in how it was asked.
 */
public class SenbetsuException extends RuntimeException
{
    /** The job failed: corrupt input, tampered store, unavailable key store. */
    public static final int EXIT_RUNTIME = 1;
    /** The request was wrong: unknown option, invalid configuration, refused rule set. */
    public static final int EXIT_USAGE = 2;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public SenbetsuException(final String message)
    {
        this(message, EXIT_RUNTIME, null);
    }

    public SenbetsuException(final String message, final Throwable cause)
    {
        this(message, EXIT_RUNTIME, cause);
    }

    public SenbetsuException(final String message, final int exitCode, final Throwable cause)
    {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Process exit code the CLI uses for this error. */
    public int exitCode()
    {
        return exitCode;
    }
}
