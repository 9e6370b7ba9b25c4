package jp.senbetsu.selector.signature;

import java.time.Duration;
import java.util.List;

import jp.senbetsu.selector.rules.RuleSetException;

/**
 * Which rule sets the appliance accepts: signed by at least {@link #requiredSignatures()} distinct trusted keys
 * held by distinct people, at least one of them a key with role {@value #APPROVER_ROLE} (the two-person rule: an
 * approver and one other person), within their validity window allowing for {@link #clockSkew()} between the
 * issuer's clock and the appliance's. Fewer than {@value #MINIMUM_REQUIRED_SIGNATURES} required signatures is
 * refused: one person alone must never be able to make the appliance keep anything.
 *
 * @param trusted            approver keys configured out of band.
 * @param requiredSignatures distinct people whose valid signatures are needed, at least 2.
 * @param clockSkew          tolerance applied to {@code valid_from} only: a set is never used after it expires.
 */
public record TrustPolicy(List<ApproverKey> trusted, int requiredSignatures, Duration clockSkew)
{
    public static final int DEFAULT_REQUIRED_SIGNATURES = 2;
    /** The two-person rule: no policy may require fewer signatures. */
    public static final int MINIMUM_REQUIRED_SIGNATURES = 2;
    /** The role whose signature every accepted set needs. */
    public static final String APPROVER_ROLE = "approver";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

    public TrustPolicy
    {
        trusted = List.copyOf(trusted);
        if (requiredSignatures < MINIMUM_REQUIRED_SIGNATURES)
        {
            throw new RuleSetException("required signatures: " + requiredSignatures + " is below the two-person " +
                "rule's minimum of " + MINIMUM_REQUIRED_SIGNATURES + " (an approver and one other person)");
        }
    }

    public static TrustPolicy of(final List<ApproverKey> trusted)
    {
        return new TrustPolicy(trusted, DEFAULT_REQUIRED_SIGNATURES, DEFAULT_CLOCK_SKEW);
    }

    public ApproverKey key(final String keyId)
    {
        for (final ApproverKey k : trusted)
        {
            if (k.keyId().equals(keyId))
            {
                return k;
            }
        }
        return null;
    }
}
