package jp.senbetsu.selector.signature;

import java.nio.file.Path;
import java.time.Instant;

import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetException;
import jp.senbetsu.selector.rules.RuleSetLinter;
import jp.senbetsu.selector.rules.RuleSetParser;

/**
 * The one way a rule-set file becomes usable: parse strictly, verify signatures from {@code SET.sig}, check the
 * validity window, and refuse sets whose lint finds errors (a rule selecting a category the set is not
 * authorised for). Anything wrong throws {@link RuleSetException}; the caller keeps its previous set.
 */
public final class RuleSetLoader
{
    private RuleSetLoader()
    {
    }

    public static VerifiedRuleSet load(final Path ruleSetFile, final Path signatureFile, final TrustPolicy policy,
        final Instant now)
    {
        final RuleSet ruleSet = RuleSetParser.parse(ruleSetFile);
        RuleSetLinter.lint(ruleSet, now).stream()
            .filter(f -> f.severity() == RuleSetLinter.Severity.ERROR)
            .findFirst()
            .ifPresent(f ->
            {
                throw new RuleSetException(ruleSet.source() + ":" + f.line() + ": " + f.message());
            });
        final Path signatures = signatureFile != null ? signatureFile : SignatureFile.beside(ruleSetFile);
        return RuleSetVerifier.verify(ruleSet, signatures, SignatureFile.read(signatures), policy, now);
    }
}
