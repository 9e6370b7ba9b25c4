package jp.senbetsu.capture.flow;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;

/** Builds decoded packet records with known fields and timestamps, as the decoder would fill them. */
public final class SyntheticPacket
{
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int SYN = 0x02;
    public static final int ACK = 0x10;
    public static final int FIN = 0x01;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final long SECOND = 1_000_000_000L;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]);
    private final MachineInfoRecord record = new MachineInfoRecord().wrap(buffer, 0);

    /** A TCP or UDP packet between two IP addresses (v4 or v6 text). */
    public MachineInfoRecord transport(
        final long timestampNs, final String src, final int sport, final String dst, final int dport,
        final int protocol, final int tcpFlags, final int ipLength)
    {
        ip(timestampNs, src, dst, protocol, ipLength);
        record.srcPort(sport).dstPort(dport).addPresence(MachineInfoRecord.HAS_PORTS);
        if (protocol == TCP)
        {
            record.tcpFlags(tcpFlags).addPresence(MachineInfoRecord.HAS_TCP);
        }
        return record;
    }

    public MachineInfoRecord tcp(
        final long timestampNs, final String src, final int sport, final String dst, final int dport, final int flags)
    {
        return transport(timestampNs, src, sport, dst, dport, TCP, flags, 60);
    }

    public MachineInfoRecord udp(
        final long timestampNs, final String src, final int sport, final String dst, final int dport, final int len)
    {
        return transport(timestampNs, src, sport, dst, dport, UDP, 0, len);
    }

    public MachineInfoRecord icmp(
        final long timestampNs, final String src, final String dst, final int type, final int code)
    {
        ip(timestampNs, src, dst, ICMP, 84);
        record.icmpType(type).icmpCode(code).addPresence(MachineInfoRecord.HAS_ICMP);
        return record;
    }

    /** An IP packet with no transport fields (a later fragment looks like this). */
    public MachineInfoRecord ip(
        final long timestampNs, final String src, final String dst, final int protocol, final int ipLength)
    {
        record.clear();
        final byte[] s = address(src);
        final byte[] d = address(dst);
        buffer.putBytes(MachineInfoRecord.SRC_ADDRESS_OFFSET, s);
        buffer.putBytes(MachineInfoRecord.DST_ADDRESS_OFFSET, d);
        record.timestampNs(timestampNs)
            .ipVersion(s.length == 4 ? 4 : 6)
            .protocol(protocol)
            .ipLength(ipLength)
            .wireLength(ipLength + 14)
            .capturedLength(Math.min(ipLength + 14, 128))
            .addPresence(MachineInfoRecord.HAS_IP);
        return record;
    }

    /** Marks the current record as an IP fragment. */
    public MachineInfoRecord fragment(final int ipId, final int offsetUnits, final boolean more)
    {
        record.addPresence(MachineInfoRecord.HAS_FRAGMENT)
            .fragmentId(ipId)
            .fragmentOffset(offsetUnits)
            .fragment((more ? MachineInfoRecord.FRAGMENT_MORE : 0)
                | (offsetUnits != 0 ? MachineInfoRecord.FRAGMENT_NON_FIRST : 0));
        return record;
    }

    public MachineInfoRecord record()
    {
        return record;
    }

    static byte[] address(final String text)
    {
        try
        {
            return InetAddress.getByName(text).getAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(text, ex);
        }
    }
}
