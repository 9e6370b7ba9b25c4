package jp.senbetsu.selector.signature;

import java.time.Instant;
import java.util.List;

import jp.senbetsu.selector.rules.RuleSet;

/**
 * A rule set whose signatures and validity were checked: the only form that may be compiled and activated.
 *
 * @param ruleSet    the set.
 * @param signers    the trusted keys whose signatures verified.
 * @param verifiedAt when the check was made.
 */
public record VerifiedRuleSet(RuleSet ruleSet, List<ApproverKey> signers, Instant verifiedAt)
{
}
