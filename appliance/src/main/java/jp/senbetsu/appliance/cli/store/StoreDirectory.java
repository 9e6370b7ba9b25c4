package jp.senbetsu.appliance.cli.store;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The {@code --store} option shared by every store subcommand. */
public final class StoreDirectory
{
    /** Where a deployed appliance keeps its store. */
    public static final String DEFAULT = "/var/lib/senbetsu/store";

    @Option(names = "--store", paramLabel = "DIR", defaultValue = DEFAULT,
        description = "Store directory (default: ${DEFAULT-VALUE}).")
    Path directory;

    public Path directory()
    {
        return directory;
    }
}
