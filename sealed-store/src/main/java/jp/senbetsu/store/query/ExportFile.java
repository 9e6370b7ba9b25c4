package jp.senbetsu.store.query;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.keys.PassphraseKeyFile;

/**
 * The encrypted export format, for handing selected records to a recipient who holds an agreed passphrase.
 * JSON Lines are cut into chunks of up to 64 KiB, each sealed with AES-256-GCM under a key derived with
 * PBKDF2-HMAC-SHA256; nonces count chunks, and the last chunk is marked in its associated data, so reordering,
 * dropping or truncating chunks fails authentication.
 *
 * <pre>
 *  "SBX1" | iterations (int32 BE) | salt (16)
 *  chunk* = | length (int32 BE) | AES-GCM(plaintext) + tag   AAD = "SBX1" | chunk index (int64) | last (1 byte)
 *  nonce  = 0 (4) | chunk index (int64 BE)
 * </pre>
 */
public final class ExportFile
{
    public static final int CHUNK = 64 * 1024;
    private static final byte[] MAGIC = "SBX1".getBytes(StandardCharsets.US_ASCII);

    private ExportFile()
    {
    }

    /** Streams plaintext into encrypted chunks; {@link #close()} writes the final chunk. */
    public static final class Writer extends OutputStream
    {
        private final DataOutputStream out;
        private final SecretKeySpec key;
        private final byte[] buffer = new byte[CHUNK];
        private int filled;
        private long chunk;
        private boolean closed;

        public Writer(final OutputStream out, final char[] passphrase) throws IOException
        {
            this.out = new DataOutputStream(out);
            final byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            this.key = derive(passphrase, salt, PassphraseKeyFile.MIN_ITERATIONS);
            this.out.write(MAGIC);
            this.out.writeInt(PassphraseKeyFile.MIN_ITERATIONS);
            this.out.write(salt);
        }

        @Override
        public void write(final int b) throws IOException
        {
            write(new byte[] {(byte)b}, 0, 1);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException
        {
            int pos = off;
            int remaining = len;
            while (remaining > 0)
            {
                if (filled == CHUNK)
                {
                    emit(false);
                }
                final int n = Math.min(remaining, CHUNK - filled);
                System.arraycopy(b, pos, buffer, filled, n);
                filled += n;
                pos += n;
                remaining -= n;
            }
        }

        private void emit(final boolean last) throws IOException
        {
            final byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key, chunk, last, buffer, filled);
            out.writeInt(sealed.length);
            out.write(sealed);
            chunk++;
            filled = 0;
        }

        @Override
        public void close() throws IOException
        {
            if (!closed)
            {
                closed = true;
                emit(true);
                out.close();
            }
        }
    }

    /** Decrypts a whole export; a {@link StoreException} if any chunk fails or the file is incomplete. */
    public static byte[] decrypt(final InputStream in, final char[] passphrase)
    {
        try
        {
            final ByteBuffer file = ByteBuffer.wrap(in.readAllBytes());
            if (file.remaining() < 24 || !Arrays.equals(file.array(), 0, 4, MAGIC, 0, 4))
            {
                throw new StoreException("not a senbetsu encrypted export (magic)", null);
            }
            file.position(4);
            final int iterations = file.getInt();
            final byte[] salt = new byte[16];
            file.get(salt);
            final SecretKeySpec key = derive(passphrase, salt, iterations);
            final ByteArrayOutputStream plain = new ByteArrayOutputStream();
            for (long chunk = 0; ; chunk++)
            {
                if (file.remaining() < 4)
                {
                    throw new StoreException("encrypted export truncated before chunk " + chunk, null);
                }
                final int length = file.getInt();
                if (length < 16 || length > file.remaining())
                {
                    throw new StoreException("encrypted export truncated or corrupted at chunk " + chunk, null);
                }
                final byte[] sealed = new byte[length];
                file.get(sealed);
                final boolean last = !file.hasRemaining();
                plain.write(gcmOpen(key, chunk, last, sealed));
                if (last)
                {
                    return plain.toByteArray();
                }
            }
        }
        catch (final IOException ex)
        {
            throw new StoreException("encrypted export unreadable: " + ex.getMessage(), ex);
        }
    }

    private static byte[] gcmOpen(final SecretKeySpec key, final long chunk, final boolean last, final byte[] sealed)
    {
        try
        {
            return gcm(Cipher.DECRYPT_MODE, key, chunk, last, sealed, sealed.length);
        }
        catch (final IOException ex)
        {
            throw new StoreException("encrypted export chunk " + chunk + " does not authenticate (wrong passphrase, "
                + "altered or truncated file)", ex);
        }
    }

    private static byte[] gcm(final int mode, final SecretKeySpec key, final long chunk, final boolean last,
        final byte[] input, final int length) throws IOException
    {
        try
        {
            final byte[] nonce = new byte[12];
            for (int i = 0; i < 8; i++)
            {
                nonce[4 + i] = (byte)(chunk >>> (56 - 8 * i));
            }
            final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(MAGIC);
            cipher.updateAAD(nonce, 4, 8);
            cipher.updateAAD(new byte[] {(byte)(last ? 1 : 0)});
            return cipher.doFinal(input, 0, length);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(ex.getMessage(), ex);
        }
    }

    private static SecretKeySpec derive(final char[] passphrase, final byte[] salt, final int iterations)
    {
        try
        {
            final byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(passphrase, salt, iterations, 256)).getEncoded();
            return new SecretKeySpec(raw, "AES");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
