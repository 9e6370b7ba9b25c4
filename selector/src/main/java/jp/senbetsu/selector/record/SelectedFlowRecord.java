package jp.senbetsu.selector.record;

import java.nio.charset.StandardCharsets;

import jp.senbetsu.capture.record.FlowRecord;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over a flow that automatic selection chose to keep: the {@link FlowRecord} bytes followed by the
 * selection trailer that binds it to its legal basis (category, approval ID, rule, rule set, table version).
 * This is the unit the sealed store encrypts and the only record form that ever reaches a disk.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    FlowRecord (160 bytes)                     |   0
 *  +---------------+---------------+-------------------------------+
 *  |   Category    | Matched rules |        Keep mask              | 160
 *  +---------------+---------------+-------------------------------+
 *  |                    Rule set version                           | 164
 *  +---------------------------------------------------------------+
 *  |       Domestic table version (first 8 bytes of SHA-256)       | 168
 *  +---------------------------------------------------------------+
 *  |                Rule set ID (24 bytes ASCII, NUL padded)       | 176
 *  +---------------------------------------------------------------+
 *  |                Approval ID (24 bytes ASCII, NUL padded)       | 200
 *  +---------------------------------------------------------------+
 *  |                Rule ID (24 bytes ASCII, NUL padded)           | 224
 *  +---------------------------------------------------------------+
 *  |     Ordinals of two further matching rules (2 x 32, -1 none)  | 248
 *  +---------------------------------------------------------------+ 256
 * </pre>
 *
 * <p>Category codes: 1 foreign→foreign (外外), 2 foreign→domestic (外内), 3 domestic→foreign (内外). Domestic→domestic
 * and unknown never appear: such flows are dropped before any rule runs.
 */
public final class SelectedFlowRecord
{
    public static final int FLOW_OFFSET = 0;
    public static final int CATEGORY_OFFSET = FlowRecord.LENGTH;
    public static final int MATCHED_RULE_COUNT_OFFSET = CATEGORY_OFFSET + 1;
    public static final int KEEP_MASK_OFFSET = CATEGORY_OFFSET + 2;
    public static final int RULE_SET_VERSION_OFFSET = CATEGORY_OFFSET + 4;
    public static final int TABLE_VERSION_OFFSET = CATEGORY_OFFSET + 8;
    public static final int RULE_SET_ID_OFFSET = CATEGORY_OFFSET + 16;
    public static final int APPROVAL_ID_OFFSET = RULE_SET_ID_OFFSET + 24;
    public static final int RULE_ID_OFFSET = APPROVAL_ID_OFFSET + 24;
    public static final int OTHER_RULES_OFFSET = RULE_ID_OFFSET + 24;
    public static final int LENGTH = OTHER_RULES_OFFSET + 8;

    /** Longest rule set ID, approval ID or rule ID the record can carry, in ASCII bytes. */
    public static final int MAX_ID_LENGTH = 24;

    public static final int CATEGORY_FOREIGN_FOREIGN = 1;
    public static final int CATEGORY_FOREIGN_DOMESTIC = 2;
    public static final int CATEGORY_DOMESTIC_FOREIGN = 3;

    private final FlowRecord flow = new FlowRecord();
    private MutableDirectBuffer buffer;
    private int offset;

    public SelectedFlowRecord wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        flow.wrap(buffer, offset + FLOW_OFFSET);
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /** The flow part of this record, wrapped over the same bytes. */
    public FlowRecord flow()
    {
        return flow;
    }

    public int category()
    {
        return buffer.getByte(offset + CATEGORY_OFFSET) & 0xFF;
    }

    public SelectedFlowRecord category(final int v)
    {
        buffer.putByte(offset + CATEGORY_OFFSET, (byte)v);
        return this;
    }

    public int matchedRuleCount()
    {
        return buffer.getByte(offset + MATCHED_RULE_COUNT_OFFSET) & 0xFF;
    }

    public SelectedFlowRecord matchedRuleCount(final int v)
    {
        buffer.putByte(offset + MATCHED_RULE_COUNT_OFFSET, (byte)Math.min(v, 255));
        return this;
    }

    /** Which optional (grey-zone) fields the selecting rule allowed to be kept. */
    public int keepMask()
    {
        return buffer.getShort(offset + KEEP_MASK_OFFSET) & 0xFFFF;
    }

    public SelectedFlowRecord keepMask(final int v)
    {
        buffer.putShort(offset + KEEP_MASK_OFFSET, (short)v);
        return this;
    }

    public int ruleSetVersion()
    {
        return buffer.getInt(offset + RULE_SET_VERSION_OFFSET);
    }

    public SelectedFlowRecord ruleSetVersion(final int v)
    {
        buffer.putInt(offset + RULE_SET_VERSION_OFFSET, v);
        return this;
    }

    public long tableVersion()
    {
        return buffer.getLong(offset + TABLE_VERSION_OFFSET);
    }

    public SelectedFlowRecord tableVersion(final long v)
    {
        buffer.putLong(offset + TABLE_VERSION_OFFSET, v);
        return this;
    }

    public String ruleSetId()
    {
        return getId(RULE_SET_ID_OFFSET);
    }

    public SelectedFlowRecord ruleSetId(final String id)
    {
        return putId(RULE_SET_ID_OFFSET, id);
    }

    public String approvalId()
    {
        return getId(APPROVAL_ID_OFFSET);
    }

    public SelectedFlowRecord approvalId(final String id)
    {
        return putId(APPROVAL_ID_OFFSET, id);
    }

    public String ruleId()
    {
        return getId(RULE_ID_OFFSET);
    }

    public SelectedFlowRecord ruleId(final String id)
    {
        return putId(RULE_ID_OFFSET, id);
    }

    /** Absolute offset of the approval ID bytes, for comparing without building a String. */
    public int approvalIdOffset()
    {
        return offset + APPROVAL_ID_OFFSET;
    }

    public int otherRuleOrdinal(final int index)
    {
        return buffer.getInt(offset + OTHER_RULES_OFFSET + (index << 2));
    }

    public SelectedFlowRecord otherRuleOrdinal(final int index, final int ordinal)
    {
        buffer.putInt(offset + OTHER_RULES_OFFSET + (index << 2), ordinal);
        return this;
    }

    private String getId(final int fieldOffset)
    {
        int length = 0;
        while (length < MAX_ID_LENGTH && buffer.getByte(offset + fieldOffset + length) != 0)
        {
            length++;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset + fieldOffset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private SelectedFlowRecord putId(final int fieldOffset, final String id)
    {
        final byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > MAX_ID_LENGTH)
        {
            throw new IllegalArgumentException("identifier longer than " + MAX_ID_LENGTH + " bytes: " + id);
        }
        buffer.setMemory(offset + fieldOffset, MAX_ID_LENGTH, (byte)0);
        buffer.putBytes(offset + fieldOffset, bytes);
        return this;
    }
}
