package jp.senbetsu.capture.flow;

import jp.senbetsu.capture.memory.UncheckedView;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.capture.record.MachineInfoRecord;

/**
 * The flow key of one packet, read out of its {@link MachineInfoRecord} into a few longs laid out like bytes
 * 16..63 of a {@link FlowRecord}, so the table compares a key with an entry in eight loads. The hash is
 * symmetric: both directions of a conversation hash alike, which is what lets the pipeline shard flows over
 * threads and the table find the reverse direction in one probe.
 *
 * <p>Key: IP version, both addresses, both ports (TCP, UDP, SCTP), protocol, ICMP type and code (ICMP and ICMPv6:
 * as YAF and nfdump do, so an echo request and its reply are two flows), and when configured the outermost VLAN ID
 * and the tunnel type and ID. A reusable, mutable object: one per thread.
 */
public final class FlowKey
{
    /** Bytes 56..63 of a record: ICMP code, tunnel type, VLAN ID, tunnel ID (low to high). */
    private static final long ICMP_CODE_MASK = 0xFFL;
    private static final long TUNNEL_TYPE_MASK = 0xFFL << 8;
    private static final long VLAN_MASK = 0xFFFFL << 16;
    private static final long TUNNEL_ID_MASK = 0xFFFF_FFFFL << 32;

    private final long upperMask;

    long srcHigh;
    long srcLow;
    long dstHigh;
    long dstLow;
    /** Bytes 48..55 as the packet's own direction: sport, dport, protocol, version, 0, ICMP type. */
    long portsForward;
    /** The same with the ports swapped: what the reverse direction's entry holds. */
    long portsReverse;
    /** Bytes 56..63, masked to what the configuration keys on. */
    long upper;
    /** Bytes 56..63 unmasked: VLAN and tunnel are recorded even when not keyed. */
    long upperRaw;
    long hash;

    public FlowKey(final FlowConfiguration configuration)
    {
        long mask = ICMP_CODE_MASK;
        if (configuration.vlanInKey())
        {
            mask |= VLAN_MASK;
        }
        if (configuration.tunnelInKey())
        {
            mask |= TUNNEL_TYPE_MASK | TUNNEL_ID_MASK;
        }
        this.upperMask = mask;
    }

    /**
     * Reads the key of a decoded packet that has an IP header.
     *
     * @return this, with {@link #hash()} computed.
     */
    public FlowKey read(final MachineInfoRecord packet)
    {
        srcHigh = packet.srcAddressHigh();
        srcLow = packet.srcAddressLow();
        dstHigh = packet.dstAddressHigh();
        dstLow = packet.dstAddressLow();
        final int presence = packet.presence();
        long sport = 0;
        long dport = 0;
        if ((presence & MachineInfoRecord.HAS_PORTS) != 0)
        {
            sport = packet.srcPort();
            dport = packet.dstPort();
        }
        long icmpType = 0;
        long icmpCode = 0;
        if ((presence & MachineInfoRecord.HAS_ICMP) != 0)
        {
            icmpType = packet.icmpType();
            icmpCode = packet.icmpCode();
        }
        final long protocol = packet.protocol();
        final long version = packet.ipVersion() & 0xFFL;
        final long common = (protocol << 32) | (version << 40) | (icmpType << 56);
        portsForward = sport | (dport << 16) | common;
        portsReverse = dport | (sport << 16) | common;

        long vlan = 0;
        if (packet.vlanCount() != 0)
        {
            vlan = packet.vlanId(0) & 0x0FFFL;
        }
        long tunnelType = 0;
        long tunnelId = 0;
        if ((presence & MachineInfoRecord.HAS_TUNNEL) != 0)
        {
            tunnelType = packet.tunnelType();
            tunnelId = packet.tunnelId();
        }
        upperRaw = icmpCode | (tunnelType << 8) | (vlan << 16) | (tunnelId << 32);
        upper = upperRaw & upperMask;

        // each end's words through keyed mixes, summed: both directions hash alike, and without the process's keys
        // (HashKeys) no one can choose addresses whose hashes collide: the table's index is probed linearly, and a
        // flood of spoofed sources built to collide would turn each lookup into a long scan
        final long side1 = mix(srcHigh ^ HashKeys.HIGH) + mix(srcLow ^ HashKeys.LOW) + mix(sport ^ HashKeys.PORT);
        final long side2 = mix(dstHigh ^ HashKeys.HIGH) + mix(dstLow ^ HashKeys.LOW) + mix(dport ^ HashKeys.PORT);
        hash = mix(side1 + side2 + mix(common ^ upper ^ HashKeys.COMMON));
        return this;
    }

    /** Symmetric 64-bit hash of the key: equal for both directions of one conversation. */
    public long hash()
    {
        return hash;
    }

    /** Forgets the packet read last: its addresses, ports and hash (so a key kept for reuse holds no communication). */
    public void wipe()
    {
        srcHigh = 0;
        srcLow = 0;
        dstHigh = 0;
        dstLow = 0;
        portsForward = 0;
        portsReverse = 0;
        upper = 0;
        upperRaw = 0;
        hash = 0;
    }

    /** Which of {@code shards} threads owns this key's flow; both directions give the same answer. */
    public int shard(final int shards)
    {
        return (int)((hash >>> 32) % shards);
    }

    /** Whether the entry at {@code offset} holds this key with this packet as the initiator's direction. */
    boolean matchesForward(final UncheckedView entries, final int offset)
    {
        return entries.getLong(offset + FlowRecord.SRC_ADDRESS_OFFSET) == srcHigh
            && entries.getLong(offset + FlowRecord.SRC_ADDRESS_OFFSET + 8) == srcLow
            && entries.getLong(offset + FlowRecord.DST_ADDRESS_OFFSET) == dstHigh
            && entries.getLong(offset + FlowRecord.DST_ADDRESS_OFFSET + 8) == dstLow
            && entries.getLong(offset + FlowRecord.SRC_PORT_OFFSET) == portsForward
            && (entries.getLong(offset + FlowRecord.ICMP_CODE_OFFSET) & upperMask) == upper;
    }

    /** Whether the entry at {@code offset} holds this key with this packet as the responder's direction. */
    boolean matchesReverse(final UncheckedView entries, final int offset)
    {
        return entries.getLong(offset + FlowRecord.SRC_ADDRESS_OFFSET) == dstHigh
            && entries.getLong(offset + FlowRecord.SRC_ADDRESS_OFFSET + 8) == dstLow
            && entries.getLong(offset + FlowRecord.DST_ADDRESS_OFFSET) == srcHigh
            && entries.getLong(offset + FlowRecord.DST_ADDRESS_OFFSET + 8) == srcLow
            && entries.getLong(offset + FlowRecord.SRC_PORT_OFFSET) == portsReverse
            && (entries.getLong(offset + FlowRecord.ICMP_CODE_OFFSET) & upperMask) == upper;
    }

    /** murmur3's 64-bit finaliser. */
    static long mix(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
