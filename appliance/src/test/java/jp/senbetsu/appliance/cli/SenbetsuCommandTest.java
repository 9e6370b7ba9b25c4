package jp.senbetsu.appliance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line built for one run: only the named subcommand when the first argument names one, the whole
 * tree otherwise, with the same parsing and the same error reports either way.
 */
class SenbetsuCommandTest
{
    private static final Set<String> ALL = Set.of("help", "run", "ingest", "decode", "flows", "rules", "store");

    @Test
    void aNamedSubcommandIsBuiltAloneAndEverythingElseGetsTheWholeTree()
    {
        assertEquals(Set.of("flows"), SenbetsuCommand.commandLine("flows", "x.pcap").getSubcommands().keySet());
        assertEquals(Set.of("rules"), SenbetsuCommand.commandLine("rules", "table").getSubcommands().keySet());
        for (final List<String> args : List.of(List.<String>of(), List.of("--help"), List.of("-V"),
            List.of("help", "flows"), List.of("flowz")))
        {
            assertEquals(ALL, SenbetsuCommand.commandLine(args.toArray(String[]::new)).getSubcommands().keySet(),
                String.join(" ", args));
        }
        assertEquals(ALL, SenbetsuCommand.commandLine().getSubcommands().keySet());
    }

    @Test
    void mistakesAreReportedAlikeByTheSingleSubcommandAndTheWholeTree()
    {
        final String[] args = {"flows", "--bogus", "x.pcap"};
        final String[] whole = run(SenbetsuCommand.commandLine(), args);
        final String[] single = run(SenbetsuCommand.commandLine(args), args);
        assertEquals("2", whole[0]);
        assertEquals(whole[0], single[0], "same exit code");
        assertEquals(whole[1], single[1], "same message");
        assertTrue(single[1].contains("Unknown option: '--bogus'") && single[1].contains("senbetsu flows --help"),
            single[1]);
    }

    @Test
    void aMisspeltSubcommandOrOptionGetsTheNearestNames()
    {
        final String[] misspeltCommand = {"flowz", "x.pcap"};
        final String[] subcommand = run(SenbetsuCommand.commandLine(misspeltCommand), misspeltCommand);
        assertEquals("2", subcommand[0]);
        assertTrue(subcommand[1].contains("Unmatched arguments from index 0: 'flowz', 'x.pcap'") &&
            subcommand[1].contains("Did you mean: senbetsu flows?"), subcommand[1]);
        final String[] misspeltOption = {"flows", "--idle-timout", "5s", "x.pcap"};
        final String[] option = run(SenbetsuCommand.commandLine(misspeltOption), misspeltOption);
        assertEquals("2", option[0]);
        assertTrue(option[1].contains("'--idle-timout'") && option[1].contains("Possible solutions: --idle-timeout"),
            option[1]);
    }

    @Test
    void helpNamesEverySubcommand()
    {
        final StringWriter out = new StringWriter();
        final CommandLine cli = SenbetsuCommand.commandLine("--help");
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--help"));
        for (final String name : ALL)
        {
            assertTrue(out.toString().contains("  " + name + " "), name + " in: " + out);
        }
    }

    private static String[] run(final CommandLine cli, final String[] args)
    {
        final StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        return new String[] {Integer.toString(cli.execute(args)), err.toString()};
    }
}
