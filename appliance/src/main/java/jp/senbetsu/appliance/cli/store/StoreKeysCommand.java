package jp.senbetsu.appliance.cli.store;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code senbetsu store keys}: list data keys, rotate the master key. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Key tools: list, rotate.",
    subcommands = {StoreKeysListCommand.class, StoreKeysRotateCommand.class})
public final class StoreKeysCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a keys subcommand is required (list, rotate)");
    }
}
