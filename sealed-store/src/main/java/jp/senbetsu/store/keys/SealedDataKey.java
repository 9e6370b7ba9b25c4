package jp.senbetsu.store.keys;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A data key as stored on disk: sealed (AES-256-GCM) under a master key, with the cleartext facts that
 * {@code keys list} and erasure records need without any credential.
 *
 * <pre>
 *  "SBK1" | version u16 | key ID (16) | partition (UTF) | master key ID (UTF) | fingerprint (UTF)
 *        | nonce (12) | sealed length u16 | sealed key: ciphertext (32) + tag (16)
 * </pre>
 * AAD of the sealing: {@code senbetsu-data-key|<key ID hex>|<partition>|<master key ID>|<fingerprint>}.
 */
public record SealedDataKey(byte[] keyId, String partition, String masterKeyId, String fingerprint, byte[] nonce,
    byte[] sealed)
{
    private static final int MAGIC = 0x53424B31;
    private static final int VERSION = 1;

    /** Key ID in hex, as printed and audited. */
    public String keyIdHex()
    {
        return HexFormat.of().formatHex(keyId);
    }

    /** Associated data binding the sealed bytes to this key's identity. */
    public byte[] aad()
    {
        return ("senbetsu-data-key|" + keyIdHex() + "|" + partition + "|" + masterKeyId + "|" + fingerprint)
            .getBytes(StandardCharsets.UTF_8);
    }

    public byte[] encode()
    {
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
            final DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            out.write(keyId);
            out.writeUTF(partition);
            out.writeUTF(masterKeyId);
            out.writeUTF(fingerprint);
            out.write(nonce);
            out.writeShort(sealed.length);
            out.write(sealed);
            out.flush();
            return bytes.toByteArray();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Parses a sealed key file's bytes; {@code where} names the file in errors. */
    public static SealedDataKey decode(final byte[] bytes, final String where)
    {
        try
        {
            final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            if (in.readInt() != MAGIC || in.readUnsignedShort() != VERSION)
            {
                throw new KeystoreException("sealed data key " + where + " is corrupted: bad magic or version");
            }
            final byte[] keyId = in.readNBytes(16);
            final String partition = in.readUTF();
            final String master = in.readUTF();
            final String fingerprint = in.readUTF();
            final byte[] nonce = in.readNBytes(NonceCounter.NONCE_LENGTH);
            final int length = in.readUnsignedShort();
            final byte[] sealed = in.readNBytes(length);
            if (sealed.length != length || length != 48 || in.available() != 0)
            {
                throw new KeystoreException("sealed data key " + where + " is corrupted: bad length");
            }
            return new SealedDataKey(keyId, partition, master, fingerprint, nonce, sealed);
        }
        catch (final IOException ex)
        {
            throw new KeystoreException("sealed data key " + where + " is corrupted: " + ex.getMessage(), ex);
        }
    }
}
