package jp.senbetsu.appliance.cli.rules;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import jp.senbetsu.appliance.cli.CaptureFilePipeline;
import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.ring.CapturePipeline;
import jp.senbetsu.selector.match.DiscardReason;
import jp.senbetsu.selector.match.SelectionCounters;
import jp.senbetsu.selector.match.SelectionHolder;
import jp.senbetsu.selector.match.Selector;
import jp.senbetsu.selector.match.TableBinding;
import jp.senbetsu.selector.rules.Rule;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetException;
import jp.senbetsu.selector.rules.RuleSetLinter;
import jp.senbetsu.selector.rules.RuleSetParser;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.DomesticTableFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code senbetsu rules test}: runs capture files the operator already holds through the appliance's own
 * pipeline (file → ring → decode → classify → flows → select) with a draft rule set, and prints counts only:
 * per rule and per category. It prints no record of anything, selected or not, and never reads a live feed.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
        "Run capture files through decode, classification, the flow meter and selection with a rule set, and " +
            "print per-rule hit counts and per-category totals. Prints no record. Signatures are not required " +
            "(test a draft before signing); a set with lint errors is refused." })
public final class RulesTestCommand implements Callable<Integer>
{
    @Option(names = "--rules", required = true, paramLabel = "SET", description = "Rule-set YAML file.")
    Path rules;

    @Option(names = "--table", required = true, paramLabel = "TABLE",
        description = "Domestic address table file (from 'rules table build').")
    Path table;

    @Option(names = "--ignore-windows",
        description = "Treat every rule as valid whenever the capture was taken (old captures against new rules).")
    boolean ignoreWindows;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "pcap, pcapng or gzip-compressed capture files.")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        final RuleSet parsed = RuleSetParser.parse(rules);
        RuleSetLinter.lint(parsed, Instant.now()).stream()
            .filter(f -> f.severity() == RuleSetLinter.Severity.ERROR)
            .findFirst()
            .ifPresent(f ->
            {
                throw new RuleSetException(rules + ":" + f.line() + ": " + f.message());
            });
        final RuleSet ruleSet = ignoreWindows ? withoutWindows(parsed) : parsed;
        final DomesticTable domestic = DomesticTableFile.read(table);
        // unsigned draft: a separate, frozen holder that the appliance's activation never sees
        final SelectionHolder holder = SelectionHolder.unverifiedDraft(ruleSet, domestic);
        final Selector selector = new Selector(holder);

        final MetricsRegistry registry = new MetricsRegistry();
        // one flow shard: the selector runs on that shard's thread only; one capture, so no table prefaulting
        final Throwable stageError = CaptureFilePipeline.run(files, new FlowConfiguration().prefaultMemory(false),
            holder.classifier(), selector::decide, registry);
        CaptureFilePipeline.throwIfFailed(stageError);
        report(spec.commandLine().getOut(), ruleSet, domestic, selector.counters(), registry);
        return 0;
    }

    private void report(final PrintWriter out, final RuleSet ruleSet, final DomesticTable domestic,
        final SelectionCounters counters, final MetricsRegistry registry)
    {
        out.println("rule set '" + ruleSet.id() + "' version " + ruleSet.version() + ", table " +
            DomesticTable.versionText(domestic.version()) + (ignoreWindows ? ", rule windows ignored" : ""));
        if (!TableBinding.matches(ruleSet, domestic))
        {
            out.println("warning: the set is bound to table " + ruleSet.tableVersion() + " but this table is " +
                domestic.versionHex() + ": the appliance would refuse this pair");
        }
        out.println("packets by category (内内 and unknown are dropped before the flow meter):");
        for (final Category c : Category.values())
        {
            out.printf("  %-18s %-4s %12d%n", c.label(), c.kanji(),
                registry.value(CapturePipeline.CATEGORY_PACKETS, "category", c.label()));
        }
        out.println("flows by category: selected / no rule matched");
        for (final Category c : Category.values())
        {
            if (c.eligible())
            {
                out.printf("  %-18s %-4s %12d / %d%n", c.label(), c.kanji(), counters.selected(c),
                    counters.discarded(c, DiscardReason.NO_RULE_MATCHED));
            }
        }
        out.println("rules: flows matched / decided (first match, whose approval the record carries)");
        for (final Rule rule : ruleSet.rules())
        {
            out.printf("  %-24s %-24s %12d / %d%n", rule.id(), rule.approval(), counters.ruleMatches(rule.ordinal()),
                counters.ruleDecisions(rule.ordinal()));
        }
        out.println("total: " + counters.totalSelected() + " flows selected, " + counters.totalDiscarded() +
            " discarded (counted only)");
        out.flush();
    }

    private static RuleSet withoutWindows(final RuleSet set)
    {
        final Instant from = Instant.parse("1970-01-01T00:00:00Z");
        final Instant until = Instant.parse("2262-01-01T00:00:00Z");
        final List<Rule> rules = set.rules().stream()
            .map(r -> new Rule(r.ordinal(), r.id(), r.approval(), r.categoryMask(), from, until, r.criteria(),
                r.keepMask(), r.line()))
            .toList();
        return new RuleSet(set.id(), set.version(), set.issuer(), from, until, set.authorisedCategoryMask(),
            set.tableVersion(), set.approvals(), rules, set.canonicalBytes(), set.source());
    }
}
