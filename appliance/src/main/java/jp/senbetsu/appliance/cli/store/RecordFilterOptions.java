package jp.senbetsu.appliance.cli.store;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.query.Purpose;
import jp.senbetsu.store.query.RecordFilter;
import picocli.CommandLine.Option;

/** Filter and purpose options of {@code query} and {@code export}. */
public final class RecordFilterOptions
{
    @Option(names = "--from", paramLabel = "TIME",
        description = "Flows ending at or after TIME (ISO-8601 instant, e.g. 2026-11-27T07:00:00Z, or epoch ns).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Flows starting at or before TIME.")
    String to;

    @Option(names = "--address", paramLabel = "ADDR[/LEN]",
        description = "Flows with this source or destination address or prefix (repeatable).")
    List<String> addresses = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT", description = "Flows with this source or destination port "
        + "(repeatable).")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--rule", paramLabel = "ID", description = "Flows selected by this rule ID: the rule that "
        + "decided them (repeatable).")
    List<String> rules = new ArrayList<>();

    @Option(names = "--matched-rule", paramLabel = "ID", description = "Flows this rule ID matched, whether it "
        + "decided them or not: a record names every matching rule (repeatable).")
    List<String> matchedRules = new ArrayList<>();

    @Option(names = "--approval", paramLabel = "ID", description = "Flows selected under this approval ID; must be "
        + "the --purpose-approval (a read never returns records of another approval).")
    List<String> approvals = new ArrayList<>();

    @Option(names = "--purpose", paramLabel = "TEXT", required = true,
        description = "Why these records are read (recorded in the audit log).")
    String purpose;

    @Option(names = "--purpose-approval", paramLabel = "ID", required = true,
        description = "Approval ID this read is done under: only records selected under it are returned; it must "
            + "be known to the store (named by an activated rule set). Recorded in the audit log.")
    String purposeApproval;

    public RecordFilter filter()
    {
        final RecordFilter filter = new RecordFilter()
            .timeRange(from == null ? Long.MIN_VALUE : time(from), to == null ? Long.MAX_VALUE : time(to));
        addresses.forEach(filter::address);
        for (final int port : ports)
        {
            if (port < 0 || port > 65535)
            {
                throw new StoreException("--port " + port + " is not a port number", SenbetsuException.EXIT_USAGE);
            }
            filter.port(port);
        }
        rules.forEach(filter::ruleId);
        matchedRules.forEach(filter::matchedRuleId);
        approvals.forEach(filter::approvalId);
        return filter;
    }

    public String describe()
    {
        return "from=" + (from == null ? "-" : from) + " to=" + (to == null ? "-" : to) + " addresses=" + addresses
            + " ports=" + ports + " rules=" + rules + " matchedRules=" + matchedRules + " approvals=" + approvals;
    }

    public Purpose purpose()
    {
        return new Purpose(purpose, purposeApproval);
    }

    private static long time(final String text)
    {
        try
        {
            if (text.chars().allMatch(Character::isDigit))
            {
                return Long.parseLong(text);
            }
            final Instant instant = Instant.parse(text);
            return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        }
        catch (final DateTimeParseException | NumberFormatException ex)
        {
            throw new StoreException("invalid time '" + text + "': use an ISO-8601 instant or epoch nanoseconds",
                SenbetsuException.EXIT_USAGE);
        }
    }
}
