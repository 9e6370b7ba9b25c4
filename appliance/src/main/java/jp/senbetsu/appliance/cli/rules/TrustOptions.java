package jp.senbetsu.appliance.cli.rules;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.selector.match.SelectionConfiguration;
import jp.senbetsu.selector.signature.TrustPolicy;
import picocli.CommandLine.Option;

/** The trust options shared by commands that load signed rule sets: trusted keys, quorum, clock skew. */
public final class TrustOptions
{
    @Option(names = "--trusted", required = true, split = ",", paramLabel = "KEY|DIR",
        description = "Trusted public key files, or directories whose *.pub files are trusted.")
    List<Path> trusted;

    @Option(names = "--required", defaultValue = "2",
        description = "Distinct trusted people whose signatures are required, one of them an approver " +
            "(default and minimum: ${DEFAULT-VALUE}, the two-person rule).")
    int required;

    @Option(names = "--clock-skew", defaultValue = "PT5M",
        description = "Allowance for a set whose valid_from is slightly ahead of this clock (ISO-8601, default " +
            "${DEFAULT-VALUE}); never extends valid_until.")
    String clockSkew;

    TrustPolicy policy()
    {
        if (required < TrustPolicy.MINIMUM_REQUIRED_SIGNATURES)
        {
            throw new SenbetsuException("--required: must be at least " + TrustPolicy.MINIMUM_REQUIRED_SIGNATURES +
                " (the two-person rule)", SenbetsuException.EXIT_USAGE, null);
        }
        final Duration skew;
        try
        {
            skew = Duration.parse(clockSkew);
        }
        catch (final DateTimeParseException ex)
        {
            throw new SenbetsuException("--clock-skew: '" + clockSkew + "' is not an ISO-8601 duration such as PT5M",
                SenbetsuException.EXIT_USAGE, null);
        }
        return new SelectionConfiguration().trustedKeys(trusted).requiredSignatures(required).clockSkew(skew)
            .trustPolicy();
    }
}
