package jp.senbetsu.store;

import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Deterministic selected records: record {@code i} of a seed is always the same bytes, so a round trip can be
 * checked by regenerating instead of keeping gigabytes of expected data. About one record in four names one to
 * three further matching rules, so the store sees records of several lengths laid end to end.
 */
final class TestRecords
{
    static final String[] APPROVALS = {"ACD-2026-0001", "ACD-2026-0002", "ACD-2026-0003"};
    static final String[] RULES = {"rule-c2-beacon", "rule-scan", "rule-ddos", "rule-exfil"};

    private final SelectedFlowRecord record = new SelectedFlowRecord();
    private final long seed;

    TestRecords(final long seed)
    {
        this.seed = seed;
    }

    /** Writes record {@code i} at {@code offset}. */
    void fill(final long i, final MutableDirectBuffer buffer, final int offset)
    {
        long x = mix(seed + i);
        record.wrap(buffer, offset);
        final FlowRecord flow = record.flow();
        final int further = ((x >>> 44) & 3) == 3 ? 1 + (int)(i % 3) : 0;
        buffer.setMemory(offset, SelectedFlowRecord.FIXED_LENGTH + further * SelectedFlowRecord.MAX_ID_LENGTH, (byte)0);
        final long start = 1_780_000_000_000_000_000L + i * 1_000_000L;
        flow.startNs(start).endNs(start + (x & 0xFFFFFF));
        final boolean v6 = (x & 0x100) != 0;
        flow.ipVersion(v6 ? 6 : 4);
        if (v6)
        {
            buffer.putLong(flow.srcAddressOffset(), x);
            buffer.putLong(flow.srcAddressOffset() + 8, ~x);
            buffer.putLong(flow.dstAddressOffset(), x * 31);
            buffer.putLong(flow.dstAddressOffset() + 8, x * 17);
            buffer.putByte(flow.srcAddressOffset(), (byte)0x20);
            buffer.putByte(flow.srcAddressOffset() + 1, (byte)0x01);
        }
        else
        {
            buffer.putInt(flow.srcAddressOffset(), (int)x);
            buffer.putInt(flow.dstAddressOffset(), (int)(x >>> 32));
        }
        flow.srcPort((int)(x >>> 16) & 0xFFFF).dstPort((int)(i % 1024)).protocol((i & 1) == 0 ? 6 : 17);
        x = mix(x);
        flow.packets(x & 0xFFFF).bytes(x & 0xFFFFFF).wireBytes((x & 0xFFFFFF) + 100)
            .reversePackets((x >>> 20) & 0xFFFF).reverseBytes((x >>> 8) & 0xFFFFF).tcpFlags((int)(x & 0x3F))
            .endReason(1 + (int)(i % 3)).flowFlags(FlowRecord.FLAG_HAS_PORTS);
        record.category(1 + (int)(i % 3)).matchedRuleCount(1 + further).keepMask(0).ruleSetVersion(7)
            .tableVersion(0x1234_5678_9ABC_DEF0L);
        record.ruleSetId("rs-2026-11").approvalId(APPROVALS[(int)(i % APPROVALS.length)])
            .ruleId(RULES[(int)(i % RULES.length)]);
        for (int j = 0; j < further; j++)
        {
            record.furtherRuleId(j, RULES[(int)((i + 1 + j) % RULES.length)]);
        }
    }

    /** Whether {@code actual} is, byte for byte and in length, the record {@link #fill} wrote into {@code expected}. */
    static boolean sameRecord(final DirectBuffer expected, final SelectedFlowRecord actual)
    {
        final int length = SelectedFlowRecord.lengthAt(expected, 0);
        return length == actual.length() &&
            new UnsafeBuffer(expected, 0, length).compareTo(new UnsafeBuffer(actual.buffer(), actual.offset(), length)) == 0;
    }

    static long mix(long z)
    {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
