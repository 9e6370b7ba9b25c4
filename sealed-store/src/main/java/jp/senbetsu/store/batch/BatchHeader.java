package jp.senbetsu.store.batch;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Flyweight over the header of one sealed batch: one Chronicle Queue document per batch. The header is in the
 * clear (so {@code verify} needs no key) and is the AES-GCM associated data of the body, so it cannot be changed
 * without the body failing to authenticate. Integers are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Magic "SBB1" (0x31424253 LE)              |   0
 *  +-------------------------------+-------------------------------+
 *  |        Format version         |   Type (0 records, 1 recovery)|   4
 *  +-------------------------------+-------------------------------+
 *  |                 Partition start (epoch seconds, 64)           |   8
 *  +---------------------------------------------------------------+
 *  |                 Batch sequence (64), global, from 1           |  16
 *  +---------------------------------------------------------------+
 *  |                 Record count                                  |  24
 *  +---------------------------------------------------------------+
 *  |                 Body length (bytes)                           |  28
 *  +---------------------------------------------------------------+
 *  |                 Key ID (16 bytes)                             |  32
 *  +---------------------------------------------------------------+
 *  |                 Nonce (12 bytes): 0 (4) + counter BE (8)      |  48
 *  +---------------------------------------------------------------+
 *  |                 Reserved (4, zero)                            |  60
 *  +---------------------------------------------------------------+
 *  |                 Previous batch hash: SHA-256 (32 bytes)       |  64
 *  +---------------------------------------------------------------+  96
 *  |  Body: records   → AES-256-GCM(records) + tag (count*256+16)  |
 *  |        recovery  → torn document hash (32) + length (8)       |
 *  |                    + Chronicle index (8), in the clear        |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The chain hash of a batch is SHA-256 over header and body; the next batch's header carries it.
 */
public final class BatchHeader
{
    public static final int MAGIC = 0x31424253;
    public static final int FORMAT_VERSION = 1;
    public static final int TYPE_RECORDS = 0;
    public static final int TYPE_RECOVERY = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 6;
    public static final int PARTITION_OFFSET = 8;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int RECORD_COUNT_OFFSET = 24;
    public static final int BODY_LENGTH_OFFSET = 28;
    public static final int KEY_ID_OFFSET = 32;
    public static final int KEY_ID_LENGTH = 16;
    public static final int NONCE_OFFSET = 48;
    public static final int NONCE_LENGTH = 12;
    public static final int RESERVED_OFFSET = 60;
    public static final int PREVIOUS_HASH_OFFSET = 64;
    public static final int HASH_LENGTH = 32;
    public static final int LENGTH = 96;

    /** GCM authentication tag length. */
    public static final int TAG_LENGTH = 16;
    /** Body length of a recovery document. */
    public static final int RECOVERY_BODY_LENGTH = HASH_LENGTH + 16;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);

    public BatchHeader wrap(final byte[] bytes)
    {
        buffer.wrap(bytes);
        return this;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public int magic()
    {
        return buffer.getInt(MAGIC_OFFSET);
    }

    public int version()
    {
        return buffer.getShort(VERSION_OFFSET) & 0xFFFF;
    }

    public int type()
    {
        return buffer.getShort(TYPE_OFFSET) & 0xFFFF;
    }

    public long partitionStartSeconds()
    {
        return buffer.getLong(PARTITION_OFFSET);
    }

    public long sequence()
    {
        return buffer.getLong(SEQUENCE_OFFSET);
    }

    public int recordCount()
    {
        return buffer.getInt(RECORD_COUNT_OFFSET);
    }

    public int bodyLength()
    {
        return buffer.getInt(BODY_LENGTH_OFFSET);
    }

    /** Nonce counter (the big-endian low 8 bytes of the nonce). */
    public long nonceCounter()
    {
        return Long.reverseBytes(buffer.getLong(NONCE_OFFSET + 4));
    }

    public int reserved()
    {
        return buffer.getInt(RESERVED_OFFSET);
    }

    /**
     * Whether a document is visibly cut short: shorter than a header, or shorter than the body length its own
     * header announces. Only such a document can be what a torn write left; a complete document that fails its
     * checks was altered (or damaged in a way no torn write explains).
     */
    public static boolean truncated(final byte[] doc, final int length)
    {
        if (length < LENGTH)
        {
            return true;
        }
        final UnsafeBuffer b = new UnsafeBuffer(doc, 0, LENGTH);
        final long announced = (long)LENGTH + b.getInt(BODY_LENGTH_OFFSET);
        return b.getInt(MAGIC_OFFSET) == MAGIC && length < announced;
    }

    /** Writes every header field except the nonce, key ID and previous hash, which are copied in as bytes. */
    public BatchHeader fill(final int type, final long partitionStartSeconds, final long sequence,
        final int recordCount, final int bodyLength)
    {
        buffer.putInt(MAGIC_OFFSET, MAGIC);
        buffer.putShort(VERSION_OFFSET, (short)FORMAT_VERSION);
        buffer.putShort(TYPE_OFFSET, (short)type);
        buffer.putLong(PARTITION_OFFSET, partitionStartSeconds);
        buffer.putLong(SEQUENCE_OFFSET, sequence);
        buffer.putInt(RECORD_COUNT_OFFSET, recordCount);
        buffer.putInt(BODY_LENGTH_OFFSET, bodyLength);
        buffer.putInt(RESERVED_OFFSET, 0);
        return this;
    }
}
