package jp.senbetsu.selector.match;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.rules.Approval;
import jp.senbetsu.selector.rules.Criteria;
import jp.senbetsu.selector.rules.PortRange;
import jp.senbetsu.selector.rules.Rule;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.TcpFlagCondition;
import jp.senbetsu.selector.signature.TestVerification;
import jp.senbetsu.selector.table.AddressClass;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.TableEntry;
import jp.senbetsu.selector.table.TestTables;
import jp.senbetsu.selector.trie.Cidr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pre-check words of a rule program (window, one protocol, up to two port ranges of one dimension) decide a
 * simple rule alone, and pass a complex one on to its full program. Rules of every shape next to each other, flows
 * on every port boundary, both protocols and none, with and without ports, at window edges: the compiled matcher
 * (one flow and batched) must answer what the reference evaluator answers, and the boundaries must really cut.
 */
class PreCheckTest
{
    private static final int ALL_CATEGORIES = RandomRuleSets.CATEGORY_BITS[0] | RandomRuleSets.CATEGORY_BITS[1] |
        RandomRuleSets.CATEGORY_BITS[2];
    private static final int[] PORTS = {0, 1, 21, 22, 23, 442, 443, 444, 7999, 8000, 8050, 8099, 8100, 65534, 65535};
    private static final int[] PROTOCOLS = {6, 17, 0, 255, 132};

    private final DomesticTable table = TestTables.small();

    /** Rule shapes: the first twelve are simple (decided by the pre-check), the rest complex. */
    private static List<Criteria> shapes(final List<Cidr> addresses)
    {
        final List<Cidr> none = List.of();
        final List<PortRange> noPorts = List.of();
        final List<PortRange> https = List.of(new PortRange(443, 443), new PortRange(8000, 8099));
        final List<PortRange> edges = List.of(new PortRange(0, 0), new PortRange(65535, 65535));
        final List<PortRange> ssh = List.of(new PortRange(22, 22));
        final List<PortRange> three = List.of(new PortRange(21, 22), new PortRange(443, 443),
            new PortRange(8000, 8099));
        return List.of(
            criteria(addresses, noPorts, noPorts, noPorts, List.of(), null),
            criteria(addresses, noPorts, noPorts, noPorts, List.of(6), null),
            criteria(addresses, noPorts, noPorts, noPorts, List.of(255), null),
            criteria(addresses, noPorts, https, noPorts, List.of(6), null),
            criteria(addresses, https, noPorts, noPorts, List.of(), null),
            criteria(addresses, noPorts, noPorts, https, List.of(17), null),
            criteria(addresses, noPorts, edges, noPorts, List.of(), null),
            criteria(addresses, noPorts, noPorts, edges, List.of(17), null),
            criteria(addresses, noPorts, noPorts, noPorts, List.of(0), null),
            criteria(addresses, ssh, noPorts, noPorts, List.of(6), null),
            // overlapping ranges merge into one: still simple
            criteria(addresses, noPorts, List.of(new PortRange(8000, 8050), new PortRange(8040, 8099),
                new PortRange(443, 443)), noPorts, List.of(6, 6), null),
            criteria(none, noPorts, ssh, noPorts, List.of(6), null),
            // complex: three ranges, two dimensions, two protocols, a TCP flag condition
            criteria(addresses, noPorts, three, noPorts, List.of(6), null),
            criteria(addresses, ssh, https, noPorts, List.of(), null),
            criteria(addresses, noPorts, https, noPorts, List.of(6, 17), null),
            criteria(addresses, noPorts, ssh, noPorts, List.of(6), new TcpFlagCondition(0x02, 0x02)),
            criteria(none, noPorts, noPorts, three, List.of(17, 6), null));
    }

    private static Criteria criteria(final List<Cidr> src, final List<PortRange> srcPorts,
        final List<PortRange> dstPorts, final List<PortRange> ports, final List<Integer> protocols,
        final TcpFlagCondition flags)
    {
        return new Criteria(src, List.of(), List.of(), srcPorts, dstPorts, ports, protocols, flags, List.of(),
            List.of());
    }

    private RuleSet ruleSet()
    {
        final List<Cidr> everywhere = List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
        final List<Rule> rules = new ArrayList<>();
        for (final Criteria shape : shapes(everywhere))
        {
            // each shape valid for the whole set, and again with its own window (the window is a pre-check too)
            rules.add(rule(rules.size(), shape, RandomRuleSets.SET_FROM_NS, RandomRuleSets.SET_UNTIL_NS));
            rules.add(rule(rules.size(), shape, RandomRuleSets.BASE_NS,
                RandomRuleSets.BASE_NS + RandomRuleSets.HOUR_NS));
        }
        return new RuleSet("rs-precheck", 1, "test", RandomRuleSets.instant(RandomRuleSets.SET_FROM_NS),
            RandomRuleSets.instant(RandomRuleSets.SET_UNTIL_NS), ALL_CATEGORIES, table.versionHex(),
            List.of(new Approval("APP-0", Approval.DEFAULT_RETENTION, 0)), rules, new byte[0], "pre-check");
    }

    private static Rule rule(final int ordinal, final Criteria criteria, final long fromNs, final long untilNs)
    {
        return new Rule(ordinal, "r" + ordinal, "APP-0", ALL_CATEGORIES, RandomRuleSets.instant(fromNs),
            RandomRuleSets.instant(untilNs), criteria, 0, 0);
    }

    @Test
    void everyRuleShapeAgreesWithTheReferenceOnEveryPortAndProtocolBoundary()
    {
        final RuleSet set = ruleSet();
        final CompiledRuleSet compiled = CompiledRuleSet.compile(set, table);
        final SelectionHolder holder = new SelectionHolder();
        holder.activate(TestVerification.signedAndVerified(set), table);
        final Selector batched = new Selector(holder);
        final DecisionBatch batch = new DecisionBatch();
        final FlowRecord[] flows = new FlowRecord[DecisionBatch.CAPACITY];
        final FlowFixture[] fixtures = new FlowFixture[DecisionBatch.CAPACITY];
        for (int i = 0; i < fixtures.length; i++)
        {
            fixtures[i] = new FlowFixture();
        }
        final MatchResult result = new MatchResult();
        final SplittableRandom random = new SplittableRandom(443);
        final int[] matchesPerRule = new int[set.rules().size()];
        final long[] times = {RandomRuleSets.BASE_NS - 1, RandomRuleSets.BASE_NS,
            RandomRuleSets.BASE_NS + RandomRuleSets.HOUR_NS - 1, RandomRuleSets.BASE_NS + RandomRuleSets.HOUR_NS};
        int inBatch = 0;
        int decided = 0;
        for (final int family : new int[] {4, 6})
        {
            final List<TableEntry> foreign = TestTables.entries(table, family, AddressClass.FOREIGN);
            for (final int protocol : PROTOCOLS)
            {
                for (final int srcPort : PORTS)
                {
                    for (final int dstPort : PORTS)
                    {
                        final boolean hasPorts = protocol == 6 || protocol == 17 ? random.nextInt(8) != 0 : false;
                        final FlowRecord flow = fixtures[inBatch].set(family,
                            TestTables.randomInside(random, foreign.get(random.nextInt(foreign.size())).cidr()),
                            TestTables.randomInside(random, foreign.get(random.nextInt(foreign.size())).cidr()),
                            protocol, srcPort, dstPort, 0x12, random.nextInt(4) == 0 ? 0x02 : 0x10,
                            times[random.nextInt(times.length)], hasPorts);
                        final int category = compiled.decide(flow, result);
                        final List<Integer> expected = ReferenceEvaluator.matches(set, flow, category,
                            result.srcAttribute(), result.dstAttribute(), table);
                        assertEquals(expected, ordinals(result), () -> "flow " + describe(flow));
                        expected.forEach(r -> matchesPerRule[r]++);
                        flows[inBatch++] = flow;
                        decided++;
                        if (inBatch == flows.length)
                        {
                            checkBatch(set, compiled, batched, batch, flows, inBatch);
                            inBatch = 0;
                        }
                    }
                }
            }
        }
        checkBatch(set, compiled, batched, batch, flows, inBatch);
        assertEquals(2 * PROTOCOLS.length * PORTS.length * PORTS.length, decided);
        // every rule matched some flows and, but for the first (no check at all), missed others: the boundaries
        // cut, neither side is vacuous
        assertEquals(decided, matchesPerRule[0]);
        for (int r = 1; r < matchesPerRule.length; r++)
        {
            assertTrue(matchesPerRule[r] > 0 && matchesPerRule[r] < decided,
                "rule " + r + " matched " + matchesPerRule[r] + " of " + decided);
        }
    }

    @Test
    void aSimpleRuleCutsExactlyAtItsRangeEnds()
    {
        // the benchmark's shape: TCP to 443 or 8000-8099, decided by the pre-check alone
        final List<Cidr> everywhere = List.of(Cidr.parse("0.0.0.0/0"));
        final Criteria https = criteria(everywhere, List.of(), List.of(new PortRange(443, 443),
            new PortRange(8000, 8099)), List.of(), List.of(6), null);
        final RuleSet set = new RuleSet("rs-https", 1, "test", RandomRuleSets.instant(RandomRuleSets.SET_FROM_NS),
            RandomRuleSets.instant(RandomRuleSets.SET_UNTIL_NS), ALL_CATEGORIES, table.versionHex(),
            List.of(new Approval("APP-0", Approval.DEFAULT_RETENTION, 0)),
            List.of(rule(0, https, RandomRuleSets.SET_FROM_NS, RandomRuleSets.SET_UNTIL_NS)), new byte[0], "https");
        final CompiledRuleSet compiled = CompiledRuleSet.compile(set, table);
        final List<TableEntry> foreign = TestTables.entries(table, 4, AddressClass.FOREIGN);
        final SplittableRandom random = new SplittableRandom(8099);
        final FlowFixture fixture = new FlowFixture();
        final MatchResult result = new MatchResult();
        final int[][] expectations = {{442, 0}, {443, 1}, {444, 0}, {7999, 0}, {8000, 1}, {8099, 1}, {8100, 0}};
        for (final int[] e : expectations)
        {
            for (final int protocol : new int[] {6, 17})
            {
                final FlowRecord flow = fixture.set(4,
                    TestTables.randomInside(random, foreign.get(random.nextInt(foreign.size())).cidr()),
                    TestTables.randomInside(random, foreign.get(random.nextInt(foreign.size())).cidr()),
                    protocol, 50_000, e[0], 0x12, 0x12, RandomRuleSets.BASE_NS, true);
                compiled.decide(flow, result);
                assertEquals(protocol == 6 ? e[1] : 0, result.count(), "protocol " + protocol + " port " + e[0]);
            }
        }
    }

    private void checkBatch(final RuleSet set, final CompiledRuleSet compiled, final Selector batched,
        final DecisionBatch batch, final FlowRecord[] flows, final int count)
    {
        batched.decide(flows, count, batch);
        final MatchResult single = new MatchResult();
        for (int i = 0; i < count; i++)
        {
            final FlowRecord flow = flows[i];
            final int category = compiled.decide(flow, single);
            assertEquals(category, batch.category(i));
            final List<Integer> expected =
                ReferenceEvaluator.matches(set, flow, category, single.srcAttribute(), single.dstAttribute(), table);
            assertEquals(expected, ordinals(batch.result(i)), () -> "batched flow " + describe(flow));
        }
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

    private static String describe(final FlowRecord flow)
    {
        return "v" + flow.ipVersion() + " protocol " + flow.protocol() + " ports " + flow.srcPort() + " -> " +
            flow.dstPort() + (flow.hasFlag(FlowRecord.FLAG_HAS_PORTS) ? "" : " (no ports)") + " end " + flow.endNs();
    }
}
