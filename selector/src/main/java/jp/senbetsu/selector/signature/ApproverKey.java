package jp.senbetsu.selector.signature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;

/**
 * A trusted approver's Ed25519 public key, configured out of band, with the person's name and role for messages
 * and the audit log.
 *
 * @param name  who holds the private key.
 * @param role  {@code operator} or {@code approver}.
 * @param key   the public key.
 * @param keyId first 8 bytes of the SHA-256 of the encoded key, in hex: how signature files name keys.
 */
public record ApproverKey(String name, String role, PublicKey key, String keyId)
{
    public static ApproverKey of(final String name, final String role, final PublicKey key)
    {
        return new ApproverKey(name, role, key, keyIdOf(key));
    }

    public static String keyIdOf(final PublicKey key)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
