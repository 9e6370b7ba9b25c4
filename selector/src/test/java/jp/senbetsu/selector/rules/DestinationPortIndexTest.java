package jp.senbetsu.selector.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jp.senbetsu.selector.trie.Cidr;
import org.junit.jupiter.api.Test;

/**
 * The size of the destination-port index, counted by hand for small sets, and its bound for large ones; and the
 * linter's bound on the rules one flow can match, whose port part is the index's longest run.
 */
class DestinationPortIndexTest
{
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void countsEveryRunOfEverySpanWithItsEndMark()
    {
        assertEquals(0, DestinationPortIndex.entries(List.of(rule(0, List.of(Cidr.parse("8.0.0.0/8")), List.of(),
            List.of()))), "a set whose rules all name addresses has no index");
        // one rule of port 53: spans [0,53) empty, [53,54) one rule, [54,65536) empty: three end marks, one entry
        assertEquals(4, DestinationPortIndex.entries(List.of(rule(0, List.of(), List.of(new PortRange(53, 53)),
            List.of()))));
        // plus a rule that fits every span (source ports only) and overlapping ranges of one rule (merged):
        // spans [0,53) 1, [53,81) 2, [81,65536) 1 rule, each with its end mark
        assertEquals(2 + 3 + 2, DestinationPortIndex.entries(List.of(
            rule(0, List.of(), List.of(new PortRange(53, 80), new PortRange(60, 70)), List.of()),
            rule(1, List.of(), List.of(), List.of(new PortRange(1024, 65_535))))));
        // a range up to the last port: spans [0,443) 0, [443,65536) 1
        assertEquals(1 + 2, DestinationPortIndex.entries(List.of(rule(0, List.of(),
            List.of(new PortRange(443, 65_535)), List.of()))));
    }

    @Test
    void tensOfThousandsOfOnePortRulesFitUnlessManyRulesFitEverySpan()
    {
        final List<Rule> rules = new ArrayList<>();
        for (int r = 0; r < 30_000; r++)
        {
            rules.add(rule(r, List.of(), List.of(new PortRange(2 * r, 2 * r)), List.of()));
        }
        assertTrue(DestinationPortIndex.fits(rules), "30 000 one-port rules");
        for (int r = 0; r < 70; r++)
        {
            rules.add(rule(30_000 + r, List.of(), List.of(new PortRange(1, 65_535)), List.of()));
        }
        assertFalse(lint(rules.subList(0, 30_000)).stream().anyMatch(m -> m.contains("destination port (")));
        // ≈ 60 000 spans with 70 more rules each: over 4 M entries
        assertFalse(DestinationPortIndex.fits(rules), "plus 70 wide ranges: " + DestinationPortIndex.entries(rules));
        final List<String> warned = lint(rules);
        assertTrue(warned.stream().anyMatch(m -> m.startsWith("the rules without an address are too many to be " +
            "found by destination port (" + DestinationPortIndex.entries(rules) + " index entries, at most 4194304)")),
            warned.toString());
    }

    @Test
    void aSetInWhichOneFlowCouldMatchMoreRulesThanARecordNamesIsWarnedAbout()
    {
        // 2 000 disjoint /32s and 2 000 one-port rules: at most one of each per flow
        final List<Rule> rules = new ArrayList<>();
        for (int r = 0; r < 2_000; r++)
        {
            rules.add(rule(rules.size(), List.of(Cidr.parse("10.0." + (r >> 8) + "." + (r & 255) + "/32")),
                List.of(), List.of()));
            rules.add(rule(rules.size(), List.of(), List.of(new PortRange(r, r)), List.of()));
        }
        assertEquals(2, RuleSetLinter.matchBound(rules));
        assertFalse(lint(rules).stream().anyMatch(m -> m.startsWith("one flow can match")), lint(rules).toString());
        // 600 nested source prefixes (/8 to /32 along one address, and repeats) and 500 rules on port 53
        for (int r = 0; r < 600; r++)
        {
            final int length = 8 + r % 25;
            rules.add(rule(rules.size(), List.of(Cidr.ofIpv4(0x0A00_0000L & (0xFFFF_FFFFL << (32 - length)), length)),
                List.of(), List.of()));
        }
        for (int r = 0; r < 500; r++)
        {
            rules.add(rule(rules.size(), List.of(), List.of(new PortRange(53, 53)), List.of()));
        }
        // every /8../32 prefix holds 10.0.0.0, as does the /32 10.0.0.0; port 53 has its 501 rules
        assertEquals(601 + 501, RuleSetLinter.matchBound(rules));
        assertTrue(lint(rules).contains("one flow can match up to 1102 rules (at worst: the deepest nesting of " +
            "source prefixes, of destination prefixes, and of rules without an address on one destination port), " +
            "but a selected record names at most 1024 of them, the first by order, and keeps the exact count; " +
            "split overlapping rules into fewer, wider ones"), lint(rules).toString());
    }

    private static List<String> lint(final List<Rule> rules)
    {
        final RuleSet set = new RuleSet("rs-ports", 1, "test", FROM, UNTIL, 0b1110, "00", List.of(
            new Approval("APP-1", Approval.DEFAULT_RETENTION, 0)), rules, new byte[0], "test");
        return RuleSetLinter.lint(set, Instant.parse("2026-06-01T00:00:00Z")).stream()
            .map(RuleSetLinter.Finding::message).toList();
    }

    private static Rule rule(final int ordinal, final List<Cidr> src, final List<PortRange> dstPorts,
        final List<PortRange> srcPorts)
    {
        final Criteria criteria = new Criteria(src, List.of(), List.of(), srcPorts, dstPorts, List.of(), List.of(),
            null, List.of(), List.of());
        return new Rule(ordinal, "r" + ordinal, "APP-1", 0b1110, FROM, UNTIL, criteria, 0, 0);
    }
}
