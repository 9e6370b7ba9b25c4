package jp.senbetsu.selector.match;

import java.util.concurrent.atomic.AtomicReference;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.classify.CommunicationClassifier;
import jp.senbetsu.selector.rules.RuleSetException;
import jp.senbetsu.selector.signature.VerifiedRuleSet;
import jp.senbetsu.selector.table.DomesticTable;

/**
 * The appliance's single point of activation (read-copy-update): the new rule set and table are verified and
 * compiled off to the side, then published with one reference swap. Readers take {@link #current()} once per
 * decision, so every record is decided by exactly one {@link Selection}; nothing is paused, dropped or counted
 * twice, and a refused set leaves the previous one active.
 */
public final class SelectionHolder
{
    private final AtomicReference<Selection> current = new AtomicReference<>();

    /** The active selection, or null if none was activated yet (then nothing is selected). */
    public Selection current()
    {
        return current.get();
    }

    /**
     * Compiles and activates a verified rule set with a table. Compilation happens before the swap; if it fails
     * the previous selection stays active.
     *
     * @return the activated selection.
     */
    public Selection activate(final VerifiedRuleSet ruleSet, final DomesticTable table)
    {
        if (ruleSet == null || table == null)
        {
            throw new RuleSetException("activation needs a verified rule set and a domestic table");
        }
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
