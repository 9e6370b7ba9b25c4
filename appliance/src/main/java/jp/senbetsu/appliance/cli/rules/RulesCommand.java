package jp.senbetsu.appliance.cli.rules;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code senbetsu rules}: the rule-set tools. Keys are made and sets are signed on the approvers' own machines;
 * verify, check, test and table build also run on the appliance. None of them shows a pre-selection record of a
 * live feed: {@code rules test} reads only capture files the operator already holds and prints only counts.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Rule-set tools: keygen, sign, verify, check, test, and the domestic address table.",
    subcommands = {
        RulesKeygenCommand.class,
        RulesSignCommand.class,
        RulesVerifyCommand.class,
        RulesCheckCommand.class,
        RulesTestCommand.class,
        RulesTableCommand.class,
    })
public final class RulesCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
