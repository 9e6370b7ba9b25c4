package jp.senbetsu.selector.match;

import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetException;
import jp.senbetsu.selector.table.DomesticTable;

/**
 * The domestic table decides what is 内内 and so never selectable; a rule set names the one table it may run with
 * ({@code table:}, inside the signed bytes). Without this binding one person could rebuild the table with overrides
 * that make domestic space "foreign" and widen every signed rule. Activation refuses any other table.
 */
public final class TableBinding
{
    private TableBinding()
    {
    }

    /** Whether the table is the one the set is bound to. */
    public static boolean matches(final RuleSet ruleSet, final DomesticTable table)
    {
        return ruleSet.tableVersion().equals(table.versionHex());
    }

    /** Refuses a table other than the one the set is bound to, naming both versions. */
    public static void check(final RuleSet ruleSet, final DomesticTable table)
    {
        if (!matches(ruleSet, table))
        {
            throw new RuleSetException(ruleSet.source() + ": field 'table': rule set '" + ruleSet.id() + "' version " +
                ruleSet.version() + " is signed for domestic table " + ruleSet.tableVersion() + " but the table " +
                "given is " + table.versionHex() + ": use the table the set was signed for, or sign a new version " +
                "of the set bound to this table");
        }
    }
}
