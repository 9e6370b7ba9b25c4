package jp.senbetsu.appliance.cli.rules;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code senbetsu rules table}: the domestic address table tools. */
@Command(
    name = "table",
    mixinStandardHelpOptions = true,
    description = "Domestic address table tools.",
    subcommands = {RulesTableBuildCommand.class})
public final class RulesTableCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
