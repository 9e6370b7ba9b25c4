package jp.senbetsu.selector.signature;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

import jp.senbetsu.selector.rules.RuleSet;

/** Ed25519 signing and verification of a rule set's canonical bytes. */
public final class RuleSetSigner
{
    private RuleSetSigner()
    {
    }

    public static byte[] sign(final RuleSet ruleSet, final PrivateKey key)
    {
        try
        {
            final Signature signature = Signature.getInstance(KeyFiles.ALGORITHM);
            signature.initSign(key);
            signature.update(ruleSet.canonicalBytes());
            return signature.sign();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("Ed25519 signing failed", ex);
        }
    }

    public static boolean verifies(final RuleSet ruleSet, final byte[] signatureBytes, final PublicKey key)
    {
        try
        {
            final Signature signature = Signature.getInstance(KeyFiles.ALGORITHM);
            signature.initVerify(key);
            signature.update(ruleSet.canonicalBytes());
            return signature.verify(signatureBytes);
        }
        catch (final java.security.SignatureException ex)
        {
            return false;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("Ed25519 verification failed", ex);
        }
    }
}
