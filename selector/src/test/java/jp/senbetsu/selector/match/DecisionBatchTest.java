package jp.senbetsu.selector.match;

import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.signature.TestVerification;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.TableEntry;
import jp.senbetsu.selector.table.TestTables;
import jp.senbetsu.selector.trie.Cidr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch entry points outside the matching itself (which the property test covers): limits, no rule set. */
class DecisionBatchTest
{
    private final DomesticTable table = TestTables.small();

    @Test
    void withoutAnActiveRuleSetEveryFlowOfTheBatchIsDiscardedAndCounted()
    {
        final Selector selector = new Selector(new SelectionHolder());
        final DecisionBatch batch = new DecisionBatch();
        final FlowRecord[] flows = flows(new SplittableRandom(7), 5);
        assertEquals(0, selector.decide(flows, 5, batch));
        assertNull(batch.decidedBy());
        for (int i = 0; i < 5; i++)
        {
            assertFalse(batch.selected(i));
            assertEquals(Category.UNKNOWN.code(), batch.category(i));
            assertEquals(0, batch.result(i).count());
            assertFalse(selector.select(batch, i, flows[i], record()));
        }
        assertEquals(5, selector.counters().discarded(Category.UNKNOWN, DiscardReason.NO_ACTIVE_RULE_SET));
    }

    @Test
    void aBatchIsDecidedByOneSelectionAndNoLargerThanItsCapacity()
    {
        final SelectionHolder holder = new SelectionHolder();
        final Selection active = holder.activate(
            TestVerification.signedAndVerified(DomesticLeakTest.matchEverything()), table);
        final Selector selector = new Selector(holder);
        final DecisionBatch batch = new DecisionBatch();
        final FlowRecord[] flows = flows(new SplittableRandom(8), DecisionBatch.CAPACITY + 1);
        assertThrows(IllegalArgumentException.class, () -> selector.decide(flows, DecisionBatch.CAPACITY + 1, batch));
        final int selected = selector.decide(flows, DecisionBatch.CAPACITY, batch);
        assertSame(active, batch.decidedBy());
        assertEquals(DecisionBatch.CAPACITY, batch.count());
        assertEquals(selected, selector.counters().totalSelected());
        assertTrue(selected > 0, "selected " + selected);
        // an index outside the batch writes nothing
        assertFalse(selector.select(batch, DecisionBatch.CAPACITY, flows[DecisionBatch.CAPACITY], record()));
    }

    private FlowRecord[] flows(final SplittableRandom random, final int count)
    {
        final List<TableEntry> entries = table.entries();
        final List<Cidr> pool = RandomRuleSets.prefixPool(random);
        final FlowRecord[] flows = new FlowRecord[count];
        for (int i = 0; i < count; i++)
        {
            flows[i] = CompiledMatcherPropertyTest.randomFlow(random, new FlowFixture(), random.nextBoolean() ? 4 : 6,
                pool, entries);
        }
        return flows;
    }

    private static SelectedFlowRecord record()
    {
        return new SelectedFlowRecord().wrap(new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]), 0);
    }
}
