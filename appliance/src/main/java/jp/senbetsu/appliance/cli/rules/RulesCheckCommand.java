package jp.senbetsu.appliance.cli.rules;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetLinter;
import jp.senbetsu.selector.rules.RuleSetParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code senbetsu rules check}: lint for the people who write and sign rule sets. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
        "Lint a rule set before signing: rules selecting categories the set is not authorised for (error), " +
            "rules outside their window, rules that can never match, rules no flow reaches as the deciding rule, " +
            "overlapping rules, rules without an address the matcher must try for every flow, and sets in which " +
            "one flow could match more rules than a selected record names (warnings). " +
            "Exit 0 if no errors, 2 otherwise. Signatures are not checked." })
public final class RulesCheckCommand implements Callable<Integer>
{
    @Option(names = "--at", paramLabel = "TIME", description = "Judge windows at this instant instead of now.")
    Instant at;

    @Parameters(paramLabel = "SET", description = "Rule-set YAML file.")
    Path set;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        final RuleSet ruleSet = RuleSetParser.parse(set);
        final List<RuleSetLinter.Finding> findings = RuleSetLinter.lint(ruleSet, at != null ? at : Instant.now());
        final PrintWriter out = spec.commandLine().getOut();
        for (final RuleSetLinter.Finding f : findings)
        {
            out.println(set + ":" + f.line() + ": " + f.severity().name().toLowerCase() + ": " + f.message());
        }
        final long errors = findings.stream().filter(f -> f.severity() == RuleSetLinter.Severity.ERROR).count();
        out.println("rule set '" + ruleSet.id() + "' version " + ruleSet.version() + ": " + ruleSet.rules().size() +
            " rules, " + ruleSet.approvals().size() + " approvals, " + errors + " errors, " +
            (findings.size() - errors) + " warnings");
        out.println("bound to domestic table " + ruleSet.tableVersion());
        out.flush();
        return errors == 0 ? 0 : SenbetsuException.EXIT_USAGE;
    }
}
