package jp.senbetsu.bench.gen;

/**
 * Builds Ethernet frames (optionally 802.1Q-tagged) carrying IPv4 or IPv6 with TCP, UDP or ICMP headers into
 * one reusable array. Only the first {@code snaplen} bytes are ever materialised; the payload region is filled
 * with a repeating marker so tests can prove that no payload byte leaves the capture buffer.
 */
final class FrameBuilder
{
    static final int PROTO_ICMP = 1;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int PROTO_ICMPV6 = 58;

    private final byte[] frame;
    private final byte[] payloadMarker;

    FrameBuilder(final int snaplen, final byte[] payloadMarker)
    {
        this.frame = new byte[snaplen];
        this.payloadMarker = payloadMarker;
    }

    byte[] frame()
    {
        return frame;
    }

    /**
     * Lays out one frame.
     *
     * @return the number of header bytes written (the payload follows up to the snaplen).
     */
    int build(
        final int vlan,
        final boolean ipv6,
        final long srcHigh,
        final long srcLow,
        final long dstHigh,
        final long dstLow,
        final int protocol,
        final int srcPort,
        final int dstPort,
        final int tcpFlags,
        final int sequence,
        final int wireLength)
    {
        int p = 0;
        // destination and source MAC: locally administered, derived from nothing secret
        putShort(p, 0x0200); putInt(p + 2, 0x0000_0001); putShort(p + 6, 0x0200); putInt(p + 8, 0x0000_0002);
        p = 12;
        if (vlan != 0)
        {
            putShort(p, 0x8100);
            putShort(p + 2, vlan & 0x0FFF);
            p += 4;
        }
        putShort(p, ipv6 ? 0x86DD : 0x0800);
        p += 2;
        final int ipStart = p;
        final int ipLength = wireLength - ipStart;
        if (ipv6)
        {
            putInt(p, 0x6000_0000 | (srcPort * 31 + dstPort) & 0xFFFFF);
            putShort(p + 4, ipLength - 40);
            frame[p + 6] = (byte)protocol;
            frame[p + 7] = 64;
            putLong(p + 8, srcHigh); putLong(p + 16, srcLow);
            putLong(p + 24, dstHigh); putLong(p + 32, dstLow);
            p += 40;
        }
        else
        {
            frame[p] = 0x45;
            frame[p + 1] = 0;
            putShort(p + 2, ipLength);
            putShort(p + 4, sequence & 0xFFFF);
            putShort(p + 6, 0x4000);
            frame[p + 8] = 64;
            frame[p + 9] = (byte)protocol;
            putShort(p + 10, 0);
            putInt(p + 12, (int)srcLow);
            putInt(p + 16, (int)dstLow);
            putShort(p + 10, ipv4Checksum(p));
            p += 20;
        }
        switch (protocol)
        {
            case PROTO_TCP ->
            {
                putShort(p, srcPort); putShort(p + 2, dstPort);
                putInt(p + 4, sequence); putInt(p + 8, (tcpFlags & 0x10) != 0 ? sequence ^ 0x5A5A : 0);
                frame[p + 12] = 0x50;
                frame[p + 13] = (byte)tcpFlags;
                putShort(p + 14, 0xFFFF); putShort(p + 16, 0); putShort(p + 18, 0);
                p += 20;
            }
            case PROTO_UDP ->
            {
                putShort(p, srcPort); putShort(p + 2, dstPort);
                putShort(p + 4, ipLength - (ipv6 ? 40 : 20)); putShort(p + 6, 0);
                p += 8;
            }
            default ->
            {
                frame[p] = (byte)(ipv6 ? 128 : 8);   // echo request
                frame[p + 1] = 0;
                putShort(p + 2, 0); putShort(p + 4, srcPort); putShort(p + 6, sequence & 0xFFFF);
                p += 8;
            }
        }
        for (int i = p, m = 0; i < frame.length; i++, m++)
        {
            frame[i] = payloadMarker[m % payloadMarker.length];
        }
        return p;
    }

    private int ipv4Checksum(final int start)
    {
        int sum = 0;
        for (int i = start; i < start + 20; i += 2)
        {
            sum += ((frame[i] & 0xFF) << 8) | (frame[i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    private void putShort(final int at, final int v)
    {
        frame[at] = (byte)(v >>> 8);
        frame[at + 1] = (byte)v;
    }

    private void putInt(final int at, final int v)
    {
        putShort(at, v >>> 16);
        putShort(at + 2, v);
    }

    private void putLong(final int at, final long v)
    {
        putInt(at, (int)(v >>> 32));
        putInt(at + 4, (int)v);
    }
}
