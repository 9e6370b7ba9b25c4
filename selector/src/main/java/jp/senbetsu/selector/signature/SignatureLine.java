package jp.senbetsu.selector.signature;

/**
 * One signature of a rule set as its signature file holds it:
 * {@code ed25519 <key-id> <base64 signature> <signer name>}.
 *
 * @param keyId     key ID of the signing key.
 * @param signature the 64-byte Ed25519 signature.
 * @param signer    name the signer gave (informational; the key ID decides).
 * @param line      line in the signature file.
 */
public record SignatureLine(String keyId, byte[] signature, String signer, int line)
{
}
