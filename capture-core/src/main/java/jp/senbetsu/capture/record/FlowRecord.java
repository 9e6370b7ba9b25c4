package jp.senbetsu.capture.record;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Flyweight over one ended bidirectional flow (RFC 5103 semantics): what the flow meter emits and what
 * selection decides on. Like {@link MachineInfoRecord} it has a fixed layout with no room for payload.
 *
 * <p>"Forward" is the initiator's direction (the sender of the first packet seen); "reverse" the other one.
 * Byte counts are IP lengths (as the IP header states them); wire byte counts are frame lengths on the wire.
 * Integers are native (little-endian) order, addresses network order as in {@link MachineInfoRecord}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |               Start: first packet, either direction (ns)      |   0
 *  +---------------------------------------------------------------+
 *  |               End: last packet, either direction (ns)         |   8
 *  +---------------------------------------------------------------+
 *  |               Source address: initiator (16 bytes)            |  16
 *  +---------------------------------------------------------------+
 *  |               Destination address: responder (16 bytes)       |  32
 *  +-------------------------------+-------------------------------+
 *  |        Source port            |      Destination port         |  48
 *  +---------------+---------------+---------------+---------------+
 *  |   Protocol    |  IP version   |  End reason   |  ICMP type    |  52
 *  +---------------+---------------+---------------+---------------+
 *  |   ICMP code   |  Tunnel type  |          VLAN ID (outer)      |  56
 *  +---------------+---------------+-------------------------------+
 *  |               Tunnel ID                                       |  60
 *  +---------------------------------------------------------------+
 *  |               Forward packets (64)                            |  64
 *  |               Forward bytes, IP length (64)                   |  72
 *  |               Forward bytes, wire length (64)                 |  80
 *  |               Reverse packets (64)                            |  88
 *  |               Reverse bytes, IP length (64)                   |  96
 *  |               Reverse bytes, wire length (64)                 | 104
 *  +-------------------------------+-------------------------------+
 *  |    Forward TCP flags union    |   Reverse TCP flags union     | 112
 *  +-------------------------------+-------------------------------+
 *  |    Forward initial TCP flags  |   Reverse initial TCP flags   | 116
 *  +-------------------------------+-------------------------------+
 *  |               Reverse first packet (ns), 0 if none            | 120
 *  |               Reverse last packet (ns), 0 if none             | 128
 *  |               Forward last packet (ns)                        | 136
 *  +---------------------------------------------------------------+
 *  |               Interface index                                 | 144
 *  +---------------------------------------------------------------+
 *  |               Flow flags (see FLAG_*)                         | 148
 *  +---------------------------------------------------------------+
 *  |               Reserved (8)                                    | 152
 *  +---------------------------------------------------------------+ 160
 * </pre>
 *
 * <p>As in {@link MachineInfoRecord}, fields at fixed offsets are accessed without a per-access bounds check:
 * {@link #wrap} checks once that the whole record lies inside the buffer, and each accessor adds a constant below
 * {@link #LENGTH}. Wrap the record again if its buffer is re-wrapped to other memory.
 */
public final class FlowRecord
{
    public static final int START_OFFSET = 0;
    public static final int END_OFFSET = 8;
    public static final int SRC_ADDRESS_OFFSET = 16;
    public static final int DST_ADDRESS_OFFSET = 32;
    public static final int SRC_PORT_OFFSET = 48;
    public static final int DST_PORT_OFFSET = 50;
    public static final int PROTOCOL_OFFSET = 52;
    public static final int IP_VERSION_OFFSET = 53;
    public static final int END_REASON_OFFSET = 54;
    public static final int ICMP_TYPE_OFFSET = 55;
    public static final int ICMP_CODE_OFFSET = 56;
    public static final int TUNNEL_TYPE_OFFSET = 57;
    public static final int VLAN_ID_OFFSET = 58;
    public static final int TUNNEL_ID_OFFSET = 60;
    public static final int PACKETS_OFFSET = 64;
    public static final int BYTES_OFFSET = 72;
    public static final int WIRE_BYTES_OFFSET = 80;
    public static final int REVERSE_PACKETS_OFFSET = 88;
    public static final int REVERSE_BYTES_OFFSET = 96;
    public static final int REVERSE_WIRE_BYTES_OFFSET = 104;
    public static final int TCP_FLAGS_OFFSET = 112;
    public static final int REVERSE_TCP_FLAGS_OFFSET = 114;
    public static final int INITIAL_TCP_FLAGS_OFFSET = 116;
    public static final int REVERSE_INITIAL_TCP_FLAGS_OFFSET = 118;
    public static final int REVERSE_FIRST_OFFSET = 120;
    public static final int REVERSE_LAST_OFFSET = 128;
    public static final int FORWARD_LAST_OFFSET = 136;
    public static final int INTERFACE_INDEX_OFFSET = 144;
    public static final int FLOW_FLAGS_OFFSET = 148;
    public static final int LENGTH = 160;

    /** Flow flag: the key's ports are valid (a TCP, UDP or SCTP header was seen). */
    public static final int FLAG_HAS_PORTS = 1;
    /** Flow flag: ICMP type and code are part of the key. */
    public static final int FLAG_HAS_ICMP = 1 << 1;
    /** Flow flag: the flow's packets came through a tunnel; tunnel type and ID are valid. */
    public static final int FLAG_HAS_TUNNEL = 1 << 2;
    /** Flow flag: a VLAN ID is part of the key. */
    public static final int FLAG_HAS_VLAN = 1 << 3;
    /** Flow flag: at least one packet of the flow was an IP fragment. */
    public static final int FLAG_FRAGMENTED = 1 << 4;

    private static final boolean NATIVE_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private MutableDirectBuffer buffer;
    private int offset;
    /** The record's first byte for {@link UnsafeApi}: the buffer's array (null off-heap) and address. */
    private byte[] array;
    private long address;

    /**
     * Point this flyweight at a record.
     *
     * @throws IndexOutOfBoundsException if the record does not lie wholly inside the buffer.
     */
    public FlowRecord wrap(final MutableDirectBuffer buffer, final int offset)
    {
        if (offset < 0 || offset > buffer.capacity() - LENGTH)
        {
            throw new IndexOutOfBoundsException("flow record at " + offset + " of a " + buffer.capacity() +
                "-byte buffer");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.array = buffer.byteArray();
        this.address = buffer.addressOffset() + offset;
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

    public FlowRecord clear()
    {
        buffer.setMemory(offset, LENGTH, (byte)0);
        return this;
    }

    public long startNs()
    {
        return UnsafeApi.getLong(array, address + START_OFFSET);
    }

    public FlowRecord startNs(final long v)
    {
        UnsafeApi.putLong(array, address + START_OFFSET, v);
        return this;
    }

    public long endNs()
    {
        return UnsafeApi.getLong(array, address + END_OFFSET);
    }

    public FlowRecord endNs(final long v)
    {
        UnsafeApi.putLong(array, address + END_OFFSET, v);
        return this;
    }

    public int srcAddressOffset()
    {
        return offset + SRC_ADDRESS_OFFSET;
    }

    /** The source IPv4 address as a number (its four network-order bytes read big-endian). */
    public int srcIpv4()
    {
        return bigEndian(UnsafeApi.getInt(array, address + SRC_ADDRESS_OFFSET));
    }

    /** The destination IPv4 address as a number. */
    public int dstIpv4()
    {
        return bigEndian(UnsafeApi.getInt(array, address + DST_ADDRESS_OFFSET));
    }

    /** The upper 64 bits of the source IPv6 address as a number. */
    public long srcIpv6High()
    {
        return bigEndian(UnsafeApi.getLong(array, address + SRC_ADDRESS_OFFSET));
    }

    /** The lower 64 bits of the source IPv6 address as a number. */
    public long srcIpv6Low()
    {
        return bigEndian(UnsafeApi.getLong(array, address + SRC_ADDRESS_OFFSET + 8));
    }

    /** The upper 64 bits of the destination IPv6 address as a number. */
    public long dstIpv6High()
    {
        return bigEndian(UnsafeApi.getLong(array, address + DST_ADDRESS_OFFSET));
    }

    /** The lower 64 bits of the destination IPv6 address as a number. */
    public long dstIpv6Low()
    {
        return bigEndian(UnsafeApi.getLong(array, address + DST_ADDRESS_OFFSET + 8));
    }

    private static int bigEndian(final int nativeOrder)
    {
        return NATIVE_BIG_ENDIAN ? nativeOrder : Integer.reverseBytes(nativeOrder);
    }

    private static long bigEndian(final long nativeOrder)
    {
        return NATIVE_BIG_ENDIAN ? nativeOrder : Long.reverseBytes(nativeOrder);
    }

    public int dstAddressOffset()
    {
        return offset + DST_ADDRESS_OFFSET;
    }

    public int srcPort()
    {
        return UnsafeApi.getShort(array, address + SRC_PORT_OFFSET) & 0xFFFF;
    }

    public FlowRecord srcPort(final int v)
    {
        UnsafeApi.putShort(array, address + SRC_PORT_OFFSET, (short)v);
        return this;
    }

    public int dstPort()
    {
        return UnsafeApi.getShort(array, address + DST_PORT_OFFSET) & 0xFFFF;
    }

    public FlowRecord dstPort(final int v)
    {
        UnsafeApi.putShort(array, address + DST_PORT_OFFSET, (short)v);
        return this;
    }

    public int protocol()
    {
        return UnsafeApi.getByte(array, address + PROTOCOL_OFFSET) & 0xFF;
    }

    public FlowRecord protocol(final int v)
    {
        UnsafeApi.putByte(array, address + PROTOCOL_OFFSET, (byte)v);
        return this;
    }

    public int ipVersion()
    {
        return UnsafeApi.getByte(array, address + IP_VERSION_OFFSET);
    }

    public FlowRecord ipVersion(final int v)
    {
        UnsafeApi.putByte(array, address + IP_VERSION_OFFSET, (byte)v);
        return this;
    }

    /** IPFIX flowEndReason (IANA registry): see {@link FlowEndReason}. */
    public int endReason()
    {
        return UnsafeApi.getByte(array, address + END_REASON_OFFSET) & 0xFF;
    }

    public FlowRecord endReason(final int v)
    {
        UnsafeApi.putByte(array, address + END_REASON_OFFSET, (byte)v);
        return this;
    }

    public int icmpType()
    {
        return UnsafeApi.getByte(array, address + ICMP_TYPE_OFFSET) & 0xFF;
    }

    public FlowRecord icmpType(final int v)
    {
        UnsafeApi.putByte(array, address + ICMP_TYPE_OFFSET, (byte)v);
        return this;
    }

    public int icmpCode()
    {
        return UnsafeApi.getByte(array, address + ICMP_CODE_OFFSET) & 0xFF;
    }

    public FlowRecord icmpCode(final int v)
    {
        UnsafeApi.putByte(array, address + ICMP_CODE_OFFSET, (byte)v);
        return this;
    }

    public int tunnelType()
    {
        return UnsafeApi.getByte(array, address + TUNNEL_TYPE_OFFSET) & 0xFF;
    }

    public FlowRecord tunnelType(final int v)
    {
        UnsafeApi.putByte(array, address + TUNNEL_TYPE_OFFSET, (byte)v);
        return this;
    }

    public int vlanId()
    {
        return UnsafeApi.getShort(array, address + VLAN_ID_OFFSET) & 0xFFFF;
    }

    public FlowRecord vlanId(final int v)
    {
        UnsafeApi.putShort(array, address + VLAN_ID_OFFSET, (short)v);
        return this;
    }

    public long tunnelId()
    {
        return UnsafeApi.getInt(array, address + TUNNEL_ID_OFFSET) & 0xFFFF_FFFFL;
    }

    public FlowRecord tunnelId(final long v)
    {
        UnsafeApi.putInt(array, address + TUNNEL_ID_OFFSET, (int)v);
        return this;
    }

    public long packets()
    {
        return UnsafeApi.getLong(array, address + PACKETS_OFFSET);
    }

    public FlowRecord packets(final long v)
    {
        UnsafeApi.putLong(array, address + PACKETS_OFFSET, v);
        return this;
    }

    public long bytes()
    {
        return UnsafeApi.getLong(array, address + BYTES_OFFSET);
    }

    public FlowRecord bytes(final long v)
    {
        UnsafeApi.putLong(array, address + BYTES_OFFSET, v);
        return this;
    }

    public long wireBytes()
    {
        return UnsafeApi.getLong(array, address + WIRE_BYTES_OFFSET);
    }

    public FlowRecord wireBytes(final long v)
    {
        UnsafeApi.putLong(array, address + WIRE_BYTES_OFFSET, v);
        return this;
    }

    public long reversePackets()
    {
        return UnsafeApi.getLong(array, address + REVERSE_PACKETS_OFFSET);
    }

    public FlowRecord reversePackets(final long v)
    {
        UnsafeApi.putLong(array, address + REVERSE_PACKETS_OFFSET, v);
        return this;
    }

    public long reverseBytes()
    {
        return UnsafeApi.getLong(array, address + REVERSE_BYTES_OFFSET);
    }

    public FlowRecord reverseBytes(final long v)
    {
        UnsafeApi.putLong(array, address + REVERSE_BYTES_OFFSET, v);
        return this;
    }

    public long reverseWireBytes()
    {
        return UnsafeApi.getLong(array, address + REVERSE_WIRE_BYTES_OFFSET);
    }

    public FlowRecord reverseWireBytes(final long v)
    {
        UnsafeApi.putLong(array, address + REVERSE_WIRE_BYTES_OFFSET, v);
        return this;
    }

    public int tcpFlags()
    {
        return UnsafeApi.getShort(array, address + TCP_FLAGS_OFFSET) & 0xFFFF;
    }

    public FlowRecord tcpFlags(final int v)
    {
        UnsafeApi.putShort(array, address + TCP_FLAGS_OFFSET, (short)v);
        return this;
    }

    public int reverseTcpFlags()
    {
        return UnsafeApi.getShort(array, address + REVERSE_TCP_FLAGS_OFFSET) & 0xFFFF;
    }

    public FlowRecord reverseTcpFlags(final int v)
    {
        UnsafeApi.putShort(array, address + REVERSE_TCP_FLAGS_OFFSET, (short)v);
        return this;
    }

    public int initialTcpFlags()
    {
        return UnsafeApi.getShort(array, address + INITIAL_TCP_FLAGS_OFFSET) & 0xFFFF;
    }

    public FlowRecord initialTcpFlags(final int v)
    {
        UnsafeApi.putShort(array, address + INITIAL_TCP_FLAGS_OFFSET, (short)v);
        return this;
    }

    public int reverseInitialTcpFlags()
    {
        return UnsafeApi.getShort(array, address + REVERSE_INITIAL_TCP_FLAGS_OFFSET) & 0xFFFF;
    }

    public FlowRecord reverseInitialTcpFlags(final int v)
    {
        UnsafeApi.putShort(array, address + REVERSE_INITIAL_TCP_FLAGS_OFFSET, (short)v);
        return this;
    }

    public long reverseFirstNs()
    {
        return UnsafeApi.getLong(array, address + REVERSE_FIRST_OFFSET);
    }

    public FlowRecord reverseFirstNs(final long v)
    {
        UnsafeApi.putLong(array, address + REVERSE_FIRST_OFFSET, v);
        return this;
    }

    public long reverseLastNs()
    {
        return UnsafeApi.getLong(array, address + REVERSE_LAST_OFFSET);
    }

    public FlowRecord reverseLastNs(final long v)
    {
        UnsafeApi.putLong(array, address + REVERSE_LAST_OFFSET, v);
        return this;
    }

    public long forwardLastNs()
    {
        return UnsafeApi.getLong(array, address + FORWARD_LAST_OFFSET);
    }

    public FlowRecord forwardLastNs(final long v)
    {
        UnsafeApi.putLong(array, address + FORWARD_LAST_OFFSET, v);
        return this;
    }

    public int interfaceIndex()
    {
        return UnsafeApi.getInt(array, address + INTERFACE_INDEX_OFFSET);
    }

    public FlowRecord interfaceIndex(final int v)
    {
        UnsafeApi.putInt(array, address + INTERFACE_INDEX_OFFSET, v);
        return this;
    }

    public int flowFlags()
    {
        return UnsafeApi.getInt(array, address + FLOW_FLAGS_OFFSET);
    }

    public FlowRecord flowFlags(final int v)
    {
        UnsafeApi.putInt(array, address + FLOW_FLAGS_OFFSET, v);
        return this;
    }

    public boolean hasFlag(final int flag)
    {
        return (flowFlags() & flag) != 0;
    }
}
