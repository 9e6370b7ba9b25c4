package jp.senbetsu.selector.rules;

import java.nio.file.Path;
import java.time.Instant;
import java.time.Period;
import java.util.List;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.selector.trie.Cidr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleSetParserTest
{
    /** The version of some domestic table: what the test sets are bound to. */
    static final String TABLE = "8e45a1ca7562554ce18e3dbb3cfd0e50baf51705e88a54b9f628dcabe3db264b";

    static final String HEADER = """
        rule_set: rs-test
        version: 4
        issuer: test
        valid_from: 2026-01-01T00:00:00Z
        valid_until: 2027-01-01T00:00:00Z
        categories: [foreign-foreign, foreign-domestic, domestic-foreign]
        table: %s
        approvals:
          - id: APP-1
          - id: APP-2
            retention: P90D
        rules:
        """.formatted(TABLE);

    static Path example()
    {
        return Path.of(System.getProperty("senbetsu.root"), "config", "examples", "rules", "example-rules.yaml");
    }

    @Test
    void theShippedExampleParsesIntoWhatItSays()
    {
        final RuleSet set = RuleSetParser.parse(example());
        assertEquals("rs-example-2026", set.id());
        assertEquals(TABLE, set.tableVersion());
        assertEquals(1, set.version());
        assertEquals(Instant.parse("2025-12-31T15:00:00Z"), set.validFrom());
        assertEquals(3, set.rules().size());
        assertEquals(Period.ofDays(180), set.approval("ACD-2026-0002").retention());
        final Rule outbound = set.rule("c2-outbound");
        assertEquals(1, outbound.ordinal());
        assertEquals("ACD-2026-0001", outbound.approval());
        assertTrue(outbound.allowsCategory(Category.DOMESTIC_FOREIGN.code()));
        assertFalse(outbound.allowsCategory(Category.FOREIGN_DOMESTIC.code()));
        assertEquals(List.of(Cidr.parse("1.0.1.0/24"), Cidr.parse("2400:3200::/32")), outbound.criteria().dst());
        assertEquals(List.of(new PortRange(443, 443), new PortRange(8000, 8099)), outbound.criteria().dstPorts());
        assertEquals(new TcpFlagCondition(2, 2), outbound.criteria().tcpFlags());
        assertEquals(KeepField.TLS_SNI.bit(), outbound.keepMask());
        final Rule scan = set.rule("transit-telnet-scan");
        assertEquals(Instant.parse("2026-02-28T15:00:00Z"), scan.validFrom());
        assertEquals(List.of(6), scan.criteria().protocols());
    }

    @Test
    void defaultsApplyWhereTheDocumentIsSilent()
    {
        final RuleSet set = RuleSetParser.parse(HEADER + """
              - id: r1
                approval: APP-1
                categories: [外外]
                match: {either: [8.8.8.0/24]}
            """, "t.yaml");
        assertEquals(Approval.DEFAULT_RETENTION, set.approval("APP-1").retention());
        final Rule r = set.rules().getFirst();
        assertEquals(set.validFrom(), r.validFrom());
        assertEquals(set.validUntil(), r.validUntil());
        assertEquals(0, r.keepMask());
        assertNull(r.criteria().tcpFlags());
        assertTrue(r.criteria().protocols().isEmpty());
    }

    @Test
    void canonicalBytesIgnoreLayoutButNotMeaning()
    {
        final String a = HEADER + """
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match: {src: [8.8.8.0/24], dst_ports: [53]}
            """;
        final String reordered = HEADER + """
              # a comment changes nothing
              - match:
                  dst_ports:
                    - "53"
                  src: [ 8.8.8.0/24 ]
                categories: [foreign-foreign]
                approval: 'APP-1'
                id: r1
            """;
        final String changed = a.replace("8.8.8.0/24", "8.8.9.0/24");
        assertArrayEquals(RuleSetParser.parse(a, "a").canonicalBytes(),
            RuleSetParser.parse(reordered, "b").canonicalBytes());
        assertFalse(java.util.Arrays.equals(RuleSetParser.parse(a, "a").canonicalBytes(),
            RuleSetParser.parse(changed, "c").canonicalBytes()));
    }

    @Test
    void errorsNameFileLineRuleAndField()
    {
        assertError("""
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match:
                  src: [8.8.8.0/24, 8.8.8.1/24]
            """, "t.yaml:17: rule 'r1' field 'match.src[1]': '8.8.8.1/24' has host bits set beyond /24");
        assertError("""
              - id: r1
                approval: APP-9
                categories: [foreign-foreign]
                match: {src: [8.8.8.0/24]}
            """, "t.yaml:14: rule 'r1' field 'approval': 'APP-9' is not declared under approvals");
        assertError("""
              - id: r1
                approval: APP-1
                categories: [domestic-domestic]
                match: {src: [8.8.8.0/24]}
            """, "t.yaml:15: rule 'r1' field 'categories[0]': 'domestic-domestic' is not a selectable category");
        assertError("""
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match: {src: [8.8.8.0/24], dst_port: [53]}
            """, "t.yaml:16: rule 'r1' field 'dst_port': unknown key in match");
        assertError("""
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match: {src: []}
            """, "t.yaml:16: rule 'r1' field 'match.src': is an empty list");
        assertError("""
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match: {dst_ports: [80-20]}
            """, "t.yaml:16: rule 'r1' field 'match.dst_ports[0]': range '80-20' runs backwards");
        assertError("""
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match: {protocols: [udp], tcp_flags: {set: [syn]}}
            """, "t.yaml:16: rule 'r1' field 'match.tcp_flags': a TCP flag test needs protocol tcp");
        assertError("""
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                valid_until: 2026-06-01
                match: {src: [8.8.8.0/24]}
            """, "t.yaml:16: rule 'r1' field 'valid_until': '2026-06-01' is not a timestamp with offset");
        assertError("""
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match: {src: [8.8.8.0/24]}
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match: {src: [8.8.8.0/24]}
            """, "t.yaml:17: rule 'r1' field 'id': rule ID is used twice");
        assertError("""
              - id: a-rule-id-longer-than-the-record-can-carry
                approval: APP-1
                categories: [foreign-foreign]
                match: {src: [8.8.8.0/24]}
            """, "t.yaml:13: field 'id': 'a-rule-id-longer-than-the-record-can-carry' must be 1..24");
        assertError("""
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match: {src: [8.8.8.0/24]}
                keep: [payload]
            """, "t.yaml:17: rule 'r1' field 'keep[0]': 'payload' is not an optional field");
        assertError("""
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
            """, "t.yaml:13: rule 'r1' field 'match': is required");
        assertError("""
              - id: r1
                approval: APP-1
                approval: APP-2
                categories: [foreign-foreign]
                match: {src: [8.8.8.0/24]}
            """, "t.yaml:15: rule 'r1' field 'approval': key appears twice");
        final RuleSetException bad = assertThrows(RuleSetException.class,
            () -> RuleSetParser.parse("rule_set: [unclosed\n", "t.yaml"));
        assertTrue(bad.getMessage().startsWith("t.yaml:"), bad.getMessage());
        assertTrue(bad.getMessage().contains("not valid YAML"), bad.getMessage());
        assertEquals(2, bad.exitCode());
    }

    @Test
    void theDomesticTableVersionIsRequiredAndMustBeAFullVersion()
    {
        assertEquals(TABLE, RuleSetParser.parse(HEADER + """
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match: {}
            """, "t.yaml").tableVersion());
        final String rule = """
              - id: r1
                approval: APP-1
                categories: [foreign-foreign]
                match: {}
            """;
        final RuleSetException missing = assertThrows(RuleSetException.class,
            () -> RuleSetParser.parse(HEADER.replace("table: " + TABLE + "\n", "") + rule, "t.yaml"));
        assertEquals("t.yaml:1: field 'table': is required", missing.getMessage());
        final RuleSetException shortened = assertThrows(RuleSetException.class,
            () -> RuleSetParser.parse(HEADER.replace(TABLE, TABLE.substring(0, 16)) + rule, "t.yaml"));
        assertEquals("t.yaml:7: field 'table': '" + TABLE.substring(0, 16) + "' is not a domestic table version: " +
            "64 lower-case hex digits as 'senbetsu rules table build' prints them", shortened.getMessage());
        assertThrows(RuleSetException.class,
            () -> RuleSetParser.parse(HEADER.replace(TABLE, TABLE.toUpperCase()) + rule, "t.yaml"));
    }

    private static void assertError(final String rules, final String expectedPrefix)
    {
        final RuleSetException ex = assertThrows(RuleSetException.class,
            () -> RuleSetParser.parse(HEADER + rules, "t.yaml"));
        assertNotNull(ex.getMessage());
        assertTrue(ex.getMessage().startsWith(expectedPrefix), () -> "expected '" + expectedPrefix + "', got '" +
            ex.getMessage() + "'");
    }

    @Test
    void lintWarnsAboutManyRulesThatNeitherAnAddressNorADestinationPortFinds()
    {
        final java.util.function.BiFunction<Integer, String, List<String>> lintOf = (count, portKey) ->
        {
            final StringBuilder rules = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                rules.append("  - id: port-").append(i).append("\n    approval: APP-1\n")
                    .append("    categories: [foreign-domestic]\n    match: {").append(portKey).append(": [")
                    .append(1000 + i).append("]}\n");
            }
            // one rule with an address does not count
            rules.append("  - id: addressed\n    approval: APP-1\n    categories: [foreign-domestic]\n")
                .append("    match: {src: [8.0.0.0/8], src_ports: [1]}\n");
            final RuleSet set = RuleSetParser.parse(HEADER + rules, "t.yaml");
            return RuleSetLinter.lint(set, Instant.parse("2026-06-01T00:00:00Z")).stream()
                .map(RuleSetLinter.Finding::message).toList();
        };
        final int over = RuleSetLinter.UNADDRESSED_LIMIT + 1;
        assertFalse(lintOf.apply(RuleSetLinter.UNADDRESSED_LIMIT, "src_ports").stream()
            .anyMatch(m -> m.contains("neither")));
        // rules naming destination ports are found through the flow's destination port: any number is fine
        assertFalse(lintOf.apply(over, "dst_ports").stream().anyMatch(m -> m.contains("neither")));
        final List<String> warned = lintOf.apply(over, "src_ports");
        assertTrue(warned.contains(over + " rules have neither an address (src, dst or either) nor a dst_ports " +
            "criterion: each is tried for every eligible flow, so deciding costs more with each one (more than " +
            RuleSetLinter.UNADDRESSED_LIMIT + "); give them addresses or destination ports where the approval " +
            "allows"), warned.toString());
    }

    @Test
    void lintFindsUnauthorisedCategoriesOverlapsUnreachableAndExpiredRules()
    {
        final String header = HEADER.replace("categories: [foreign-foreign, foreign-domestic, domestic-foreign]",
            "categories: [foreign-foreign]");
        final RuleSet set = RuleSetParser.parse(header + """
              - id: broad
                approval: APP-1
                categories: [foreign-foreign]
                match: {src: [8.0.0.0/8]}
              - id: narrow
                approval: APP-2
                categories: [foreign-foreign]
                match: {src: [8.8.8.0/24], protocols: [udp]}
              - id: sideways
                approval: APP-2
                categories: [foreign-foreign]
                match: {dst_ports: [53]}
              - id: inbound
                approval: APP-1
                categories: [foreign-domestic]
                match: {src: [9.0.0.0/8]}
              - id: old
                approval: APP-1
                categories: [foreign-foreign]
                valid_until: 2026-02-01T00:00:00Z
                match: {src: [10.0.0.0/8]}
              - id: impossible
                approval: APP-1
                categories: [foreign-foreign]
                match: {src: [11.0.0.0/8], dst: [2001:db8::/32]}
              - id: later
                approval: APP-1
                categories: [foreign-foreign]
                valid_from: 2026-09-01T00:00:00Z
                match: {src: [12.0.0.0/8]}
              - id: beyond
                approval: APP-1
                categories: [foreign-foreign]
                valid_from: 2027-02-01T00:00:00Z
                valid_until: 2027-03-01T00:00:00Z
                match: {src: [13.0.0.0/8]}
            """, "t.yaml");
        final List<RuleSetLinter.Finding> findings = RuleSetLinter.lint(set, Instant.parse("2026-06-01T00:00:00Z"));
        final List<String> messages = findings.stream().map(f -> f.severity() + " " + f.message()).toList();
        assertTrue(messages.contains("ERROR rule 'inbound' field 'categories': foreign-domestic not authorised " +
            "for the set (categories: foreign-foreign)"), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("WARNING rule 'narrow' is unreachable") &&
            m.contains("'broad'")), messages.toString());
        assertTrue(messages.contains("WARNING rule 'sideways' overlaps rule 'broad': a flow can match both; " +
            "'broad' (approval APP-1) decides"), messages.toString());
        assertTrue(messages.contains("WARNING rule 'old' field 'valid_until': expired at 2026-02-01T00:00:00Z: " +
            "it no longer selects"), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("WARNING rule 'impossible' can never match")),
            messages.toString());
        assertFalse(messages.stream().anyMatch(m -> m.contains("'inbound' overlaps")), messages.toString());
        assertTrue(messages.contains("WARNING rule 'later' field 'valid_from': not active before " +
            "2026-09-01T00:00:00Z"), messages.toString());
        assertTrue(messages.contains("WARNING rule 'beyond' field 'valid_from': its window does not overlap the " +
            "set's window: it never selects"), messages.toString());
        // the rules inside their windows get none of these
        assertFalse(messages.stream().anyMatch(m -> m.startsWith("WARNING rule 'broad' field")), messages.toString());
    }
}
