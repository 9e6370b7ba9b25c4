package jp.senbetsu.selector.signature;

import java.time.Duration;
import java.util.List;

/**
 * Which rule sets the appliance accepts: signed by at least {@link #requiredSignatures()} distinct trusted keys
 * held by distinct people (default 2, an operator and an approver: the two-person rule), within their validity
 * window allowing for {@link #clockSkew()} between the issuer's clock and the appliance's.
 *
 * @param trusted            approver keys configured out of band.
 * @param requiredSignatures distinct valid signatures needed, at least 1.
 * @param clockSkew          tolerance applied to {@code valid_from} only: a set is never used after it expires.
 */
public record TrustPolicy(List<ApproverKey> trusted, int requiredSignatures, Duration clockSkew)
{
    public static final int DEFAULT_REQUIRED_SIGNATURES = 2;
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

    public TrustPolicy
    {
        trusted = List.copyOf(trusted);
        if (requiredSignatures < 1)
        {
            throw new IllegalArgumentException("at least one signature must be required");
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
