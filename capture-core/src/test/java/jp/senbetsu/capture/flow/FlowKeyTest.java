package jp.senbetsu.capture.flow;

import java.util.HashSet;
import java.util.Set;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flow key's hash: the same for both directions, and keyed, so that its collisions cannot be chosen. */
class FlowKeyTest
{
    private final MachineInfoRecord packet =
        new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
    private final FlowKey key = new FlowKey(new FlowConfiguration());

    @Test
    void bothDirectionsOfAConversationHashAlike()
    {
        v6(0x2001_0db8_0000_0001L, 7, 0x2001_0db8_0000_0002L, 9, 40000, 443);
        final long forward = key.read(packet).hash();
        v6(0x2001_0db8_0000_0002L, 9, 0x2001_0db8_0000_0001L, 7, 443, 40000);
        assertEquals(forward, key.read(packet).hash());
        v6(0x2001_0db8_0000_0002L, 9, 0x2001_0db8_0000_0001L, 7, 443, 40001);
        assertTrue(forward != key.read(packet).hash(), "another port, another flow");
    }

    /**
     * Sources built so that {@code high * C + low} is one value, the combination the hash used to mix: every such
     * flow had one hash, and a flood of them (spoofed sources cost nothing) made the table's linear probing scan
     * them all. With keyed mixes of each word they spread over the index like any other flows.
     */
    @Test
    void sourcesBuiltToCollideUnderAnUnkeyedCombinationSpreadOverTheIndex()
    {
        final long golden = 0x9E3779B97F4A7C15L;
        final Set<Long> hashes = new HashSet<>();
        final int[] slots = new int[1024];
        final int flows = 10_000;
        for (int i = 1; i <= flows; i++)
        {
            final long high = i;
            final long low = 0x1234_5678_9ABC_DEF0L - high * golden;
            v6(high, low, 0x2001_0db8_0000_0002L, 9, 40000, 443);
            final long hash = key.read(packet).hash();
            hashes.add(hash);
            slots[(int)hash & 1023]++;
        }
        assertEquals(flows, hashes.size(), "distinct flows, distinct hashes");
        int fullest = 0;
        for (final int load : slots)
        {
            fullest = Math.max(fullest, load);
        }
        // ≈ 10 per slot on average; a uniform hash keeps the fullest of 1 024 slots well under 30
        assertTrue(fullest < 30, "fullest slot holds " + fullest + " of " + flows + " flows");
    }

    private void v6(final long srcHigh, final long srcLow, final long dstHigh, final long dstLow, final int srcPort,
        final int dstPort)
    {
        packet.clear().ipVersion(6).protocol(17).srcPort(srcPort).dstPort(dstPort)
            .presence(MachineInfoRecord.HAS_IP | MachineInfoRecord.HAS_PORTS)
            .ipv6Addresses(srcHigh, srcLow, dstHigh, dstLow);
    }
}
