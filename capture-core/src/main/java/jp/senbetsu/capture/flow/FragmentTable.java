package jp.senbetsu.capture.flow;

import jp.senbetsu.capture.memory.DirectRegion;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Lets non-first IP fragments, which carry no transport header, count in the flow their first fragment opened:
 * first fragments leave their ports (or ICMP type and code) here under (IP version, source, destination,
 * protocol, IP ID); a later fragment with the same identity gets them written into its record. A later fragment
 * whose first fragment was not seen (lost, reordered, evicted or older than the timeout) is an orphan: the
 * caller counts it as {@code frag.orphan} and does not meter it.
 *
 * <p>Direct-mapped and fixed in size (a newer first fragment overwrites an older one in the same slot), so it
 * never grows; its memory is allocated at construction. Entry layout, 64 bytes:
 * <pre>
 *  +-------------------------------------------------------+
 *  |  Source address (16)                                  |  0
 *  |  Destination address (16)                             | 16
 *  +---------------------------+------------+--------------+
 *  |  IP ID (32)               | Protocol   | IP version   | 32 .. 37
 *  +---------------------------+------------+--------------+
 *  |  Presence (HAS_PORTS / HAS_ICMP) (16) | Source port   | 38, 40
 *  |  Destination port (16)    | ICMP type  | ICMP code    | 42, 44, 45
 *  +-------------------------------------------------------+
 *  |  First fragment's timestamp, ns (64); 0 when empty    | 48
 *  +-------------------------------------------------------+ 64
 * </pre>
 * Single-threaded: used by the one thread that decodes, before packets are sharded.
 */
public final class FragmentTable implements AutoCloseable
{
    /** Not a fragment: meter as is. */
    public static final int WHOLE = 0;
    /** A first fragment: metered, and remembered for its later fragments. */
    public static final int FIRST = 1;
    /** A later fragment whose first fragment was seen: ports filled in, meter it. */
    public static final int ATTRIBUTED = 2;
    /** A later fragment with no first fragment: count as frag.orphan, do not meter. */
    public static final int ORPHAN = 3;

    public static final int ENTRY_LENGTH = 64;
    private static final int SRC = 0;
    private static final int DST = 16;
    private static final int ID = 32;
    private static final int PROTOCOL = 36;
    private static final int VERSION = 37;
    private static final int PRESENCE = 38;
    private static final int SRC_PORT = 40;
    private static final int DST_PORT = 42;
    private static final int ICMP_TYPE = 44;
    private static final int ICMP_CODE = 45;
    private static final int TIMESTAMP = 48;
    private static final int TRANSPORT_BITS = MachineInfoRecord.HAS_PORTS | MachineInfoRecord.HAS_ICMP;

    private final DirectRegion memory;
    private final UnsafeBuffer table;
    private final int mask;
    private final long timeoutNs;

    public FragmentTable(final FlowConfiguration configuration)
    {
        configuration.validate();
        this.mask = configuration.fragmentEntries() - 1;
        this.timeoutNs = configuration.fragmentTimeoutNs();
        // confidential: addresses, ports and IP IDs of first fragments of flows not (yet) selected
        this.memory = new DirectRegion(
            (long)configuration.fragmentEntries() * ENTRY_LENGTH, true, configuration.prefaultMemory());
        this.table = memory.buffer();
    }

    /**
     * Classifies a decoded IP packet and, for a later fragment whose first fragment was seen, writes that
     * fragment's ports or ICMP type and code (and their presence bits) into {@code packet}.
     *
     * @return {@link #WHOLE}, {@link #FIRST}, {@link #ATTRIBUTED} or {@link #ORPHAN}.
     */
    public int attribute(final MachineInfoRecord packet)
    {
        final int presence = packet.presence();
        if ((presence & MachineInfoRecord.HAS_FRAGMENT) == 0)
        {
            return WHOLE;
        }
        final long srcHigh = packet.srcAddressHigh();
        final long srcLow = packet.srcAddressLow();
        final long dstHigh = packet.dstAddressHigh();
        final long dstLow = packet.dstAddressLow();
        final int id = packet.fragmentId();
        final int protocol = packet.protocol();
        final int version = packet.ipVersion();
        // keyed (HashKeys), so that no one can choose fragments that evict a given first fragment from its slot
        final long h = FlowKey.mix(FlowKey.mix(srcHigh ^ HashKeys.HIGH) + FlowKey.mix(srcLow ^ HashKeys.LOW)
            + FlowKey.mix(dstHigh ^ HashKeys.PORT) + FlowKey.mix(dstLow ^ HashKeys.COMMON)
            + (((long)id << 16) | ((long)protocol << 8) | version));
        final int offset = (int)(h & mask) * ENTRY_LENGTH;
        final long ts = packet.timestampNs();

        if ((packet.fragment() & MachineInfoRecord.FRAGMENT_NON_FIRST) == 0)
        {
            table.putLong(offset + SRC, srcHigh);
            table.putLong(offset + SRC + 8, srcLow);
            table.putLong(offset + DST, dstHigh);
            table.putLong(offset + DST + 8, dstLow);
            table.putInt(offset + ID, id);
            table.putByte(offset + PROTOCOL, (byte)protocol);
            table.putByte(offset + VERSION, (byte)version);
            table.putShort(offset + PRESENCE, (short)(presence & TRANSPORT_BITS));
            table.putShort(offset + SRC_PORT, (short)packet.srcPort());
            table.putShort(offset + DST_PORT, (short)packet.dstPort());
            table.putByte(offset + ICMP_TYPE, (byte)packet.icmpType());
            table.putByte(offset + ICMP_CODE, (byte)packet.icmpCode());
            table.putLong(offset + TIMESTAMP, ts == 0 ? 1 : ts);
            return FIRST;
        }

        final long stored = table.getLong(offset + TIMESTAMP);
        if (stored != 0
            && Math.abs(ts - stored) <= timeoutNs
            && table.getLong(offset + SRC) == srcHigh
            && table.getLong(offset + SRC + 8) == srcLow
            && table.getLong(offset + DST) == dstHigh
            && table.getLong(offset + DST + 8) == dstLow
            && table.getInt(offset + ID) == id
            && (table.getByte(offset + PROTOCOL) & 0xFF) == protocol
            && table.getByte(offset + VERSION) == version)
        {
            final int transport = table.getShort(offset + PRESENCE) & TRANSPORT_BITS;
            packet.srcPort(table.getShort(offset + SRC_PORT) & 0xFFFF);
            packet.dstPort(table.getShort(offset + DST_PORT) & 0xFFFF);
            packet.icmpType(table.getByte(offset + ICMP_TYPE) & 0xFF);
            packet.icmpCode(table.getByte(offset + ICMP_CODE) & 0xFF);
            packet.addPresence(transport);
            return ATTRIBUTED;
        }
        return ORPHAN;
    }

    @Override
    public void close()
    {
        memory.close();
    }
}
