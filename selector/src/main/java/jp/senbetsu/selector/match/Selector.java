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
        if (!Category.ofCode(category).eligible())
        {
            counters.discarded(category, DiscardReason.CATEGORY_NOT_ELIGIBLE);
            return false;
        }
        if (result.count() == 0)
        {
            counters.discarded(category, DiscardReason.NO_RULE_MATCHED);
            return false;
        }
        counters.selected(category);
        counters.ruleHits(selection.rules(), result);
        return true;
    }

    /**
     * Decides one flow and, if selected, writes the selected record (flow bytes and selection trailer) to
     * {@code out}. Nothing is written for a discarded flow.
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
