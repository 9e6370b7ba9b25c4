package jp.senbetsu.selector.match;

import jp.senbetsu.selector.table.DomesticTable;

/**
 * What a decision is made with: one compiled rule set and one domestic table, activated together. Immutable;
 * the appliance swaps whole instances (see {@link SelectionHolder}), so a decision never mixes two versions.
 *
 * @param rules      the compiled rule set.
 * @param table      the domestic address table.
 * @param generation activation counter, 1 for the first activation.
 */
public record Selection(CompiledRuleSet rules, DomesticTable table, long generation)
{
}
