package jp.senbetsu.selector.signature;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetException;

/**
 * Decides whether a parsed rule set may be used: every signature must verify under a trusted key (one bad
 * signature refuses the set: it means tampering or a mix-up), enough distinct people must have signed, and the
 * set must be inside its validity window. Each refusal names the file, line and the key or field concerned.
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
        final List<ApproverKey> signers = new ArrayList<>();
        final Set<String> keyIds = new HashSet<>();
        final Set<String> people = new HashSet<>();
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
            if (keyIds.add(key.keyId()) && people.add(key.name()))
            {
                signers.add(key);
            }
        }
        if (signers.size() < policy.requiredSignatures())
        {
            throw new RuleSetException(ruleSet.source() + ": " + name + " has " + signers.size() +
                " valid signature(s) from distinct trusted people (" +
                String.join(", ", signers.stream().map(k -> k.name() + "/" + k.role()).toList()) + "), " +
                policy.requiredSignatures() + " required");
        }
        checkWindow(ruleSet, policy, now);
        return new VerifiedRuleSet(ruleSet, List.copyOf(signers), now);
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
