package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.MachineInfoRecord;
import jp.senbetsu.capture.record.TunnelType;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The one packet being decoded: where its bytes are, how far a decoder may read, the record being filled and
 * how many layers and tunnels were already passed. One instance per {@link PacketDecoder}, reset per packet, so
 * decoding allocates nothing.
 *
 * <p>{@link #limit()} is the first index a decoder must not read. It starts at the end of the captured bytes
 * (or the snaplen) and only ever shrinks, when a header states a shorter length (IPv4 total length, 802.3
 * length, UDP length...), so Ethernet padding is never taken for a header.
 */
final class DecodeContext
{
    final MachineInfoRecord record = new MachineInfoRecord();
    private final int maxLayers;
    private final int maxTunnels;

    DirectBuffer buffer;
    private int limit;
    private int layers;
    private int tunnels;

    DecodeContext(final DecoderConfiguration configuration)
    {
        this.maxLayers = configuration.maxLayers();
        this.maxTunnels = configuration.maxTunnels();
    }

    void reset(final DirectBuffer buffer, final int limit, final MutableDirectBuffer recordBuffer, final int recordOffset)
    {
        this.buffer = buffer;
        this.limit = limit;
        this.layers = 0;
        this.tunnels = 0;
        record.wrap(recordBuffer, recordOffset);
    }

    /** First index that must not be read. */
    int limit()
    {
        return limit;
    }

    /** Whether {@code length} bytes from {@code offset} are inside the packet. */
    boolean has(final int offset, final int length)
    {
        return length >= 0 && offset >= 0 && offset <= limit - length;
    }

    /** Bytes available from {@code offset}, never negative. */
    int available(final int offset)
    {
        return Math.max(0, limit - offset);
    }

    /** A header says its content ends at {@code end}: stop reading there if that is before the captured end. */
    void trimTo(final int end)
    {
        if (end >= 0 && end < limit)
        {
            limit = end;
        }
    }

    /** Count one more header; false once the configured maximum is passed (an encapsulation bomb). */
    boolean enterLayer()
    {
        return ++layers <= maxLayers;
    }

    /**
     * A tunnel header was decoded: the IP header that carried it becomes the outer endpoint pair, and the next IP
     * header found becomes the innermost one.
     *
     * @return false once more than the configured number of tunnels were opened.
     */
    boolean enterTunnel(final TunnelType type, final long id, final boolean hasId)
    {
        if (++tunnels > maxTunnels)
        {
            return false;
        }
        final MachineInfoRecord r = record;
        final MutableDirectBuffer b = r.buffer();
        final int base = r.offset();
        b.putLong(base + MachineInfoRecord.OUTER_SRC_ADDRESS_OFFSET, b.getLong(base + MachineInfoRecord.SRC_ADDRESS_OFFSET));
        b.putLong(base + MachineInfoRecord.OUTER_SRC_ADDRESS_OFFSET + 8,
            b.getLong(base + MachineInfoRecord.SRC_ADDRESS_OFFSET + 8));
        b.putLong(base + MachineInfoRecord.OUTER_DST_ADDRESS_OFFSET, b.getLong(base + MachineInfoRecord.DST_ADDRESS_OFFSET));
        b.putLong(base + MachineInfoRecord.OUTER_DST_ADDRESS_OFFSET + 8,
            b.getLong(base + MachineInfoRecord.DST_ADDRESS_OFFSET + 8));
        r.outerIpVersion(r.ipVersion());
        r.tunnelType(type.code());
        r.tunnelId(hasId ? id : 0);
        r.tunnelDepth(tunnels);
        final int presence = r.presence() | MachineInfoRecord.HAS_TUNNEL;
        r.presence(hasId ? presence | MachineInfoRecord.HAS_TUNNEL_ID : presence & ~MachineInfoRecord.HAS_TUNNEL_ID);
        return true;
    }

    /**
     * An IP header was accepted as the new innermost one: forget everything an outer header's transport said
     * (the UDP ports of a VXLAN carrier, for instance), keep tunnel, VLAN and MPLS information.
     */
    void beginIp()
    {
        final MachineInfoRecord r = record;
        r.presence((r.presence() & (MachineInfoRecord.HAS_TUNNEL | MachineInfoRecord.HAS_TUNNEL_ID)) |
            MachineInfoRecord.HAS_IP);
        r.srcPort(0).dstPort(0).tcpFlags(0).tcpHeaderLength(0).icmpType(0).icmpCode(0);
        r.fragment(0).fragmentId(0).fragmentOffset(0).flowLabel(0);
    }
}
