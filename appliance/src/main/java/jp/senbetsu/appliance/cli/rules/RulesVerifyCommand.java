package jp.senbetsu.appliance.cli.rules;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import jp.senbetsu.selector.match.TableBinding;
import jp.senbetsu.selector.rules.Approval;
import jp.senbetsu.selector.signature.ApproverKey;
import jp.senbetsu.selector.signature.RuleSetLoader;
import jp.senbetsu.selector.signature.VerifiedRuleSet;
import jp.senbetsu.selector.table.DomesticTableFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code senbetsu rules verify}: answers whether the appliance would accept a rule set, and why not. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Verify a rule set exactly as the appliance does before activating it: strict parse, lint errors, " +
            "signatures from distinct trusted keys including an approver, validity window, and (with --table) " +
            "the bound domestic table. Exit 0 if it would be accepted, 2 if refused." })
public final class RulesVerifyCommand implements Callable<Integer>
{
    @Mixin
    TrustOptions trust;

    @Option(names = "--signatures", paramLabel = "FILE", description = "Signature file (default: SET.sig).")
    Path signatures;

    @Option(names = "--at", paramLabel = "TIME", description = "Check validity at this instant instead of now " +
        "(ISO-8601, e.g. 2026-04-01T00:00:00Z).")
    Instant at;

    @Option(names = "--table", paramLabel = "TABLE", description = "Also check that this domestic table file is " +
        "the one the set is bound to, as activation on the appliance does.")
    Path table;

    @Parameters(paramLabel = "SET", description = "Rule-set YAML file.")
    Path set;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        final VerifiedRuleSet verified =
            RuleSetLoader.load(set, signatures, trust.policy(), at != null ? at : Instant.now());
        final var ruleSet = verified.ruleSet();
        if (table != null)
        {
            TableBinding.check(ruleSet, DomesticTableFile.read(table));
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.println("accepted: rule set '" + ruleSet.id() + "' version " + ruleSet.version() + ", " +
            ruleSet.rules().size() + " rules, valid " + ruleSet.validFrom() + " to " + ruleSet.validUntil());
        out.println("  bound to domestic table " + ruleSet.tableVersion() +
            (table != null ? " (" + table + " is that table)" : ""));
        for (final ApproverKey key : verified.signers())
        {
            out.println("  signed by " + key.name() + "/" + key.role() + " (key " + key.keyId() + ")");
        }
        for (final Approval approval : ruleSet.approvals())
        {
            out.println("  approval " + approval.id() + ": retention " + approval.retention());
        }
        return 0;
    }
}
