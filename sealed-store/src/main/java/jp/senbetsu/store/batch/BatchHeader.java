package jp.senbetsu.store.batch;

import jp.senbetsu.selector.record.SelectedFlowRecord;
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
 *  |  Body: records   → AES-256-GCM(records end to end) + tag (16) |
 *  |        recovery  → torn document hash (32) + length (8)       |
 *  |                    + Chronicle index (8), in the clear        |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The chain hash of a batch is SHA-256 over header and body; the next batch's header carries it. Format 2 (this
 * one) holds selected records of variable length (each names every rule that matched it); format 1, written only
 * by pre-release builds, held fixed 256-byte records and is refused by name.
 */
public final class BatchHeader
{
    public static final int MAGIC = 0x31424253;
    public static final int FORMAT_VERSION = 2;
    /** The pre-release format of fixed 256-byte records, which this version does not read. */
    public static final int FORMAT_VERSION_FIXED_RECORDS = 1;
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
    /**
     * Most bytes of records one batch holds (before the tag): the writer seals a batch before a record would take
     * it past this, so a batch of long records stays bounded (one record alone is far shorter).
     */
    public static final int MAX_RECORDS_LENGTH = 1 << 20;
    /** Most records in one batch. */
    public static final int MAX_RECORDS = 256;
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

    /**
     * Why the version field is not this format's, in words for a finding or error, or null when it is: format 1
     * is named, so a store from a pre-release build is not reported as corrupted.
     */
    public static String versionProblem(final int version)
    {
        if (version == FORMAT_VERSION)
        {
            return null;
        }
        if (version == FORMAT_VERSION_FIXED_RECORDS)
        {
            return "batch format version 1 (fixed 256-byte records of a pre-release build) is not read by this " +
                "version, which reads format " + FORMAT_VERSION;
        }
        return "unknown batch format version " + version;
    }

    /**
     * Whether a records body of {@code bodyLength} bytes (tag included) can hold {@code count} records: each is
     * at least {@link SelectedFlowRecord#FIXED_LENGTH} and at most {@link SelectedFlowRecord#MAX_LENGTH} bytes, a
     * multiple of 8, and together they stay within {@link #MAX_RECORDS_LENGTH}. Checked without the key; the
     * exact tiling is checked after decryption ({@link BatchRecords}).
     */
    public static boolean recordsBodyPlausible(final int count, final int bodyLength)
    {
        final long records = (long)bodyLength - TAG_LENGTH;
        return count >= 1 && count <= MAX_RECORDS && records % Long.BYTES == 0 &&
            records >= (long)count * SelectedFlowRecord.FIXED_LENGTH &&
            records <= Math.min((long)count * SelectedFlowRecord.MAX_LENGTH, MAX_RECORDS_LENGTH);
    }
}
