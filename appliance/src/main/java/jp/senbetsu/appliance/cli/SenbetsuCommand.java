package jp.senbetsu.appliance.cli;

import java.io.PrintWriter;

import jp.senbetsu.appliance.cli.rules.RulesCommand;
import jp.senbetsu.appliance.cli.store.StoreCommand;
import jp.senbetsu.capture.SenbetsuException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one executable. Subcommands: the appliance itself, capture-file ingestion, rule-set tools, store tools and
 * the lab tools that work only on capture files the operator already holds.
 *
 * <p>Exit codes: 0 success, 1 runtime failure (corrupt input, tampered store, key store unavailable),
 * 2 usage or configuration error. User mistakes print one line naming what and where, never a stack trace.
 */
@Command(
    name = "senbetsu",
    mixinStandardHelpOptions = true,
    versionProvider = SenbetsuVersion.class,
    description = "Metadata capture appliance: machine information only, signed automatic selection, sealed store.",
    subcommands = {
        CommandLine.HelpCommand.class,
        RunCommand.class,
        IngestCommand.class,
        DecodeCommand.class,
        FlowsCommand.class,
        RulesCommand.class,
        StoreCommand.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:runtime failure (corrupt input, tampered store, key store unavailable)",
        "2:usage or configuration error" })
public final class SenbetsuCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Builds the command line with senbetsu's error handling; tests call this to run commands in process. */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new SenbetsuCommand());
        commandLine.setExecutionExceptionHandler(SenbetsuCommand::handleExecutionException);
        commandLine.setParameterExceptionHandler(SenbetsuCommand::handleParameterException);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    private static int handleExecutionException(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        if (isBrokenPipe(ex))
        {
            // the reader of our output went away (`senbetsu decode F | head`): nothing is wrong and nothing to say
            return 0;
        }
        if (ex instanceof SenbetsuException userError)
        {
            err.println("senbetsu: " + userError.getMessage());
            err.flush();
            return userError.exitCode();
        }
        // A defect, not a user mistake: keep the trace, since it is what a developer needs to fix it.
        err.println("senbetsu: internal error: " + ex);
        ex.printStackTrace(err);
        err.flush();
        return SenbetsuException.EXIT_RUNTIME;
    }

    private static boolean isBrokenPipe(final Throwable ex)
    {
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (t instanceof java.io.IOException && t.getMessage() != null && t.getMessage().contains("Broken pipe"))
            {
                return true;
            }
        }
        return false;
    }

    private static int handleParameterException(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        err.println("senbetsu: " + ex.getMessage());
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return SenbetsuException.EXIT_USAGE;
    }
}
