package jp.senbetsu.appliance.cli.store;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code senbetsu store}: tools for the sealed store. Each subcommand needs a role (operator, analyst or auditor,
 * from the store's access.properties) and is recorded in the audit log, including refusals.
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = "Sealed store tools: init, verify, query, export, audit, erase-expired, keys, open-export.",
    subcommands = {
        StoreInitCommand.class,
        StoreVerifyCommand.class,
        StoreQueryCommand.class,
        StoreExportCommand.class,
        StoreAuditCommand.class,
        StoreEraseExpiredCommand.class,
        StoreKeysCommand.class,
        StoreOpenExportCommand.class,
    })
public final class StoreCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a store subcommand is required");
    }
}
