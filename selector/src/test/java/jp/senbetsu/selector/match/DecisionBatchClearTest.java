package jp.senbetsu.selector.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.signature.TestVerification;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.TestTables;
import jp.senbetsu.selector.trie.Cidr;
import org.junit.jupiter.api.Test;

/** After a batch is cleared, nothing of its flows is left in it: a discarded flow leaves only counters. */
class DecisionBatchClearTest
{
    @Test
    void clearingABatchZeroesEverythingItHeldOfItsFlows()
    {
        final DomesticTable table = TestTables.small();
        final SplittableRandom random = new SplittableRandom(7);
        final List<Cidr> pool = RandomRuleSets.prefixPool(random);
        final RuleSet set = RandomRuleSets.ruleSet(random, pool, 200);
        final SelectionHolder holder = new SelectionHolder();
        holder.activate(TestVerification.signedAndVerified(set), table);
        final Selector selector = new Selector(holder);
        final DecisionBatch batch = new DecisionBatch();
        final FlowRecord[] flows = new FlowRecord[DecisionBatch.CAPACITY];
        for (int i = 0; i < flows.length; i++)
        {
            flows[i] = CompiledMatcherPropertyTest.randomFlow(
                random, new FlowFixture(), i % 2 == 0 ? 4 : 6, pool, table.entries());
        }
        selector.decide(flows, DecisionBatch.CAPACITY, batch);
        assertFalse(batch.cleared());
        assertTrue(Arrays.stream(batch.values6).anyMatch(v -> v != 0)
            && Arrays.stream(batch.addresses4).anyMatch(v -> v != 0)
            && Arrays.stream(batch.addresses6).anyMatch(v -> v != 0),
            "the batch held the flows' IPv4 and IPv6 addresses and the trie values of their IPv6 addresses");
        batch.clear();
        assertTrue(batch.cleared());
        assertNull(batch.decidedBy());
        for (final int[] ints : new int[][] {batch.versions, batch.addresses4, batch.values4, batch.values6,
            batch.pending, batch.positions, batch.facts, batch.ports, batch.runA, batch.runB, batch.runU, batch.endA,
            batch.endB, batch.matched, batch.categories})
        {
            assertTrue(Arrays.stream(ints).allMatch(v -> v == 0), Arrays.toString(ints));
        }
        for (final long[] longs : new long[][] {batch.times, batch.categoryBits, batch.addresses6})
        {
            assertTrue(Arrays.stream(longs).allMatch(v -> v == 0), Arrays.toString(longs));
        }
        for (int i = 0; i < DecisionBatch.CAPACITY; i++)
        {
            assertFalse(batch.selected(i));
            final MatchResult result = batch.result(i);
            assertEquals(0, result.count());
            assertEquals(0, result.srcAttribute() | result.dstAttribute() | result.category());
            for (int k = 0; k < result.ordinals().length; k++)
            {
                assertEquals(0, result.ordinals()[k], "ordinal slot " + k + " of flow " + i);
            }
        }
    }
}
