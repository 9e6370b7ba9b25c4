package jp.senbetsu.selector.signature;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import jp.senbetsu.selector.rules.RuleSet;

/**
 * Rule sets for tests in other packages, made usable the only way there is: signed by an operator and an approver
 * whose keys are generated here, and verified. Verified at the set's {@code valid_from}.
 */
public final class TestVerification
{
    private static final KeyPair OPERATOR = KeyFiles.generate();
    private static final KeyPair APPROVER = KeyFiles.generate();
    private static final ApproverKey OPERATOR_KEY = ApproverKey.of("test-operator", "operator", OPERATOR.getPublic());
    private static final ApproverKey APPROVER_KEY = ApproverKey.of("test-approver", "approver", APPROVER.getPublic());
    private static final TrustPolicy POLICY = TrustPolicy.of(List.of(OPERATOR_KEY, APPROVER_KEY));

    private TestVerification()
    {
    }

    public static VerifiedRuleSet signedAndVerified(final RuleSet ruleSet)
    {
        final List<SignatureLine> lines = List.of(
            new SignatureLine(OPERATOR_KEY.keyId(), RuleSetSigner.sign(ruleSet, OPERATOR.getPrivate()),
                OPERATOR_KEY.name(), 1),
            new SignatureLine(APPROVER_KEY.keyId(), RuleSetSigner.sign(ruleSet, APPROVER.getPrivate()),
                APPROVER_KEY.name(), 2));
        return RuleSetVerifier.verify(ruleSet, Path.of("test.yaml.sig"), lines, POLICY, ruleSet.validFrom());
    }
}
