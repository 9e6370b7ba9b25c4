package jp.senbetsu.selector.record;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import jp.senbetsu.capture.record.FlowRecord;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over a flow that automatic selection chose to keep: the {@link FlowRecord} bytes followed by the
 * selection trailer that binds it to its legal basis (category, approval ID, deciding rule, rule set, table version)
 * and names every other rule that matched it. This is the unit the sealed store encrypts and the only record form
 * that ever reaches a disk.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    FlowRecord (160 bytes)                     |   0
 *  +---------------+---------------+-------------------------------+
 *  |   Category    | Reserved (0)  |        Keep mask              | 160
 *  +---------------+---------------+-------------------------------+
 *  |                    Rule set version                           | 164
 *  +---------------------------------------------------------------+
 *  |       Domestic table version (first 8 bytes of SHA-256)       | 168
 *  +---------------------------------------------------------------+
 *  |                Rule set ID (24 bytes ASCII, NUL padded)       | 176
 *  +---------------------------------------------------------------+
 *  |                Approval ID (24 bytes ASCII, NUL padded)       | 200
 *  +---------------------------------------------------------------+
 *  |          Deciding rule ID (24 bytes ASCII, NUL padded)        | 224
 *  +---------------------------------------------------------------+
 *  |   Matched rules: every rule that matched, the deciding one    | 248
 *  +---------------------------------------------------------------+
 *  |   Further rule IDs recorded below (n)                         | 252
 *  +---------------------------------------------------------------+
 *  |   n x further matching rule ID (24 bytes ASCII, NUL padded),  | 256
 *  |   in priority order                                          ...
 *  +---------------------------------------------------------------+ 256 + 24n
 * </pre>
 *
 * <p>The record is {@value #FIXED_LENGTH} bytes plus 24 per further matching rule, so its length follows from its
 * own fixed part ({@link #lengthAt(DirectBuffer, int)}) and records can be laid end to end. n is the number of
 * matched rules minus one, but at most {@value #MAX_FURTHER_RULES}: a flow that more rules match keeps the exact
 * count at offset 248, and the first {@value #MAX_FURTHER_RULES} further rules by priority.
 *
 * <p>Category codes: 1 foreign→foreign (外外), 2 foreign→domestic (外内), 3 domestic→foreign (内外). Domestic→domestic
 * and unknown never appear: such flows are dropped before any rule runs.
 */
public final class SelectedFlowRecord
{
    public static final int FLOW_OFFSET = 0;
    public static final int CATEGORY_OFFSET = FlowRecord.LENGTH;
    /** One byte, zero: it held a capped match count before the count moved to {@link #MATCHED_RULE_COUNT_OFFSET}. */
    public static final int RESERVED_OFFSET = CATEGORY_OFFSET + 1;
    public static final int KEEP_MASK_OFFSET = CATEGORY_OFFSET + 2;
    public static final int RULE_SET_VERSION_OFFSET = CATEGORY_OFFSET + 4;
    public static final int TABLE_VERSION_OFFSET = CATEGORY_OFFSET + 8;
    public static final int RULE_SET_ID_OFFSET = CATEGORY_OFFSET + 16;
    public static final int APPROVAL_ID_OFFSET = RULE_SET_ID_OFFSET + 24;
    public static final int RULE_ID_OFFSET = APPROVAL_ID_OFFSET + 24;
    public static final int MATCHED_RULE_COUNT_OFFSET = RULE_ID_OFFSET + 24;
    public static final int FURTHER_RULE_COUNT_OFFSET = MATCHED_RULE_COUNT_OFFSET + 4;
    public static final int FURTHER_RULES_OFFSET = FURTHER_RULE_COUNT_OFFSET + 4;
    /** Length of a record that names no further rule: the flow and the fixed part of the trailer. */
    public static final int FIXED_LENGTH = FURTHER_RULES_OFFSET;

    /** Longest rule set ID, approval ID or rule ID the record can carry, in ASCII bytes. */
    public static final int MAX_ID_LENGTH = 24;

    /**
     * Most further matching rules a record names. It bounds a record to {@value #MAX_LENGTH} bytes, so a record
     * always fits the appliance's selected-record queue and a store batch stays within its byte bound; {@code rules
     * check} warns about a rule set in which one flow could match more.
     */
    public static final int MAX_FURTHER_RULES = 1023;

    /** Longest record: {@link #FIXED_LENGTH} plus {@link #MAX_FURTHER_RULES} rule IDs. */
    public static final int MAX_LENGTH = FIXED_LENGTH + MAX_FURTHER_RULES * MAX_ID_LENGTH;

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

    /** Sets the category and zeroes the reserved byte after it. */
    public SelectedFlowRecord category(final int v)
    {
        buffer.putShort(offset + CATEGORY_OFFSET, (short)(v & 0xFF), ByteOrder.LITTLE_ENDIAN);
        return this;
    }

    /** How many rules matched the flow, the deciding one included (at least 1). */
    public int matchedRuleCount()
    {
        return buffer.getInt(offset + MATCHED_RULE_COUNT_OFFSET);
    }

    /**
     * Sets how many rules matched, and with it how many further rule IDs the record names ({@code matched - 1},
     * at most {@link #MAX_FURTHER_RULES}), so its {@link #length()}: write the IDs with
     * {@link #furtherRuleId(int, String)} or at {@link #furtherRuleIdOffset(int)}.
     */
    public SelectedFlowRecord matchedRuleCount(final int matched)
    {
        if (matched < 1)
        {
            throw new IllegalArgumentException("a selected record needs at least one matched rule: " + matched);
        }
        buffer.putInt(offset + MATCHED_RULE_COUNT_OFFSET, matched);
        buffer.putInt(offset + FURTHER_RULE_COUNT_OFFSET, furtherRulesFor(matched));
        return this;
    }

    /** How many further matching rules the record names (after the deciding one). */
    public int furtherRuleCount()
    {
        return buffer.getInt(offset + FURTHER_RULE_COUNT_OFFSET);
    }

    /** ID of the {@code index}-th further matching rule (0 is the second rule by priority). */
    public String furtherRuleId(final int index)
    {
        return getId(furtherRuleIdOffset(index) - offset);
    }

    public SelectedFlowRecord furtherRuleId(final int index, final String id)
    {
        return putId(furtherRuleIdOffset(index) - offset, id);
    }

    /** Absolute offset of the {@code index}-th further rule ID, which must be below {@link #furtherRuleCount()}. */
    public int furtherRuleIdOffset(final int index)
    {
        final int further = furtherRuleCount();
        if (index < 0 || index >= further)
        {
            throw new IndexOutOfBoundsException("further rule " + index + " of " + further);
        }
        return offset + FURTHER_RULES_OFFSET + index * MAX_ID_LENGTH;
    }

    /** Bytes of this record, from its further-rule count. */
    public int length()
    {
        return lengthAt(buffer, offset);
    }

    /** Further rule IDs a record names when {@code matched} rules matched. */
    public static int furtherRulesFor(final int matched)
    {
        return Math.min(matched - 1, MAX_FURTHER_RULES);
    }

    /** Bytes of the record of a flow that {@code matched} rules matched. */
    public static int lengthFor(final int matched)
    {
        return FIXED_LENGTH + furtherRulesFor(matched) * MAX_ID_LENGTH;
    }

    /**
     * Bytes of the record at {@code offset}, read from its fixed part, or -1 when its counts are not those of a
     * record (none matched, or a further-rule count other than the one the matched count gives): a reader walking
     * records end to end stops there instead of trusting a length.
     */
    public static int lengthAt(final DirectBuffer buffer, final int offset)
    {
        final int matched = buffer.getInt(offset + MATCHED_RULE_COUNT_OFFSET);
        final int further = buffer.getInt(offset + FURTHER_RULE_COUNT_OFFSET);
        if (matched < 1 || further != furtherRulesFor(matched))
        {
            return -1;
        }
        return FIXED_LENGTH + further * MAX_ID_LENGTH;
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
