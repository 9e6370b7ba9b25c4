package jp.senbetsu.selector.match;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.signature.TestVerification;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.TableEntry;
import jp.senbetsu.selector.table.TestTables;
import jp.senbetsu.selector.trie.Cidr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For seeded random rule sets and random flows, the compiled matcher and the selector answer exactly what the
 * reference evaluator answers: the same matching rules in the same order, hence the same deciding approval.
 */
class CompiledMatcherPropertyTest
{
    @Test
    void compiledMatcherAgreesWithTheReferenceEvaluator()
    {
        final DomesticTable table = TestTables.small();
        final List<TableEntry> entries = table.entries();
        long decisions = 0;
        long matched = 0;
        long multiple = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            final SplittableRandom random = new SplittableRandom(0xC0FFEE + seed);
            final List<Cidr> pool = RandomRuleSets.prefixPool(random);
            final RuleSet set = RandomRuleSets.ruleSet(random, pool, 1 + random.nextInt(seed < 30 ? 60 : 400));
            final CompiledRuleSet compiled = CompiledRuleSet.compile(set, table);
            final SelectionHolder holder = new SelectionHolder();
            holder.activate(TestVerification.signedAndVerified(set), table);
            final Selector selector = new Selector(holder);
            final MatchResult result = new MatchResult();
            final FlowFixture fixture = new FlowFixture();
            final UnsafeBuffer out = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
            final SelectedFlowRecord record = new SelectedFlowRecord().wrap(out, 0);
            for (int i = 0; i < 5_000; i++)
            {
                final int family = random.nextBoolean() ? 4 : 6;
                final FlowRecord flow = randomFlow(random, fixture, family, pool, entries);
                final int srcAttribute = table.attributeAt(family, flow.buffer(), flow.srcAddressOffset());
                final int dstAttribute = table.attributeAt(family, flow.buffer(), flow.dstAddressOffset());
                final int category = table.category(srcAttribute, dstAttribute);
                final List<Integer> expected =
                    ReferenceEvaluator.matches(set, flow, category, srcAttribute, dstAttribute, table);
                assertEquals(category, compiled.decide(flow, result));
                assertEquals(srcAttribute, result.srcAttribute());
                assertEquals(dstAttribute, result.dstAttribute());
                assertEquals(expected, ordinals(result));
                decisions += Category.ofCode(category).eligible() ? 1 : 0;
                final boolean selected = selector.select(flow, record);
                assertEquals(!expected.isEmpty(), selected);
                if (selected)
                {
                    matched++;
                    multiple += expected.size() > 1 ? 1 : 0;
                    final int first = expected.getFirst();
                    assertEquals(category, record.category());
                    assertEquals(set.rules().get(first).id(), record.ruleId());
                    assertEquals(set.rules().get(first).approval(), record.approvalId());
                    assertEquals(set.rules().get(first).keepMask(), record.keepMask());
                    assertEquals(expected.size(), record.matchedRuleCount());
                    assertEquals(expected.size() - 1, record.furtherRuleCount());
                    assertEquals(selector.recordLength(), record.length());
                    for (int j = 1; j < expected.size(); j++)
                    {
                        assertEquals(set.rules().get(expected.get(j)).id(), record.furtherRuleId(j - 1));
                    }
                    assertEquals("rs-random", record.ruleSetId());
                    assertEquals(table.version(), record.tableVersion());
                    assertEquals(flow.endNs(), record.flow().endNs());
                    assertEquals(flow.srcPort(), record.flow().srcPort());
                }
            }
        }
        // the property must have been exercised, not passed vacuously
        assertTrue(decisions > 50_000, "eligible decisions " + decisions);
        assertTrue(matched > 5_000, "matched " + matched);
        assertTrue(multiple > 500, "multiple matches " + multiple);
    }

    /**
     * Also with most rules lacking an address (then found through the flow's destination port, see
     * {@code CompiledRuleSet.unaddressed}), so that every kind of port criterion meets flows inside and outside
     * its ranges, and flows without ports.
     */
    @ParameterizedTest(name = "{0} % of rules without an address")
    @ValueSource(ints = {0, 70})
    void batchedDecisionsAgreeWithTheReferenceEvaluatorAndTheOneFlowPath(final int withoutAddressPercent)
    {
        final DomesticTable table = TestTables.small();
        final List<TableEntry> entries = table.entries();
        long eligible = 0;
        long matched = 0;
        long batches = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            final SplittableRandom random = new SplittableRandom(0xBA7C4 + seed);
            final List<Cidr> pool = RandomRuleSets.prefixPool(random);
            final RuleSet set = RandomRuleSets.ruleSet(random, pool, 1 + random.nextInt(seed < 15 ? 60 : 400),
                withoutAddressPercent);
            final SelectionHolder holder = new SelectionHolder();
            holder.activate(TestVerification.signedAndVerified(set), table);
            final Selector batched = new Selector(holder);
            final Selector single = new Selector(holder);
            final DecisionBatch batch = new DecisionBatch();
            final FlowFixture[] fixtures = new FlowFixture[DecisionBatch.CAPACITY];
            final FlowRecord[] flows = new FlowRecord[DecisionBatch.CAPACITY];
            for (int i = 0; i < fixtures.length; i++)
            {
                fixtures[i] = new FlowFixture();
            }
            final SelectedFlowRecord batchRecord =
                new SelectedFlowRecord().wrap(new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]), 0);
            final SelectedFlowRecord singleRecord =
                new SelectedFlowRecord().wrap(new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]), 0);
            for (int round = 0; round < 250; round++)
            {
                // batch sizes from 1 to full, one family or both mixed, now and then a flow of neither family
                final int count = 1 + random.nextInt(DecisionBatch.CAPACITY);
                final int onlyFamily = random.nextInt(3) == 0 ? 0 : (random.nextBoolean() ? 4 : 6);
                for (int i = 0; i < count; i++)
                {
                    final int family = onlyFamily != 0 ? onlyFamily : (random.nextBoolean() ? 4 : 6);
                    flows[i] = randomFlow(random, fixtures[i], family, pool, entries);
                    if (random.nextInt(200) == 0)
                    {
                        flows[i].ipVersion(0);
                    }
                }
                final int selectedCount = batched.decide(flows, count, batch);
                batches++;
                int expectedSelected = 0;
                for (int i = 0; i < count; i++)
                {
                    final FlowRecord flow = flows[i];
                    final boolean singleSelected = single.select(flow, singleRecord);
                    assertEquals(single.category(), batch.category(i));
                    assertEquals(ordinals(single.result()), ordinals(batch.result(i)));
                    assertEquals(singleSelected, batch.selected(i));
                    if (flow.ipVersion() == 4 || flow.ipVersion() == 6)
                    {
                        final int family = flow.ipVersion();
                        final int srcAttribute = table.attributeAt(family, flow.buffer(), flow.srcAddressOffset());
                        final int dstAttribute = table.attributeAt(family, flow.buffer(), flow.dstAddressOffset());
                        final int category = table.category(srcAttribute, dstAttribute);
                        assertEquals(category, batch.category(i));
                        assertEquals(srcAttribute, batch.result(i).srcAttribute());
                        assertEquals(dstAttribute, batch.result(i).dstAttribute());
                        final List<Integer> expected = Category.ofCode(category).eligible() ?
                            ReferenceEvaluator.matches(set, flow, category, srcAttribute, dstAttribute, table) :
                            List.of();
                        assertEquals(expected, ordinals(batch.result(i)));
                        eligible += Category.ofCode(category).eligible() ? 1 : 0;
                    }
                    assertEquals(singleSelected, batched.select(batch, i, flow, batchRecord));
                    if (singleSelected)
                    {
                        matched++;
                        expectedSelected++;
                        assertArrayEquals(singleRecord.buffer().byteArray(), batchRecord.buffer().byteArray(),
                            "batch and one-flow records differ");
                    }
                }
                assertEquals(expectedSelected, selectedCount);
            }
            for (final Category category : Category.values())
            {
                assertEquals(single.counters().selected(category), batched.counters().selected(category));
                for (final DiscardReason reason : DiscardReason.values())
                {
                    assertEquals(single.counters().discarded(category, reason),
                        batched.counters().discarded(category, reason));
                }
            }
            for (int r = 0; r < set.rules().size(); r++)
            {
                assertEquals(single.counters().ruleMatches(r), batched.counters().ruleMatches(r));
                assertEquals(single.counters().ruleDecisions(r), batched.counters().ruleDecisions(r));
            }
        }
        assertTrue(batches == 5_000, "batches " + batches);
        assertTrue(eligible > 30_000, "eligible decisions " + eligible);
        assertTrue(matched > 3_000, "matched " + matched);
    }

    /**
     * Rules without an address, by kind: one-port {@code dst_ports} rules (indexed), plus rules in every run
     * (source ports only, or no port criterion). Few of the latter: found by destination port; too many for the
     * spans' runs: one run for every port. Either way every flow gets exactly the reference evaluator's rules.
     */
    @ParameterizedTest(name = "{0} rules in every run")
    @ValueSource(ints = {3, 80})
    void rulesWithoutAnAddressAreFoundByDestinationPortOrAllTogether(final int inEveryRun)
    {
        final DomesticTable table = TestTables.small();
        final SplittableRandom random = new SplittableRandom(0x9087 + inEveryRun);
        final List<Cidr> pool = RandomRuleSets.prefixPool(random);
        final int all = RandomRuleSets.CATEGORY_BITS[0] | RandomRuleSets.CATEGORY_BITS[1] |
            RandomRuleSets.CATEGORY_BITS[2];
        final java.time.Instant from = RandomRuleSets.instant(RandomRuleSets.SET_FROM_NS);
        final java.time.Instant until = RandomRuleSets.instant(RandomRuleSets.SET_UNTIL_NS);
        final List<jp.senbetsu.selector.rules.Rule> rules = new ArrayList<>();
        // 60 000 one-port rules over the whole port space: with 80 rules in every run their spans' runs would
        // exceed the index's bound, so that case falls back to one run
        for (int r = 0; r < 60_000 + inEveryRun; r++)
        {
            // the first rules are in every run: half with source ports only, half without any port criterion
            final boolean everyRun = r < inEveryRun;
            final int port = r < 200 + inEveryRun ? random.nextInt(130) : random.nextInt(65_536);
            final List<jp.senbetsu.selector.rules.PortRange> one = List.of(new jp.senbetsu.selector.rules.PortRange(
                port, port));
            final jp.senbetsu.selector.rules.Criteria criteria = new jp.senbetsu.selector.rules.Criteria(List.of(),
                List.of(), List.of(), everyRun && r % 2 == 0 ? one : List.of(), everyRun ? List.of() : one,
                List.of(), List.of(), null, List.of(), List.of());
            rules.add(new jp.senbetsu.selector.rules.Rule(r, "r" + r, "APP-0", all, from, until, criteria, 0, 0));
        }
        final RuleSet set = new RuleSet("rs-ports", 1, "test", from, until, all, table.versionHex(),
            List.of(new jp.senbetsu.selector.rules.Approval("APP-0",
                jp.senbetsu.selector.rules.Approval.DEFAULT_RETENTION, 0)), rules, new byte[0], "ports");
        final CompiledRuleSet compiled = CompiledRuleSet.compile(set, table);
        assertEquals(inEveryRun < 64, compiled.unaddressedIndexedByPort(),
            "indexed by destination port unless the spans' runs grow too large");
        assertEquals(jp.senbetsu.selector.rules.DestinationPortIndex.fits(rules), compiled.unaddressedIndexedByPort(),
            "the compiler and rules check agree");
        final MatchResult result = new MatchResult();
        final FlowFixture fixture = new FlowFixture();
        long matched = 0;
        for (int i = 0; i < 2_000; i++)
        {
            final FlowRecord flow = randomFlow(random, fixture, random.nextBoolean() ? 4 : 6, pool, table.entries());
            final int srcAttribute = table.attributeAt(flow.ipVersion(), flow.buffer(), flow.srcAddressOffset());
            final int dstAttribute = table.attributeAt(flow.ipVersion(), flow.buffer(), flow.dstAddressOffset());
            final int category = table.category(srcAttribute, dstAttribute);
            final List<Integer> expected = Category.ofCode(category).eligible() ?
                ReferenceEvaluator.matches(set, flow, category, srcAttribute, dstAttribute, table) : List.of();
            compiled.decide(flow, result);
            assertEquals(expected, ordinals(result));
            matched += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(matched > 200, "flows with a match: " + matched);
    }

    private static List<Integer> ordinals(final MatchResult result)
    {
        final List<Integer> out = new ArrayList<>();
        for (int i = 0; i < result.count(); i++)
        {
            out.add(result.ordinal(i));
        }
        return out;
    }

    static FlowRecord randomFlow(final SplittableRandom random, final FlowFixture fixture, final int family,
        final List<Cidr> pool, final List<TableEntry> entries)
    {
        final long[] src = randomAddress(random, family, pool, entries);
        final long[] dst = randomAddress(random, family, pool, entries);
        final int protocol = random.nextInt(8) == 0 ? random.nextInt(256) :
            RandomRuleSets.PROTOCOLS[random.nextInt(RandomRuleSets.PROTOCOLS.length)];
        final boolean hasPorts = (protocol == 6 || protocol == 17 || protocol == 132) && random.nextInt(10) != 0;
        // a fifth of the flows end exactly on, or one nanosecond beside, a window boundary
        final long end = random.nextInt(5) == 0 ?
            RandomRuleSets.BASE_NS + (random.nextInt(6) - 2) * RandomRuleSets.HOUR_NS + random.nextInt(3) - 1 :
            RandomRuleSets.BASE_NS + random.nextLong(-3 * RandomRuleSets.HOUR_NS, 4 * RandomRuleSets.HOUR_NS);
        return fixture.set(family, src, dst, protocol, port(random), port(random),
            random.nextInt(0x200), random.nextInt(0x200), end, hasPorts);
    }

    /** Mostly a port the random rules name (0..129), now and then one at the top of the port space, or any. */
    private static int port(final SplittableRandom random)
    {
        final int pick = random.nextInt(20);
        return pick == 0 ? 65_535 - random.nextInt(3) : pick == 1 ? random.nextInt(65_536) : random.nextInt(130);
    }

    private static long[] randomAddress(final SplittableRandom random, final int family, final List<Cidr> pool,
        final List<TableEntry> entries)
    {
        final int pick = random.nextInt(10);
        if (pick < 6)
        {
            final List<Cidr> ofFamily = pool.stream().filter(c -> c.family() == family).toList();
            return TestTables.randomInside(random, ofFamily.get(random.nextInt(ofFamily.size())));
        }
        if (pick < 9)
        {
            final List<TableEntry> ofFamily = entries.stream().filter(e -> e.cidr().family() == family).toList();
            return TestTables.randomInside(random, ofFamily.get(random.nextInt(ofFamily.size())).cidr());
        }
        return TestTables.randomInside(random, Cidr.parse(family == 4 ? "0.0.0.0/0" : "::/0"));
    }
}
