package jp.senbetsu.appliance.cli.rules;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import jp.senbetsu.selector.table.AddressClass;
import jp.senbetsu.selector.table.DelegatedStatisticsReader;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.DomesticTableBuilder;
import jp.senbetsu.selector.table.DomesticTableFile;
import jp.senbetsu.selector.table.SpecialPurposeRanges;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code senbetsu rules table build}: compiles the versioned domestic address table. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = {
        "Compile RIR delegated-statistics files and operator overrides into a domestic address table file. " +
            "Special-purpose ranges (RFC 6890) are always unknown; overrides beat delegated entries; the longest " +
            "prefix wins within a layer. Prints the counts and the table version (SHA-256 of the content)." })
public final class RulesTableBuildCommand implements Callable<Integer>
{
    @Option(names = "--delegated", required = true, arity = "1..*", paramLabel = "FILE",
        description = "RIR delegated-statistics files (registry|cc|type|start|value|date|status).")
    List<Path> delegated;

    @Option(names = "--override", arity = "1..*", paramLabel = "FILE",
        description = "Operator override files: lines 'domestic|foreign|unknown PREFIX [cc=XX] [asn=N]'.")
    List<Path> overrides = List.of();

    @Option(names = "--country", defaultValue = "JP", description = "Domestic country code (default ${DEFAULT-VALUE}).")
    String country;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "TABLE", description = "Table file to write.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        final DomesticTableBuilder builder = new DomesticTableBuilder(country);
        delegated.forEach(builder::addDelegated);
        overrides.forEach(builder::addOverrides);
        final DomesticTable table = builder.build();
        DomesticTableFile.write(table, output);
        final long started = System.nanoTime();
        final DomesticTable reread = DomesticTableFile.read(output);
        final long loadMs = (System.nanoTime() - started) / 1_000_000;
        final DelegatedStatisticsReader.Counts counts = builder.delegatedCounts();
        final PrintWriter out = spec.commandLine().getOut();
        out.println("read " + delegated.size() + " delegated file(s): " + counts.domesticIpv4Entries + " " + country +
            " IPv4 and " + counts.domesticIpv6Entries + " " + country + " IPv6 entries, " +
            counts.foreignIpv4Entries + " foreign IPv4 and " + counts.foreignIpv6Entries + " foreign IPv6 entries, " +
            counts.skippedEntries + " available/reserved skipped");
        out.println("read " + overrides.size() + " override file(s): " + builder.overrideLines() + " prefixes; " +
            SpecialPurposeRanges.RANGES.size() + " special-purpose ranges kept unknown");
        out.println("table: IPv4 " + table.count(4, AddressClass.DOMESTIC) + " domestic + " +
            table.count(4, AddressClass.FOREIGN) + " foreign prefixes, IPv6 " + table.count(6, AddressClass.DOMESTIC) +
            " domestic + " + table.count(6, AddressClass.FOREIGN) + " foreign prefixes");
        out.println("version " + reread.versionHex() + " (records carry " +
            DomesticTable.versionText(reread.version()) + "), written to " + output + ", reloads in " + loadMs + " ms");
        return 0;
    }
}
