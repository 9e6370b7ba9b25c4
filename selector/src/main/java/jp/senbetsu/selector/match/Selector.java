package jp.senbetsu.selector.match;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;

/**
 * Automatic selection for one pipeline thread: classify a flow with the active table, drop it unless its category
 * is eligible (内内 and unknown never reach a rule), match the active rules, and write a
 * {@link SelectedFlowRecord} only when a rule matched. A discarded flow leaves only counters. No allocation per
 * flow; not thread-safe (one instance per thread, all sharing one {@link SelectionHolder}).
 */
public final class Selector
{
    private final SelectionHolder holder;
    private final MatchResult result = new MatchResult();
    private final SelectionCounters counters = new SelectionCounters();
    private Selection decidedBy;
    private int category;

    public Selector(final SelectionHolder holder)
    {
        this.holder = holder;
    }

    /**
     * Decides one flow. Afterwards {@link #category()}, {@link #result()} and {@link #decidedBy()} describe the
     * decision until the next call.
     *
     * @return whether the flow is selected.
     */
    public boolean decide(final FlowRecord flow)
    {
        final Selection selection = holder.current();
        decidedBy = selection;
        result.reset(0);
        if (selection == null)
        {
            category = Category.UNKNOWN.code();
            counters.discarded(category, DiscardReason.NO_ACTIVE_RULE_SET);
            return false;
        }
        category = selection.rules().decide(flow, result);
        return count(selection.rules(), category, result);
    }

    /**
     * Bytes of the selected record {@link #select(FlowRecord, SelectedFlowRecord)} writes for the flow of the last
     * {@link #decide(FlowRecord)}: it grows with the number of rules that matched.
     */
    public int recordLength()
    {
        return SelectedFlowRecord.lengthFor(Math.max(1, result.count()));
    }

    /**
     * Decides one flow and, if selected, writes the selected record (flow bytes and selection trailer) to
     * {@code out}, which must have room for {@link SelectedFlowRecord#MAX_LENGTH} bytes (the record needs
     * {@link #recordLength()} of them). Nothing is written for a discarded flow.
     *
     * @return whether a record was written.
     */
    public boolean select(final FlowRecord flow, final SelectedFlowRecord out)
    {
        if (!decide(flow))
        {
            return false;
        }
        out.buffer().putBytes(out.offset() + SelectedFlowRecord.FLOW_OFFSET, flow.buffer(), flow.offset(),
            FlowRecord.LENGTH);
        decidedBy.rules().writeTrailer(out, result, category, decidedBy.table().version());
        return true;
    }

    /**
     * Decides up to {@link DecisionBatch#CAPACITY} flows at once, with exactly the answers and counters of
     * {@link #decide(FlowRecord)} for each, but with the memory reads of different flows overlapping (see
     * {@link CompiledRuleSet}). The whole batch is decided by one {@link Selection}. Afterwards {@code batch}
     * describes each flow; {@link #select(DecisionBatch, int, FlowRecord, SelectedFlowRecord)} writes a selected
     * one's record. The one-flow accessors ({@link #category()}, {@link #result()}) are not changed.
     *
     * @return the number of selected flows.
     */
    public int decide(final FlowRecord[] flows, final int count, final DecisionBatch batch)
    {
        if (count < 0 || count > DecisionBatch.CAPACITY)
        {
            throw new IllegalArgumentException("batch of " + count + " flows, at most " + DecisionBatch.CAPACITY);
        }
        // what the previous batch held of its flows goes first, if its caller did not clear it
        batch.clear();
        final Selection selection = holder.current();
        batch.decidedBy = selection;
        batch.count = count;
        if (selection == null)
        {
            for (int i = 0; i < count; i++)
            {
                batch.results[i].reset(0);
                batch.categories[i] = Category.UNKNOWN.code();
                batch.selected[i] = false;
                counters.discarded(Category.UNKNOWN.code(), DiscardReason.NO_ACTIVE_RULE_SET);
            }
            return 0;
        }
        final CompiledRuleSet rules = selection.rules();
        rules.decide(flows, count, batch);
        int selectedCount = 0;
        for (int i = 0; i < count; i++)
        {
            final int flowCategory = batch.categories[i];
            final MatchResult flowResult = batch.results[i];
            final boolean selected = count(rules, flowCategory, flowResult);
            batch.selected[i] = selected;
            selectedCount += selected ? 1 : 0;
        }
        return selectedCount;
    }

    /**
     * Bytes of the selected record of flow {@code index} of a decided batch: it grows with the number of rules that
     * matched the flow.
     */
    public int recordLength(final DecisionBatch batch, final int index)
    {
        return SelectedFlowRecord.lengthFor(Math.max(1, batch.results[index].count()));
    }

    /**
     * Writes the selected record of flow {@code index} of a batch decided by {@link #decide(FlowRecord[], int,
     * DecisionBatch)}: the flow's bytes and the selection trailer, {@link #recordLength(DecisionBatch, int)} bytes.
     * Nothing is written for a discarded flow.
     *
     * @return whether a record was written.
     */
    public boolean select(final DecisionBatch batch, final int index, final FlowRecord flow,
        final SelectedFlowRecord out)
    {
        if (index < 0 || index >= batch.count || !batch.selected[index])
        {
            return false;
        }
        out.buffer().putBytes(out.offset() + SelectedFlowRecord.FLOW_OFFSET, flow.buffer(), flow.offset(),
            FlowRecord.LENGTH);
        batch.decidedBy.rules().writeTrailer(out, batch.results[index], batch.categories[index],
            batch.decidedBy.table().version());
        return true;
    }

    /** Counts a decided flow and says whether it is selected. */
    private boolean count(final CompiledRuleSet rules, final int flowCategory, final MatchResult flowResult)
    {
        if (!CompiledRuleSet.ELIGIBLE[flowCategory])
        {
            counters.discarded(flowCategory, DiscardReason.CATEGORY_NOT_ELIGIBLE);
            return false;
        }
        if (flowResult.count() == 0)
        {
            counters.discarded(flowCategory, DiscardReason.NO_RULE_MATCHED);
            return false;
        }
        counters.selected(flowCategory);
        counters.ruleHits(rules, flowResult);
        return true;
    }

    /** Category code of the last decision. */
    public int category()
    {
        return category;
    }

    /** Matching rules of the last decision (empty if it was discarded before matching). */
    public MatchResult result()
    {
        return result;
    }

    /** The selection (rule set and table versions) that made the last decision. */
    public Selection decidedBy()
    {
        return decidedBy;
    }

    public SelectionCounters counters()
    {
        return counters;
    }
}
