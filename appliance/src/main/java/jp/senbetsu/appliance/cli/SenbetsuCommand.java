package jp.senbetsu.appliance.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * The subcommands by name, in the order help lists them. Registered by {@link #commandLine(String...)}, not in
     * the annotation, so that a run builds only the one it needs: picocli reads every option of every command it
     * builds by reflection, in a JVM that has just started and interprets it: the whole tree cost ≈ 0.04 s more at
     * every start than one subcommand (measured when picocli still came as its jar); building the root and one
     * subcommand takes ≈ 0.05 s.
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands()
    {
        final Map<String, Class<?>> subcommands = new LinkedHashMap<>();
        subcommands.put("help", CommandLine.HelpCommand.class);
        subcommands.put("run", RunCommand.class);
        subcommands.put("ingest", IngestCommand.class);
        subcommands.put("decode", DecodeCommand.class);
        subcommands.put("flows", FlowsCommand.class);
        subcommands.put("rules", RulesCommand.class);
        subcommands.put("store", StoreCommand.class);
        return Collections.unmodifiableMap(subcommands);
    }

    /** Builds the whole command line with senbetsu's error handling; tests call this to run commands in process. */
    public static CommandLine commandLine()
    {
        return commandLine(new String[0]);
    }

    /**
     * Builds the command line for these arguments: when the first names a subcommand (other than {@code help}),
     * the root with that subcommand alone, which parses, runs and reports errors exactly as the whole tree would;
     * otherwise (root options, {@code help}, no or an unknown subcommand) the whole tree, so help lists every
     * subcommand and a misspelt one gets its suggestions.
     */
    public static CommandLine commandLine(final String... args)
    {
        final CommandLine commandLine = new CommandLine(new SenbetsuCommand());
        final String first = args.length > 0 ? args[0] : "";
        if (SUBCOMMANDS.containsKey(first) && !first.equals("help"))
        {
            commandLine.addSubcommand(first, SUBCOMMANDS.get(first));
        }
        else
        {
            SUBCOMMANDS.forEach(commandLine::addSubcommand);
        }
        commandLine.setExecutionExceptionHandler(SenbetsuCommand::handleExecutionException);
        commandLine.setParameterExceptionHandler(SenbetsuCommand::handleParameterException);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    public static void main(final String[] args)
    {
        System.exit(commandLine(args).execute(args));
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
        // a misspelt subcommand or option: picocli's nearest names ("Did you mean: flows?")
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return SenbetsuException.EXIT_USAGE;
    }
}
