package jp.senbetsu.store.chain;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The running head of a SHA-256 hash chain: each document's hash covers its own bytes, which include the hash
 * of the document before it, so changing, removing, inserting or reordering any document breaks every later
 * link. The chain starts at a genesis hash derived from the store (or audit log) ID, so documents cannot be
 * spliced in from another store.
 */
public final class ChainHash
{
    public static final int LENGTH = 32;

    private final MessageDigest sha;
    private final byte[] head = new byte[LENGTH];

    public ChainHash()
    {
        try
        {
            sha = MessageDigest.getInstance("SHA-256");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Genesis hash for a chain: SHA-256 of a label and the store ID. */
    public static byte[] genesis(final String label, final String storeId)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256")
                .digest(("senbetsu-genesis|" + label + "|" + storeId).getBytes(StandardCharsets.UTF_8));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public ChainHash reset(final byte[] hash)
    {
        System.arraycopy(hash, 0, head, 0, LENGTH);
        return this;
    }

    /** Makes the hash of {@code doc[0, length)} the new head. */
    public void advance(final byte[] doc, final int length)
    {
        sha.update(doc, 0, length);
        try
        {
            sha.digest(head, 0, LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Hash of {@code doc[0, length)} without changing the head. */
    public byte[] hashOf(final byte[] doc, final int length)
    {
        sha.update(doc, 0, length);
        return sha.digest();
    }

    /** Whether {@code bytes[offset, offset+32)} equals the head. */
    public boolean headEquals(final byte[] bytes, final int offset)
    {
        return Arrays.equals(head, 0, LENGTH, bytes, offset, offset + LENGTH);
    }

    public void copyHead(final byte[] dst, final int offset)
    {
        System.arraycopy(head, 0, dst, offset, LENGTH);
    }

    public byte[] head()
    {
        return head.clone();
    }

    public String headHex()
    {
        return HexFormat.of().formatHex(head);
    }
}
