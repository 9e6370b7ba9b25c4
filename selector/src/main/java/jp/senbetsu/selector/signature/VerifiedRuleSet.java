package jp.senbetsu.selector.signature;

import java.time.Instant;
import java.util.List;

import jp.senbetsu.selector.rules.RuleSet;

/**
 * A rule set whose signatures and validity were checked: the only form the appliance's activation
 * ({@code SelectionHolder.activate}) accepts. Only {@link RuleSetVerifier} can make one (the constructor is
 * package-private), so holding an instance proves the check was made. Drafts tested with {@code rules test} go
 * through {@code SelectionHolder.unverifiedDraft} instead and can never become one.
 */
public final class VerifiedRuleSet
{
    private final RuleSet ruleSet;
    private final List<ApproverKey> signers;
    private final Instant verifiedAt;

    /**
     * @param ruleSet    the set.
     * @param signers    the trusted keys whose signatures verified, one per person.
     * @param verifiedAt when the check was made.
     */
    VerifiedRuleSet(final RuleSet ruleSet, final List<ApproverKey> signers, final Instant verifiedAt)
    {
        this.ruleSet = ruleSet;
        this.signers = List.copyOf(signers);
        this.verifiedAt = verifiedAt;
    }

    /** The set. */
    public RuleSet ruleSet()
    {
        return ruleSet;
    }

    /** The trusted keys whose signatures verified, one per person. */
    public List<ApproverKey> signers()
    {
        return signers;
    }

    /** When the check was made. */
    public Instant verifiedAt()
    {
        return verifiedAt;
    }

    @Override
    public String toString()
    {
        return "VerifiedRuleSet[" + ruleSet.id() + " version " + ruleSet.version() + ", signers " +
            signers.stream().map(ApproverKey::name).toList() + ", at " + verifiedAt + "]";
    }
}
