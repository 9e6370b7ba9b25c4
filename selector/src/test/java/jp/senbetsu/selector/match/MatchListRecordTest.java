package jp.senbetsu.selector.match;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.rules.Approval;
import jp.senbetsu.selector.rules.Criteria;
import jp.senbetsu.selector.rules.Rule;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.signature.TestVerification;
import jp.senbetsu.selector.table.AddressClass;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.TestTables;
import jp.senbetsu.selector.trie.Cidr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A selected record names every rule that matched its flow (issue: "the first by priority decides the approval
 * tag, all are recorded"), up to {@link SelectedFlowRecord#MAX_FURTHER_RULES} further ones, and its length follows.
 * Rules here match by destination prefix, by destination port, by either end, and one rule fails its port check, so
 * the list is the merge of several candidate runs, not one of them.
 */
class MatchListRecordTest
{
    private static final Instant FROM = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2100-01-01T00:00:00Z");
    private static final int ALL = (1 << Category.FOREIGN_FOREIGN.code()) | (1 << Category.FOREIGN_DOMESTIC.code()) |
        (1 << Category.DOMESTIC_FOREIGN.code());

    @ParameterizedTest(name = "{0} rules match")
    @ValueSource(ints = {1, 2, 7, 1024, 1100})
    void everyMatchingRuleIsNamedInPriorityOrderOnBothPaths(final int matching)
    {
        final DomesticTable table = TestTables.small();
        final SplittableRandom random = new SplittableRandom(matching);
        final Cidr foreign = TestTables.entries(table, 4, AddressClass.FOREIGN).getFirst().cidr();
        final Cidr domestic = TestTables.entries(table, 4, AddressClass.DOMESTIC).getFirst().cidr();
        final List<Rule> rules = new ArrayList<>();
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < matching; i++)
        {
            // a rule that cannot match this flow between every two that do: the record must skip it
            rules.add(rule(rules.size(), "miss-" + i, criteria(List.of(domestic), List.of(), List.of(), List.of(9))));
            final String id = "hit-" + i;
            final Criteria hit = switch (i % 3)
            {
                case 0 -> criteria(List.of(), List.of(domestic), List.of(), List.of());
                case 1 -> criteria(List.of(), List.of(), List.of(), List.of(53));
                default -> criteria(List.of(), List.of(), List.of(foreign), List.of());
            };
            rules.add(rule(rules.size(), id, hit));
            expected.add(id);
        }
        final RuleSet set = new RuleSet("rs-matches", 1, "test", FROM, UNTIL, ALL, table.versionHex(),
            List.of(new Approval("APP-1", Approval.DEFAULT_RETENTION, 0)), rules, new byte[0], "test");
        final SelectionHolder holder = new SelectionHolder();
        holder.activate(TestVerification.signedAndVerified(set), table);
        final Selector selector = new Selector(holder);

        final FlowFixture fixture = new FlowFixture();
        fixture.set(4, TestTables.randomInside(random, foreign), TestTables.randomInside(random, domestic), 17,
            40000, 53, 0, 0, Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L, true);

        // two buffers holding different garbage, as reused queue space does: a byte the writer skipped would differ
        final UnsafeBuffer one = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        one.setMemory(0, one.capacity(), (byte)0x5A);
        assertTrue(selector.select(fixture.flow, new SelectedFlowRecord().wrap(one, 0)));
        assertNamesExactly(expected, new SelectedFlowRecord().wrap(one, 0), selector.recordLength());

        final DecisionBatch batch = new DecisionBatch();
        assertEquals(1, selector.decide(new FlowRecord[] {fixture.flow}, 1, batch));
        final UnsafeBuffer batched = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        batched.setMemory(0, batched.capacity(), (byte)0xA5);
        assertTrue(selector.select(batch, 0, fixture.flow, new SelectedFlowRecord().wrap(batched, 0)));
        assertNamesExactly(expected, new SelectedFlowRecord().wrap(batched, 0), selector.recordLength(batch, 0));
        final int length = selector.recordLength(batch, 0);
        assertEquals(0, new UnsafeBuffer(one, 0, length).compareTo(new UnsafeBuffer(batched, 0, length)),
            "both paths write every byte of the record, and the same bytes");
    }

    private static void assertNamesExactly(final List<String> expected, final SelectedFlowRecord record,
        final int announcedLength)
    {
        final int further = Math.min(expected.size() - 1, SelectedFlowRecord.MAX_FURTHER_RULES);
        assertEquals(expected.size(), record.matchedRuleCount(), "the count is exact, even beyond the list");
        assertEquals(further, record.furtherRuleCount());
        assertEquals(SelectedFlowRecord.FIXED_LENGTH + further * SelectedFlowRecord.MAX_ID_LENGTH, record.length());
        assertEquals(record.length(), announcedLength, "the selector announces the length it then writes");
        assertEquals(expected.getFirst(), record.ruleId());
        for (int i = 0; i < further; i++)
        {
            assertEquals(expected.get(i + 1), record.furtherRuleId(i), "further rule " + i);
        }
        assertEquals(0, record.buffer().getByte(record.offset() + SelectedFlowRecord.RESERVED_OFFSET));
    }

    private static Rule rule(final int ordinal, final String id, final Criteria criteria)
    {
        return new Rule(ordinal, id, "APP-1", ALL, FROM, UNTIL, criteria, 0, 0);
    }

    private static Criteria criteria(final List<Cidr> src, final List<Cidr> dst, final List<Cidr> either,
        final List<Integer> dstPorts)
    {
        return new Criteria(src, dst, either, List.of(), dstPorts.stream()
            .map(p -> new jp.senbetsu.selector.rules.PortRange(p, p)).toList(), List.of(), List.of(), null,
            List.of(), List.of());
    }
}
