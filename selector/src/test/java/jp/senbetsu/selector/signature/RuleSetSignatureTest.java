package jp.senbetsu.selector.signature;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetException;
import jp.senbetsu.selector.rules.RuleSetParser;
import jp.senbetsu.selector.table.TestTables;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleSetSignatureTest
{
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path set;
    private ApproverKey operator;
    private ApproverKey approver;
    private KeyFiles.Signing operatorKey;
    private KeyFiles.Signing approverKey;
    private KeyFiles.Signing strangerKey;
    private TrustPolicy policy;

    static String document(final String validFrom, final String validUntil)
    {
        return """
            rule_set: rs-sig
            version: 2
            issuer: test
            valid_from: %s
            valid_until: %s
            categories: [foreign-domestic]
            approvals: [{id: APP-1}]
            rules:
              - id: r1
                approval: APP-1
                categories: [foreign-domestic]
                match: {src: [8.8.8.0/24]}
            table: %s
            """.formatted(validFrom, validUntil, TestTables.small().versionHex());
    }

    @BeforeEach
    void keys() throws Exception
    {
        operatorKey = keygen("alice", "operator");
        approverKey = keygen("bob", "approver");
        strangerKey = keygen("mallory", "approver");
        operator = KeyFiles.readPublic(dir.resolve("alice.pub"));
        approver = KeyFiles.readPublic(dir.resolve("bob.pub"));
        policy = TrustPolicy.of(List.of(operator, approver));
        set = dir.resolve("rules.yaml");
        Files.writeString(set, document("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"));
    }

    private KeyFiles.Signing keygen(final String name, final String role)
    {
        final KeyPair pair = KeyFiles.generate();
        KeyFiles.writePublic(dir.resolve(name + ".pub"), name, role, pair.getPublic());
        KeyFiles.writePrivate(dir.resolve(name + ".key"), name, role, pair);
        return KeyFiles.readPrivate(dir.resolve(name + ".key"));
    }

    private void sign(final KeyFiles.Signing key)
    {
        final RuleSet parsed = RuleSetParser.parse(set);
        SignatureFile.append(SignatureFile.beside(set), key.keyId(), RuleSetSigner.sign(parsed, key.key()), key.name());
    }

    private VerifiedRuleSet load(final Instant now)
    {
        return RuleSetLoader.load(set, null, policy, now);
    }

    private String refusal(final Instant now)
    {
        final RuleSetException ex = assertThrows(RuleSetException.class, () -> load(now));
        assertEquals(2, ex.exitCode());
        return ex.getMessage();
    }

    @Test
    void anOperatorAndAnApproverTogetherMakeAUsableSet()
    {
        sign(operatorKey);
        sign(approverKey);
        final VerifiedRuleSet verified = load(NOW);
        assertEquals(List.of("alice", "bob"), verified.signers().stream().map(ApproverKey::name).toList());
        assertEquals("rs-sig", verified.ruleSet().id());
    }

    @Test
    void aVerifiedRuleSetCanOnlyBeMadeByVerification()
    {
        // no public constructor, and not a record (whose canonical constructor would be public)
        assertEquals(0, VerifiedRuleSet.class.getConstructors().length);
        assertTrue(!VerifiedRuleSet.class.isRecord());
        assertTrue(java.util.Arrays.stream(VerifiedRuleSet.class.getDeclaredConstructors())
            .noneMatch(c -> java.lang.reflect.Modifier.isPublic(c.getModifiers()) ||
                java.lang.reflect.Modifier.isProtected(c.getModifiers())));
    }

    @Test
    void anUnsignedSetIsRefused()
    {
        assertEquals(set + ": rule set 'rs-sig' version 2 is unsigned: no signatures in " + set + ".sig",
            refusal(NOW));
    }

    @Test
    void oneSignatureIsNotEnoughAndSigningTwiceWithOneKeyCountsOnce()
    {
        sign(operatorKey);
        sign(operatorKey);
        assertEquals(set + ": rule set 'rs-sig' version 2 has 1 valid signature(s) from distinct trusted people " +
            "(alice/operator), 2 required including one by role 'approver'; missing: a signature by role " +
            "'approver' (the signers have role operator only)", refusal(NOW));
    }

    @Test
    void twoOperatorsWithoutAnApproverAreRefusedNamingTheMissingRole()
    {
        final KeyFiles.Signing carolKey = keygen("carol", "operator");
        policy = TrustPolicy.of(List.of(operator, approver, KeyFiles.readPublic(dir.resolve("carol.pub"))));
        sign(operatorKey);
        sign(carolKey);
        assertEquals(set + ": rule set 'rs-sig' version 2 has 2 valid signature(s) from distinct trusted people " +
            "(alice/operator, carol/operator), 2 required including one by role 'approver'; missing: a signature " +
            "by role 'approver' (the signers have role operator only)", refusal(NOW));
        sign(approverKey);
        assertEquals(List.of("alice", "carol", "bob"), load(NOW).signers().stream().map(ApproverKey::name).toList());
    }

    @Test
    void anApproverAloneIsRefusedNamingTheMissingSecondPerson()
    {
        sign(approverKey);
        assertEquals(set + ": rule set 'rs-sig' version 2 has 1 valid signature(s) from distinct trusted people " +
            "(bob/approver), 2 required including one by role 'approver'; missing: 1 more signature(s) by other " +
            "people (role operator or approver)", refusal(NOW));
    }

    @Test
    void oneApproverHoldingTwoKeysIsStillOnePerson()
    {
        final KeyPair pair = KeyFiles.generate();
        KeyFiles.writePublic(dir.resolve("bob-2.pub"), "bob", "operator", pair.getPublic());
        KeyFiles.writePrivate(dir.resolve("bob-2.key"), "bob", "operator", pair);
        final KeyFiles.Signing bobSecondKey = KeyFiles.readPrivate(dir.resolve("bob-2.key"));
        policy = TrustPolicy.of(List.of(operator, approver, KeyFiles.readPublic(dir.resolve("bob-2.pub"))));
        sign(approverKey);
        sign(bobSecondKey);
        assertTrue(refusal(NOW).contains("(bob/approver), 2 required"), refusal(NOW));
    }

    @Test
    void aPolicyRequiringFewerThanTwoSignaturesIsRefused()
    {
        final RuleSetException ex = assertThrows(RuleSetException.class,
            () -> new TrustPolicy(List.of(operator, approver), 1, Duration.ofMinutes(5)));
        assertEquals("required signatures: 1 is below the two-person rule's minimum of 2 (an approver and one " +
            "other person)", ex.getMessage());
    }

    @Test
    void aTamperedByteInTheSetBreaksEverySignature() throws Exception
    {
        sign(operatorKey);
        sign(approverKey);
        final byte[] bytes = Files.readAllBytes(set);
        final String text = new String(bytes, StandardCharsets.UTF_8);
        final int at = text.indexOf("8.8.8.0/24") + 4;
        bytes[at] = (byte)'9'; // 8.8.9.0/24: one byte, a different network
        Files.write(set, bytes);
        assertEquals(set + ".sig:1: signature by 'alice' (key " + operator.keyId() + ") does not verify over rule " +
            "set 'rs-sig' version 2: the set was changed after signing or the signature is corrupt", refusal(NOW));
    }

    @Test
    void theBoundDomesticTableIsPartOfWhatIsSigned() throws Exception
    {
        sign(operatorKey);
        sign(approverKey);
        final String bound = TestTables.small().versionHex();
        assertEquals(bound, load(NOW).ruleSet().tableVersion());
        // rebinding the set to another table (here: one hex digit changed) breaks every signature
        final String other = (bound.charAt(0) == '0' ? "1" : "0") + bound.substring(1);
        Files.writeString(set, Files.readString(set).replace("table: " + bound, "table: " + other));
        assertEquals(set + ".sig:1: signature by 'alice' (key " + operator.keyId() + ") does not verify over rule " +
            "set 'rs-sig' version 2: the set was changed after signing or the signature is corrupt", refusal(NOW));
    }

    @Test
    void aTamperedByteInASignatureIsRefused() throws Exception
    {
        sign(operatorKey);
        sign(approverKey);
        final Path sig = SignatureFile.beside(set);
        final List<String> lines = Files.readAllLines(sig);
        final String[] words = lines.get(1).split(" ");
        final byte[] signature = java.util.Base64.getDecoder().decode(words[2]);
        signature[10] ^= 0x01;
        words[2] = java.util.Base64.getEncoder().encodeToString(signature);
        Files.write(sig, List.of(lines.get(0), String.join(" ", words)));
        assertTrue(refusal(NOW).startsWith(sig + ":2: signature by 'bob' (key " + approver.keyId() +
            ") does not verify"));
    }

    @Test
    void aSignatureByAnUntrustedKeyIsRefused()
    {
        sign(operatorKey);
        sign(strangerKey);
        assertEquals(set + ".sig:2: signature by key " + strangerKey.keyId() + " ('mallory'): not a trusted " +
            "approver key", refusal(NOW));
    }

    @Test
    void aSignatureMadeWithOneKeyButClaimingAnotherDoesNotVerify()
    {
        sign(operatorKey);
        final RuleSet parsed = RuleSetParser.parse(set);
        // mallory signs but names bob's key ID: the wrong key for that ID
        SignatureFile.append(SignatureFile.beside(set), approver.keyId(),
            RuleSetSigner.sign(parsed, strangerKey.key()), "bob");
        assertTrue(refusal(NOW).contains("signature by 'bob' (key " + approver.keyId() + ") does not verify"));
    }

    @Test
    void anExpiredSetIsRefused()
    {
        sign(operatorKey);
        sign(approverKey);
        assertEquals(set + ": field 'valid_until': rule set 'rs-sig' version 2 expired at 2027-01-01T00:00:00Z " +
            "(now 2027-01-01T00:00:00Z)", refusal(Instant.parse("2027-01-01T00:00:00Z")));
        // the clock-skew allowance never extends a set past its expiry
        assertTrue(refusal(Instant.parse("2027-01-01T00:00:01Z")).contains("expired"));
    }

    @Test
    void aSetStartingWithinTheClockSkewAllowanceIsAcceptedAndLaterIsRefused() throws Exception
    {
        Files.writeString(set, document("2026-06-01T00:03:00Z", "2027-01-01T00:00:00Z"));
        sign(operatorKey);
        sign(approverKey);
        assertEquals("rs-sig", load(NOW).ruleSet().id());
        policy = new TrustPolicy(policy.trusted(), 2, Duration.ofMinutes(1));
        assertEquals(set + ": field 'valid_from': rule set 'rs-sig' version 2 is not valid before " +
            "2026-06-01T00:03:00Z (now 2026-06-01T00:00:00Z, clock skew allowance PT1M)", refusal(NOW));
    }

    @Test
    void aMalformedSetIsRefusedBeforeAnySignatureIsLookedAt() throws Exception
    {
        sign(operatorKey);
        sign(approverKey);
        Files.writeString(set, Files.readString(set).replace("8.8.8.0/24", "8.8.8.0/33"));
        assertEquals(set + ":12: rule 'r1' field 'match.src[0]': '8.8.8.0/33': prefix length 33 exceeds 32",
            refusal(NOW));
    }

    @Test
    void aSetSelectingACategoryItIsNotAuthorisedForIsRefused() throws Exception
    {
        Files.writeString(set, Files.readString(set).replace("  categories: [foreign-domestic]",
            "  categories: [foreign-domestic, foreign-foreign]"));
        sign(operatorKey);
        sign(approverKey);
        assertEquals(set + ":9: rule 'r1' field 'categories': foreign-foreign not authorised for the set " +
            "(categories: foreign-domestic)", refusal(NOW));
    }
}
