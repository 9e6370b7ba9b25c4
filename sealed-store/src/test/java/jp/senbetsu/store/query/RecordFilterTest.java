package jp.senbetsu.store.query;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.StoreException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Address, prefix and port criteria of store reads: what they match, what they refuse, and that matching is free. */
class RecordFilterTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
    private final SelectedFlowRecord record = new SelectedFlowRecord().wrap(buffer, 0);

    @Test
    void prefixesMatchEitherEndOfTheirOwnFamilyAndPortsEitherPort()
    {
        v4(0xC633_6407, 0xC000_0205, 53, 40_000); // 198.51.100.7:53 -> 192.0.2.5:40000
        assertTrue(new RecordFilter().address("198.51.100.0/24").matches(record));
        assertTrue(new RecordFilter().address("192.0.2.5").matches(record), "the other end, as a host");
        assertFalse(new RecordFilter().address("192.0.2.6").matches(record));
        assertFalse(new RecordFilter().address("::ffff:192.0.2.0/120").matches(record), "an IPv6 prefix");
        assertTrue(new RecordFilter().port(53).matches(record));
        assertTrue(new RecordFilter().port(40_000).matches(record));
        assertFalse(new RecordFilter().port(443).matches(record));
        assertTrue(new RecordFilter().address("198.51.100.0/24").port(443).port(53).matches(record));
        assertFalse(new RecordFilter().address("203.0.113.0/24").port(53).matches(record), "criteria all hold");

        v6(0x2001_0db8_0000_0000L, 1, 0x2001_0db9_0000_0000L, 2, 50_000, 443);
        assertTrue(new RecordFilter().address("2001:db8::/32").matches(record));
        assertTrue(new RecordFilter().address("2001:db9::2").matches(record));
        assertFalse(new RecordFilter().address("2001:db9::3").matches(record));
        assertFalse(new RecordFilter().address("0.0.0.0/0").matches(record), "an IPv4 prefix");
        assertTrue(new RecordFilter().address("::/0").matches(record));
        assertTrue(new RecordFilter().port(443).matches(record));
        assertTrue(new RecordFilter().port(0).port(65535).port(50_000).matches(record));
    }

    /** Against a byte-by-byte reference, over random records and random prefixes of every length. */
    @Test
    void prefixMatchingAgreesWithAByteWiseReference()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final byte[] prefix = new byte[16];
        int matched = 0;
        for (int round = 0; round < 20_000; round++)
        {
            final boolean v6 = random.nextBoolean();
            if (v6)
            {
                v6(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong(), 1, 2);
            }
            else
            {
                v4(random.nextInt(), random.nextInt(), 1, 2);
            }
            final int width = v6 ? 128 : 32;
            final int length = random.nextInt(width + 1);
            // half the prefixes are taken from the record's own source address, so both outcomes occur
            final int from = random.nextBoolean() ? FlowRecord.SRC_ADDRESS_OFFSET : -1;
            for (int i = 0; i < width / 8; i++)
            {
                prefix[i] = from >= 0 ? buffer.getByte(from + i) : (byte)random.nextInt(256);
            }
            for (int bit = length; bit < width; bit++)
            {
                prefix[bit >>> 3] &= (byte)~(0x80 >>> (bit & 7));
            }
            final String text = text(prefix, v6) + "/" + length;
            final boolean expected = inPrefix(FlowRecord.SRC_ADDRESS_OFFSET, prefix, length) ||
                inPrefix(FlowRecord.DST_ADDRESS_OFFSET, prefix, length);
            assertEquals(expected, new RecordFilter().address(text).matches(record), text);
            matched += expected ? 1 : 0;
        }
        assertTrue(matched > 5_000 && matched < 15_000, "matched " + matched);
    }

    @Test
    void badCriteriaAreUsageErrorsThatNameThem()
    {
        final StoreException hostBits = assertThrows(StoreException.class,
            () -> new RecordFilter().address("192.0.2.1/24"));
        assertEquals(SenbetsuException.EXIT_USAGE, hostBits.exitCode());
        assertTrue(hostBits.getMessage().contains("'192.0.2.1/24' has host bits set"), hostBits.getMessage());
        final StoreException name = assertThrows(StoreException.class, () -> new RecordFilter().address("example.jp"));
        assertTrue(name.getMessage().contains("'example.jp' is not an IPv4 or IPv6 address"), name.getMessage());
        final StoreException port = assertThrows(StoreException.class, () -> new RecordFilter().port(65_536));
        assertEquals(SenbetsuException.EXIT_USAGE, port.exitCode());
        assertTrue(port.getMessage().contains("65536"), port.getMessage());
    }

    @Test
    void aRuleSelectsTheRecordsItDecidedAndMatchesEveryRecordThatNamesIt()
    {
        v4(0xC633_6407, 0xC000_0205, 8443, 40_000);
        record.matchedRuleCount(3).ruleId("r-decides").furtherRuleId(0, "r-second").furtherRuleId(1, "r-third");
        assertTrue(new RecordFilter().ruleId("r-decides").matches(record));
        assertFalse(new RecordFilter().ruleId("r-third").matches(record), "--rule is the deciding rule only");
        assertTrue(new RecordFilter().matchedRuleId("r-third").matches(record));
        assertTrue(new RecordFilter().matchedRuleId("r-decides").matches(record));
        assertTrue(new RecordFilter().matchedRuleId("r-other").matchedRuleId("r-second").matches(record));
        assertFalse(new RecordFilter().matchedRuleId("r-other").matches(record));
        // a rule ID that is a prefix of a named one is another rule
        assertFalse(new RecordFilter().matchedRuleId("r-thir").matches(record));
    }

    @Test
    void matchingAllocatesNothing()
    {
        final RecordFilter filter = new RecordFilter().address("198.51.100.0/24").address("2001:db8::/32")
            .port(443).port(8443);
        v4(0xC633_6407, 0xC000_0205, 8443, 40_000);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        int hits = 0;
        for (int i = 0; i < 100_000; i++)
        {
            hits += filter.matches(record) ? 1 : 0; // warm up: compile the path before counting
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++)
        {
            hits += filter.matches(record) ? 1 : 0;
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(200_000, hits);
        assertTrue(allocated < 1_000, "allocated " + allocated + " bytes for 100 000 matches");
    }

    private void v4(final int src, final int dst, final int srcPort, final int dstPort)
    {
        buffer.setMemory(0, SelectedFlowRecord.FIXED_LENGTH, (byte)0);
        record.flow().ipVersion(4).srcPort(srcPort).dstPort(dstPort).endNs(1);
        buffer.putInt(FlowRecord.SRC_ADDRESS_OFFSET, src, ByteOrder.BIG_ENDIAN);
        buffer.putInt(FlowRecord.DST_ADDRESS_OFFSET, dst, ByteOrder.BIG_ENDIAN);
    }

    private void v6(final long srcHi, final long srcLo, final long dstHi, final long dstLo, final int srcPort,
        final int dstPort)
    {
        buffer.setMemory(0, SelectedFlowRecord.FIXED_LENGTH, (byte)0);
        record.flow().ipVersion(6).srcPort(srcPort).dstPort(dstPort).endNs(1);
        buffer.putLong(FlowRecord.SRC_ADDRESS_OFFSET, srcHi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(FlowRecord.SRC_ADDRESS_OFFSET + 8, srcLo, ByteOrder.BIG_ENDIAN);
        buffer.putLong(FlowRecord.DST_ADDRESS_OFFSET, dstHi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(FlowRecord.DST_ADDRESS_OFFSET + 8, dstLo, ByteOrder.BIG_ENDIAN);
    }

    private boolean inPrefix(final int offset, final byte[] prefix, final int length)
    {
        for (int bit = 0; bit < length; bit++)
        {
            final int mask = 0x80 >>> (bit & 7);
            if ((buffer.getByte(offset + (bit >>> 3)) & mask) != (prefix[bit >>> 3] & mask))
            {
                return false;
            }
        }
        return true;
    }

    private static String text(final byte[] address, final boolean v6)
    {
        final StringBuilder out = new StringBuilder();
        if (!v6)
        {
            for (int i = 0; i < 4; i++)
            {
                out.append(i > 0 ? "." : "").append(address[i] & 0xFF);
            }
            return out.toString();
        }
        for (int i = 0; i < 16; i += 2)
        {
            out.append(i > 0 ? ":" : "").append(Integer.toHexString((address[i] & 0xFF) << 8 | (address[i + 1] & 0xFF)));
        }
        return out.toString();
    }
}
