package jp.senbetsu.selector.signature;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetException;

/**
 * Decides whether a parsed rule set may be used: every signature must verify under a trusted key (one bad
 * signature refuses the set: it means tampering or a mix-up), enough distinct people must have signed, one of them
 * with a key whose role is {@code approver} (two operators never suffice), and the set must be inside its validity
 * window. Each refusal names the file, line and the key or field concerned.
 */
public final class RuleSetVerifier
{
    private RuleSetVerifier()
    {
    }

    public static VerifiedRuleSet verify(
        final RuleSet ruleSet,
        final Path signatureFile,
        final List<SignatureLine> signatures,
        final TrustPolicy policy,
        final Instant now)
    {
        final String name = "rule set '" + ruleSet.id() + "' version " + ruleSet.version();
        if (signatures.isEmpty())
        {
            throw new RuleSetException(ruleSet.source() + ": " + name + " is unsigned: no signatures in " +
                signatureFile);
        }
        // one entry per person (a person with two keys counts once), preferring the key with the approver role
        final Map<String, ApproverKey> byPerson = new LinkedHashMap<>();
        for (final SignatureLine line : signatures)
        {
            final ApproverKey key = policy.key(line.keyId());
            final String where = signatureFile + ":" + line.line() + ": ";
            if (key == null)
            {
                throw new RuleSetException(where + "signature by key " + line.keyId() + " ('" + line.signer() +
                    "'): not a trusted approver key");
            }
            if (!RuleSetSigner.verifies(ruleSet, line.signature(), key.key()))
            {
                throw new RuleSetException(where + "signature by '" + key.name() + "' (key " + key.keyId() +
                    ") does not verify over " + name + ": the set was changed after signing or the signature is " +
                    "corrupt");
            }
            final ApproverKey previous = byPerson.get(key.name());
            if (previous == null || (!isApprover(previous) && isApprover(key)))
            {
                byPerson.put(key.name(), key);
            }
        }
        final List<ApproverKey> signers = List.copyOf(byPerson.values());
        final boolean approved = signers.stream().anyMatch(RuleSetVerifier::isApprover);
        if (signers.size() < policy.requiredSignatures() || !approved)
        {
            throw new RuleSetException(ruleSet.source() + ": " + name + " has " + signers.size() +
                " valid signature(s) from distinct trusted people (" +
                String.join(", ", signers.stream().map(k -> k.name() + "/" + k.role()).toList()) + "), " +
                policy.requiredSignatures() + " required including one by role '" + TrustPolicy.APPROVER_ROLE +
                "'; missing: " + missing(signers.size(), approved, policy.requiredSignatures()));
        }
        checkWindow(ruleSet, policy, now);
        return new VerifiedRuleSet(ruleSet, signers, now);
    }

    private static boolean isApprover(final ApproverKey key)
    {
        return TrustPolicy.APPROVER_ROLE.equals(key.role());
    }

    /** Names the roles still missing: the approver, and how many other people. */
    private static String missing(final int people, final boolean approved, final int required)
    {
        final int others = required - people - (approved ? 0 : 1);
        final String approver = approved ? "" : "a signature by role '" + TrustPolicy.APPROVER_ROLE + "'";
        if (others <= 0)
        {
            return approver + " (the signers have role operator only)";
        }
        final String more = others + " more signature(s) by other people (role operator or approver)";
        return approved ? more : approver + " and " + more;
    }

    /** Refuses a set that has expired, or whose window starts later than the clock-skew allowance. */
    public static void checkWindow(final RuleSet ruleSet, final TrustPolicy policy, final Instant now)
    {
        final String name = "rule set '" + ruleSet.id() + "' version " + ruleSet.version();
        if (!now.isBefore(ruleSet.validUntil()))
        {
            throw new RuleSetException(ruleSet.source() + ": field 'valid_until': " + name + " expired at " +
                ruleSet.validUntil() + " (now " + now + ")");
        }
        if (now.plus(policy.clockSkew()).isBefore(ruleSet.validFrom()))
        {
            throw new RuleSetException(ruleSet.source() + ": field 'valid_from': " + name + " is not valid before " +
                ruleSet.validFrom() + " (now " + now + ", clock skew allowance " + policy.clockSkew() + ")");
        }
    }
}
