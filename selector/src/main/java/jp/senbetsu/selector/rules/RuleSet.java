package jp.senbetsu.selector.rules;

import java.time.Instant;
import java.util.List;

/**
 * A parsed rule-set document, with the canonical bytes its signatures cover. Immutable. Whether it may be used is
 * a separate question answered by {@code jp.senbetsu.selector.signature.RuleSetVerifier}.
 *
 * @param id                  rule-set ID, at most 24 ASCII characters.
 * @param version             positive version number, carried in selected records.
 * @param issuer              who issued it.
 * @param validFrom           first instant the set may be used (inclusive).
 * @param validUntil          instant the set expires (exclusive).
 * @param authorisedCategoryMask categories the set is authorised to select, bit {@code 1 << Category.code()}.
 * @param tableVersion        the domestic table the set is bound to: its full version (SHA-256 of its content,
 *                            64 lower-case hex digits, {@code DomesticTable.versionHex()}). It is part of the
 *                            signed document, so signers approve the exact table that decides what is domestic.
 * @param approvals           approvals its rules cite.
 * @param rules               rules in priority order.
 * @param canonicalBytes      what signatures are computed over.
 * @param source              file name or description, for messages.
 */
public record RuleSet(
    String id,
    int version,
    String issuer,
    Instant validFrom,
    Instant validUntil,
    int authorisedCategoryMask,
    String tableVersion,
    List<Approval> approvals,
    List<Rule> rules,
    byte[] canonicalBytes,
    String source)
{
    public Approval approval(final String approvalId)
    {
        for (final Approval a : approvals)
        {
            if (a.id().equals(approvalId))
            {
                return a;
            }
        }
        return null;
    }

    public Rule rule(final String ruleId)
    {
        for (final Rule r : rules)
        {
            if (r.id().equals(ruleId))
            {
                return r;
            }
        }
        return null;
    }
}
