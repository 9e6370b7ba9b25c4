package jp.senbetsu.selector.match;

import java.util.concurrent.atomic.AtomicReference;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.classify.CommunicationClassifier;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetException;
import jp.senbetsu.selector.signature.VerifiedRuleSet;
import jp.senbetsu.selector.table.DomesticTable;

/**
 * The appliance's single point of activation (read-copy-update): the new rule set and table are verified and
 * compiled off to the side, then published with one reference swap. Readers take {@link #current()} once per
 * decision, so every record is decided by exactly one {@link Selection}; nothing is paused, dropped or counted
 * twice, and a refused set leaves the previous one active.
 *
 * <p>{@link #activate} takes only a {@link VerifiedRuleSet}, which only signature verification can make. The one
 * other way in is {@link #unverifiedDraft}, for {@code senbetsu rules test} on capture files the operator already
 * holds: it makes a separate, frozen holder that never activates anything, so a draft can neither be handed to the
 * appliance's holder nor turn a draft holder into one.
 */
public final class SelectionHolder
{
    private final AtomicReference<Selection> current = new AtomicReference<>();
    private final boolean draft;

    /** An empty holder for the appliance: nothing is selected until a verified set is activated. */
    public SelectionHolder()
    {
        this.draft = false;
    }

    private SelectionHolder(final Selection draftSelection)
    {
        this.draft = true;
        current.set(draftSelection);
    }

    /**
     * A holder with an unsigned draft rule set compiled against a table, for testing the draft on capture files
     * ({@code rules test}). It is frozen: {@link #activate} refuses, so it can never carry a verified set, and the
     * appliance, which activates only through {@link #activate}, has no way to take the draft.
     */
    public static SelectionHolder unverifiedDraft(final RuleSet draftRuleSet, final DomesticTable table)
    {
        if (draftRuleSet == null || table == null)
        {
            throw new RuleSetException("a draft selection needs a rule set and a domestic table");
        }
        return new SelectionHolder(new Selection(CompiledRuleSet.compile(draftRuleSet, table), table, 1));
    }

    /** Whether this holder carries an unverified draft ({@link #unverifiedDraft}) rather than the appliance's. */
    public boolean isUnverifiedDraft()
    {
        return draft;
    }

    /** The active selection, or null if none was activated yet (then nothing is selected). */
    public Selection current()
    {
        return current.get();
    }

    /**
     * Compiles and activates a verified rule set with a table. The table must be the one the set is bound to
     * ({@link TableBinding}); compilation happens before the swap; if either fails the previous selection stays
     * active.
     *
     * @return the activated selection.
     */
    public Selection activate(final VerifiedRuleSet ruleSet, final DomesticTable table)
    {
        if (draft)
        {
            throw new RuleSetException("rule set '" + (ruleSet == null ? "?" : ruleSet.ruleSet().id()) + "': this " +
                "holder carries an unverified draft for 'rules test' and never activates a rule set");
        }
        if (ruleSet == null || table == null)
        {
            throw new RuleSetException("activation needs a verified rule set and a domestic table");
        }
        TableBinding.check(ruleSet.ruleSet(), table);
        final CompiledRuleSet compiled = CompiledRuleSet.compile(ruleSet.ruleSet(), table);
        while (true)
        {
            final Selection previous = current.get();
            final Selection next = new Selection(compiled, table, previous == null ? 1 : previous.generation() + 1);
            if (current.compareAndSet(previous, next))
            {
                return next;
            }
        }
    }

    /**
     * The classifier the capture pipeline calls per packet: always the active table, {@code unknown} before
     * anything was activated.
     */
    public CommunicationClassifier classifier()
    {
        return (ipVersion, buffer, srcOffset, dstOffset) ->
        {
            final Selection selection = current.get();
            return selection == null ? Category.UNKNOWN.code() :
                selection.table().classify(ipVersion, buffer, srcOffset, dstOffset);
        };
    }
}
