package jp.senbetsu.capture.record;

import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Flyweight over one packet's <em>machine information</em>: the header fields the law lets us keep, at fixed
 * offsets, and nothing else. There is no variable-length field, so no payload byte can ever be stored here;
 * the decoder fills it from the capture buffer in place and the flow meter reads it from the ring slot.
 *
 * <p>Multi-byte integers are in native (little-endian) order; addresses are in network order, IPv4 in the
 * first four bytes of the 16-byte field with the rest zero. Ports, lengths and labels are unsigned.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Timestamp (ns since epoch, 64)               |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Wire length (original length)               |  8
 *  +---------------------------------------------------------------+
 *  |                   Captured length                             | 12
 *  +---------------------------------------------------------------+
 *  |                   Interface index                             | 16
 *  +-------------------------------+-------------------------------+
 *  |          Link type            |       Decode status           | 20
 *  +---------------+---------------+---------------+---------------+
 *  |  IP version   |   Protocol    |   TTL / hops  | Traffic class | 24
 *  +---------------+---------------+---------------+---------------+
 *  |        Source port            |       Destination port        | 28
 *  +-------------------------------+-------------------------------+
 *  |                 Source address (16 bytes)                     | 32
 *  +---------------------------------------------------------------+
 *  |               Destination address (16 bytes)                  | 48
 *  +---------------------------------------------------------------+
 *  |                 IPv6 flow label (20 bits)                     | 64
 *  +-------------------------------+---------------+---------------+
 *  |          TCP flags (9)        |  ICMP type    |  ICMP code    | 68
 *  +-------------------------------+---------------+---------------+
 *  |       Presence bits           |  Fragment     | TCP hdr len   | 72
 *  +-------------------------------+---------------+---------------+
 *  |                Fragment identification (IPv4 16 / IPv6 32)    | 76
 *  +-------------------------------+---------------+---------------+
 *  |   Fragment offset (8-octets)  |  VLAN count   |  MPLS count   | 80
 *  +-------------------------------+---------------+---------------+
 *  |        VLAN ID [0..3] (4 x 16, outermost first)               | 84
 *  +---------------------------------------------------------------+
 *  |        MPLS label [0..3] (4 x 32, top of stack first)         | 92
 *  +---------------------------------------------------------------+
 *  |        IP length (innermost header's total/payload length)    |108
 *  +---------------+---------------+-------------------------------+
 *  |  Tunnel type  | Outer IP ver. |       Tunnel depth            |112
 *  +---------------+---------------+-------------------------------+
 *  |        Tunnel ID (VNI, GRE key, TEID, ERSPAN session)         |116
 *  +---------------------------------------------------------------+
 *  |               Outer source address (16 bytes)                 |120
 *  +---------------------------------------------------------------+
 *  |             Outer destination address (16 bytes)              |136
 *  +---------------------------------------------------------------+
 *  |                      Reserved (8)                             |152
 *  +---------------------------------------------------------------+ 160
 * </pre>
 *
 * <p>Fields without a value read as zero; the {@link #presence() presence bits} say which optional groups were
 * decoded, so a zero port is distinguishable from "no transport header".
 *
 * <p>Fields at fixed offsets are read and written without Agrona's per-access bounds check: {@link #wrap} checks
 * once that the whole record lies inside the buffer, and each such accessor adds a constant below
 * {@link #LENGTH} to the record's start, so none can leave it. (The indexed VLAN and MPLS accessors keep the
 * check.) The record's memory is the pipeline's own: ring slots, table entries, a test's array. The untrusted
 * bytes of a frame are read through checked buffers by the decoder. Measured on {@code senbetsu flows}, 5 M
 * packets: ≈ 5 % of the wall time, the decoder writing and the flow meter reading some thirty fields per packet.
 * Wrap the record again if its buffer is re-wrapped to other memory: it keeps the address it was wrapped at.
 */
public final class MachineInfoRecord
{
    public static final int TIMESTAMP_OFFSET = 0;
    public static final int WIRE_LENGTH_OFFSET = 8;
    public static final int CAPTURED_LENGTH_OFFSET = 12;
    public static final int INTERFACE_INDEX_OFFSET = 16;
    public static final int LINK_TYPE_OFFSET = 20;
    public static final int STATUS_OFFSET = 22;
    public static final int IP_VERSION_OFFSET = 24;
    public static final int PROTOCOL_OFFSET = 25;
    public static final int TTL_OFFSET = 26;
    public static final int TRAFFIC_CLASS_OFFSET = 27;
    public static final int SRC_PORT_OFFSET = 28;
    public static final int DST_PORT_OFFSET = 30;
    public static final int SRC_ADDRESS_OFFSET = 32;
    public static final int DST_ADDRESS_OFFSET = 48;
    public static final int FLOW_LABEL_OFFSET = 64;
    public static final int TCP_FLAGS_OFFSET = 68;
    public static final int ICMP_TYPE_OFFSET = 70;
    public static final int ICMP_CODE_OFFSET = 71;
    public static final int PRESENCE_OFFSET = 72;
    public static final int FRAGMENT_OFFSET = 74;
    public static final int TCP_HEADER_LENGTH_OFFSET = 75;
    public static final int FRAGMENT_ID_OFFSET = 76;
    public static final int FRAGMENT_OFFSET_OFFSET = 80;
    public static final int VLAN_COUNT_OFFSET = 82;
    public static final int MPLS_COUNT_OFFSET = 83;
    public static final int VLAN_IDS_OFFSET = 84;
    public static final int MPLS_LABELS_OFFSET = 92;
    public static final int IP_LENGTH_OFFSET = 108;
    public static final int TUNNEL_TYPE_OFFSET = 112;
    public static final int OUTER_IP_VERSION_OFFSET = 113;
    public static final int TUNNEL_DEPTH_OFFSET = 114;
    public static final int TUNNEL_ID_OFFSET = 116;
    public static final int OUTER_SRC_ADDRESS_OFFSET = 120;
    public static final int OUTER_DST_ADDRESS_OFFSET = 136;
    public static final int LENGTH = 160;

    public static final int ADDRESS_LENGTH = 16;
    /** VLAN tags and MPLS labels beyond this many are counted in the count fields but not kept. */
    public static final int MAX_VLANS = 4;
    public static final int MAX_MPLS_LABELS = 4;

    /** Presence bit: an IPv4 or IPv6 header was decoded; addresses, protocol and TTL are valid. */
    public static final int HAS_IP = 1;
    /** Presence bit: a TCP, UDP or SCTP header was decoded; ports are valid. */
    public static final int HAS_PORTS = 1 << 1;
    /** Presence bit: a TCP header was decoded; TCP flags and header length are valid. */
    public static final int HAS_TCP = 1 << 2;
    /** Presence bit: an ICMP or ICMPv6 header was decoded; type and code are valid. */
    public static final int HAS_ICMP = 1 << 3;
    /** Presence bit: the innermost IP datagram is a fragment; fragment fields are valid. */
    public static final int HAS_FRAGMENT = 1 << 4;
    /** Presence bit: at least one tunnel was decapsulated; tunnel fields and outer addresses are valid. */
    public static final int HAS_TUNNEL = 1 << 5;
    /** Presence bit: the record came from an ICMP error; the quoted packet was not used for addresses. */
    public static final int ICMP_ERROR = 1 << 6;
    /**
     * Presence bit: the innermost tunnel carries an identifier (VNI, GRE key, TEID, ERSPAN session), so a zero
     * tunnel ID is a real zero. Added by the decoder in a previously unused presence bit; the layout is unchanged.
     */
    public static final int HAS_TUNNEL_ID = 1 << 7;

    /** Fragment bit: more fragments follow (IPv4 MF / IPv6 M). */
    public static final int FRAGMENT_MORE = 1;
    /** Fragment bit: offset is not zero, so there is no transport header in this fragment. */
    public static final int FRAGMENT_NON_FIRST = 1 << 1;

    private MutableDirectBuffer buffer;
    private int offset;
    /** The record's first byte for {@link UnsafeApi}: the buffer's array (null off-heap) and address. */
    private byte[] array;
    private long address;

    /**
     * Point this flyweight at a record.
     *
     * @param buffer holding the record.
     * @param offset of the record's first byte.
     * @return this for fluent use.
     * @throws IndexOutOfBoundsException if the record does not lie wholly inside the buffer.
     */
    public MachineInfoRecord wrap(final MutableDirectBuffer buffer, final int offset)
    {
        if (offset < 0 || offset > buffer.capacity() - LENGTH)
        {
            throw new IndexOutOfBoundsException("record at " + offset + " of a " + buffer.capacity() + "-byte buffer");
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

    /** Zero every field so nothing of the previous packet in this slot survives. */
    public MachineInfoRecord clear()
    {
        buffer.setMemory(offset, LENGTH, (byte)0);
        return this;
    }

    public long timestampNs()
    {
        return UnsafeApi.getLong(array, address + TIMESTAMP_OFFSET);
    }

    public MachineInfoRecord timestampNs(final long value)
    {
        UnsafeApi.putLong(array, address + TIMESTAMP_OFFSET, value);
        return this;
    }

    public int wireLength()
    {
        return UnsafeApi.getInt(array, address + WIRE_LENGTH_OFFSET);
    }

    public MachineInfoRecord wireLength(final int value)
    {
        UnsafeApi.putInt(array, address + WIRE_LENGTH_OFFSET, value);
        return this;
    }

    public int capturedLength()
    {
        return UnsafeApi.getInt(array, address + CAPTURED_LENGTH_OFFSET);
    }

    public MachineInfoRecord capturedLength(final int value)
    {
        UnsafeApi.putInt(array, address + CAPTURED_LENGTH_OFFSET, value);
        return this;
    }

    public int interfaceIndex()
    {
        return UnsafeApi.getInt(array, address + INTERFACE_INDEX_OFFSET);
    }

    public MachineInfoRecord interfaceIndex(final int value)
    {
        UnsafeApi.putInt(array, address + INTERFACE_INDEX_OFFSET, value);
        return this;
    }

    public int linkType()
    {
        return UnsafeApi.getShort(array, address + LINK_TYPE_OFFSET) & 0xFFFF;
    }

    public MachineInfoRecord linkType(final int value)
    {
        UnsafeApi.putShort(array, address + LINK_TYPE_OFFSET, (short)value);
        return this;
    }

    /** Decode status code: 0 is ok, anything else is the reason decoding stopped early. */
    public int status()
    {
        return UnsafeApi.getShort(array, address + STATUS_OFFSET) & 0xFFFF;
    }

    public MachineInfoRecord status(final int value)
    {
        UnsafeApi.putShort(array, address + STATUS_OFFSET, (short)value);
        return this;
    }

    /** 4, 6, or 0 when no IP header was decoded. */
    public int ipVersion()
    {
        return UnsafeApi.getByte(array, address + IP_VERSION_OFFSET);
    }

    public MachineInfoRecord ipVersion(final int value)
    {
        UnsafeApi.putByte(array, address + IP_VERSION_OFFSET, (byte)value);
        return this;
    }

    public int protocol()
    {
        return UnsafeApi.getByte(array, address + PROTOCOL_OFFSET) & 0xFF;
    }

    public MachineInfoRecord protocol(final int value)
    {
        UnsafeApi.putByte(array, address + PROTOCOL_OFFSET, (byte)value);
        return this;
    }

    public int ttl()
    {
        return UnsafeApi.getByte(array, address + TTL_OFFSET) & 0xFF;
    }

    public MachineInfoRecord ttl(final int value)
    {
        UnsafeApi.putByte(array, address + TTL_OFFSET, (byte)value);
        return this;
    }

    /** IPv4 TOS / IPv6 traffic class: DSCP in the upper six bits, ECN in the lower two. */
    public int trafficClass()
    {
        return UnsafeApi.getByte(array, address + TRAFFIC_CLASS_OFFSET) & 0xFF;
    }

    public MachineInfoRecord trafficClass(final int value)
    {
        UnsafeApi.putByte(array, address + TRAFFIC_CLASS_OFFSET, (byte)value);
        return this;
    }

    public int dscp()
    {
        return trafficClass() >>> 2;
    }

    public int srcPort()
    {
        return UnsafeApi.getShort(array, address + SRC_PORT_OFFSET) & 0xFFFF;
    }

    public MachineInfoRecord srcPort(final int value)
    {
        UnsafeApi.putShort(array, address + SRC_PORT_OFFSET, (short)value);
        return this;
    }

    public int dstPort()
    {
        return UnsafeApi.getShort(array, address + DST_PORT_OFFSET) & 0xFFFF;
    }

    public MachineInfoRecord dstPort(final int value)
    {
        UnsafeApi.putShort(array, address + DST_PORT_OFFSET, (short)value);
        return this;
    }

    /**
     * Sets both address fields to IPv4 addresses, each given as its four network-order bytes read as one
     * native-order int (as {@code getInt} reads them from a frame); the rest of each 16-byte field is zeroed.
     */
    public MachineInfoRecord ipv4Addresses(final int srcBytes, final int dstBytes)
    {
        UnsafeApi.putInt(array, address + SRC_ADDRESS_OFFSET, srcBytes);
        UnsafeApi.putInt(array, address + SRC_ADDRESS_OFFSET + 4, 0);
        UnsafeApi.putLong(array, address + SRC_ADDRESS_OFFSET + 8, 0);
        UnsafeApi.putInt(array, address + DST_ADDRESS_OFFSET, dstBytes);
        UnsafeApi.putInt(array, address + DST_ADDRESS_OFFSET + 4, 0);
        UnsafeApi.putLong(array, address + DST_ADDRESS_OFFSET + 8, 0);
        return this;
    }

    /**
     * Sets both address fields to IPv6 addresses, each given as its sixteen network-order bytes read as two
     * native-order longs (as {@code getLong} reads them from a frame, and {@link #srcAddressHigh()} returns them).
     */
    public MachineInfoRecord ipv6Addresses(final long srcHigh, final long srcLow, final long dstHigh,
        final long dstLow)
    {
        UnsafeApi.putLong(array, address + SRC_ADDRESS_OFFSET, srcHigh);
        UnsafeApi.putLong(array, address + SRC_ADDRESS_OFFSET + 8, srcLow);
        UnsafeApi.putLong(array, address + DST_ADDRESS_OFFSET, dstHigh);
        UnsafeApi.putLong(array, address + DST_ADDRESS_OFFSET + 8, dstLow);
        return this;
    }

    /** The first eight bytes of the source address field, as one native-order long (what a flow key compares). */
    public long srcAddressHigh()
    {
        return UnsafeApi.getLong(array, address + SRC_ADDRESS_OFFSET);
    }

    /** The last eight bytes of the source address field, as one native-order long. */
    public long srcAddressLow()
    {
        return UnsafeApi.getLong(array, address + SRC_ADDRESS_OFFSET + 8);
    }

    /** The first eight bytes of the destination address field, as one native-order long. */
    public long dstAddressHigh()
    {
        return UnsafeApi.getLong(array, address + DST_ADDRESS_OFFSET);
    }

    /** The last eight bytes of the destination address field, as one native-order long. */
    public long dstAddressLow()
    {
        return UnsafeApi.getLong(array, address + DST_ADDRESS_OFFSET + 8);
    }

    /** Absolute offset, in {@link #buffer()}, of the 16-byte source address. */
    public int srcAddressOffset()
    {
        return offset + SRC_ADDRESS_OFFSET;
    }

    /** Absolute offset, in {@link #buffer()}, of the 16-byte destination address. */
    public int dstAddressOffset()
    {
        return offset + DST_ADDRESS_OFFSET;
    }

    /** IPv4 source address as an int in network order value (a.b.c.d = a &lt;&lt; 24 | ...). */
    public int srcIpv4()
    {
        return Integer.reverseBytes(UnsafeApi.getInt(array, address + SRC_ADDRESS_OFFSET));
    }

    public int dstIpv4()
    {
        return Integer.reverseBytes(UnsafeApi.getInt(array, address + DST_ADDRESS_OFFSET));
    }

    public int flowLabel()
    {
        return UnsafeApi.getInt(array, address + FLOW_LABEL_OFFSET);
    }

    public MachineInfoRecord flowLabel(final int value)
    {
        UnsafeApi.putInt(array, address + FLOW_LABEL_OFFSET, value);
        return this;
    }

    /** TCP flags: FIN 0x01 … CWR 0x80, NS 0x100. */
    public int tcpFlags()
    {
        return UnsafeApi.getShort(array, address + TCP_FLAGS_OFFSET) & 0x1FF;
    }

    public MachineInfoRecord tcpFlags(final int value)
    {
        UnsafeApi.putShort(array, address + TCP_FLAGS_OFFSET, (short)value);
        return this;
    }

    public int icmpType()
    {
        return UnsafeApi.getByte(array, address + ICMP_TYPE_OFFSET) & 0xFF;
    }

    public MachineInfoRecord icmpType(final int value)
    {
        UnsafeApi.putByte(array, address + ICMP_TYPE_OFFSET, (byte)value);
        return this;
    }

    public int icmpCode()
    {
        return UnsafeApi.getByte(array, address + ICMP_CODE_OFFSET) & 0xFF;
    }

    public MachineInfoRecord icmpCode(final int value)
    {
        UnsafeApi.putByte(array, address + ICMP_CODE_OFFSET, (byte)value);
        return this;
    }

    public int presence()
    {
        return UnsafeApi.getShort(array, address + PRESENCE_OFFSET) & 0xFFFF;
    }

    public boolean has(final int presenceBit)
    {
        return (presence() & presenceBit) != 0;
    }

    /** Replace all presence bits, e.g. to drop the transport bits of an outer header when a tunnel is opened. */
    public MachineInfoRecord presence(final int presenceBits)
    {
        UnsafeApi.putShort(array, address + PRESENCE_OFFSET, (short)presenceBits);
        return this;
    }

    public MachineInfoRecord addPresence(final int presenceBits)
    {
        UnsafeApi.putShort(array, address + PRESENCE_OFFSET, (short)(presence() | presenceBits));
        return this;
    }

    public int fragment()
    {
        return UnsafeApi.getByte(array, address + FRAGMENT_OFFSET) & 0xFF;
    }

    public MachineInfoRecord fragment(final int value)
    {
        UnsafeApi.putByte(array, address + FRAGMENT_OFFSET, (byte)value);
        return this;
    }

    public int tcpHeaderLength()
    {
        return UnsafeApi.getByte(array, address + TCP_HEADER_LENGTH_OFFSET) & 0xFF;
    }

    public MachineInfoRecord tcpHeaderLength(final int value)
    {
        UnsafeApi.putByte(array, address + TCP_HEADER_LENGTH_OFFSET, (byte)value);
        return this;
    }

    public int fragmentId()
    {
        return UnsafeApi.getInt(array, address + FRAGMENT_ID_OFFSET);
    }

    public MachineInfoRecord fragmentId(final int value)
    {
        UnsafeApi.putInt(array, address + FRAGMENT_ID_OFFSET, value);
        return this;
    }

    /** Fragment offset in 8-octet units, as on the wire. */
    public int fragmentOffset()
    {
        return UnsafeApi.getShort(array, address + FRAGMENT_OFFSET_OFFSET) & 0xFFFF;
    }

    public MachineInfoRecord fragmentOffset(final int value)
    {
        UnsafeApi.putShort(array, address + FRAGMENT_OFFSET_OFFSET, (short)value);
        return this;
    }

    /** Number of VLAN tags seen, which may exceed {@link #MAX_VLANS}; only the first four are kept. */
    public int vlanCount()
    {
        return UnsafeApi.getByte(array, address + VLAN_COUNT_OFFSET) & 0xFF;
    }

    public int vlanId(final int index)
    {
        return buffer.getShort(offset + VLAN_IDS_OFFSET + (index << 1)) & 0xFFFF;
    }

    /** Append a VLAN ID, keeping the count saturating at 255. */
    public MachineInfoRecord addVlan(final int vlanId)
    {
        final int count = vlanCount();
        if (count < MAX_VLANS)
        {
            buffer.putShort(offset + VLAN_IDS_OFFSET + (count << 1), (short)vlanId);
        }
        if (count < 255)
        {
            UnsafeApi.putByte(array, address + VLAN_COUNT_OFFSET, (byte)(count + 1));
        }
        return this;
    }

    /** Number of MPLS labels seen, which may exceed {@link #MAX_MPLS_LABELS}; only the first four are kept. */
    public int mplsCount()
    {
        return UnsafeApi.getByte(array, address + MPLS_COUNT_OFFSET) & 0xFF;
    }

    public int mplsLabel(final int index)
    {
        return buffer.getInt(offset + MPLS_LABELS_OFFSET + (index << 2));
    }

    public MachineInfoRecord addMplsLabel(final int label)
    {
        final int count = mplsCount();
        if (count < MAX_MPLS_LABELS)
        {
            buffer.putInt(offset + MPLS_LABELS_OFFSET + (count << 2), label);
        }
        if (count < 255)
        {
            UnsafeApi.putByte(array, address + MPLS_COUNT_OFFSET, (byte)(count + 1));
        }
        return this;
    }

    /** Length of the innermost IP datagram as its header states it (IPv4 total length, IPv6 40 + payload). */
    public int ipLength()
    {
        return UnsafeApi.getInt(array, address + IP_LENGTH_OFFSET);
    }

    public MachineInfoRecord ipLength(final int value)
    {
        UnsafeApi.putInt(array, address + IP_LENGTH_OFFSET, value);
        return this;
    }

    /** One of the {@link TunnelType} codes of the innermost tunnel; 0 when none. */
    public int tunnelType()
    {
        return UnsafeApi.getByte(array, address + TUNNEL_TYPE_OFFSET) & 0xFF;
    }

    public MachineInfoRecord tunnelType(final int value)
    {
        UnsafeApi.putByte(array, address + TUNNEL_TYPE_OFFSET, (byte)value);
        return this;
    }

    public int outerIpVersion()
    {
        return UnsafeApi.getByte(array, address + OUTER_IP_VERSION_OFFSET);
    }

    public MachineInfoRecord outerIpVersion(final int value)
    {
        UnsafeApi.putByte(array, address + OUTER_IP_VERSION_OFFSET, (byte)value);
        return this;
    }

    /** How many tunnel layers were removed to reach the innermost IP header. */
    public int tunnelDepth()
    {
        return UnsafeApi.getShort(array, address + TUNNEL_DEPTH_OFFSET) & 0xFFFF;
    }

    public MachineInfoRecord tunnelDepth(final int value)
    {
        UnsafeApi.putShort(array, address + TUNNEL_DEPTH_OFFSET, (short)value);
        return this;
    }

    /** VXLAN/Geneve VNI, GRE key, GTP-U TEID or ERSPAN session ID, unsigned 32 bits. */
    public long tunnelId()
    {
        return UnsafeApi.getInt(array, address + TUNNEL_ID_OFFSET) & 0xFFFF_FFFFL;
    }

    public MachineInfoRecord tunnelId(final long value)
    {
        UnsafeApi.putInt(array, address + TUNNEL_ID_OFFSET, (int)value);
        return this;
    }

    public int outerSrcAddressOffset()
    {
        return offset + OUTER_SRC_ADDRESS_OFFSET;
    }

    public int outerDstAddressOffset()
    {
        return offset + OUTER_DST_ADDRESS_OFFSET;
    }
}
