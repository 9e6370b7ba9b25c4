package jp.senbetsu.capture.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jp.senbetsu.capture.decode.DecodeStatus;
import jp.senbetsu.capture.record.MachineInfoRecord;
import jp.senbetsu.capture.record.TunnelType;

/**
 * Prints {@link MachineInfoRecord}s as JSON Lines for the lab tool {@code senbetsu decode}: one object per
 * record, keys in a fixed order, a key without a value left out (see docs/decode-output.md). Only record fields
 * are printed, so no payload can appear. Each line is built in a reusable byte array (numbers, addresses and
 * names are encoded by hand), so printing allocates nothing per record.
 */
public final class MachineInfoJsonWriter
{
    private static final byte[][] STATUS_NAMES = new byte[DecodeStatus.maxCode() + 1][];
    private static final byte[][] TUNNEL_NAMES = new byte[maxTunnelCode() + 1][];
    private static final byte[] UNKNOWN = bytesOf("unknown");

    static
    {
        for (final DecodeStatus status : DecodeStatus.values())
        {
            STATUS_NAMES[status.code()] = bytesOf(status.reason());
        }
        for (final TunnelType type : TunnelType.values())
        {
            TUNNEL_NAMES[type.code()] = bytesOf(type.label());
        }
    }

    private final JsonLine line = new JsonLine();

    /** Encode one record as a JSON object followed by a newline and write it to {@code out}. */
    public void write(final MachineInfoRecord record, final OutputStream out) throws IOException
    {
        final int n = encode(record);
        out.write(line.bytes(), 0, n);
    }

    /**
     * Encode one record into the internal line buffer.
     *
     * @return the number of bytes of the line, including its newline; read them with {@link #lineBytes()}.
     */
    public int encode(final MachineInfoRecord record)
    {
        line.reset();
        final int presence = record.presence();
        line.put('{');
        line.key("ts", false);
        line.number(record.timestampNs());
        line.key("len", true);
        line.number(record.wireLength() & 0xFFFF_FFFFL);
        line.key("caplen", true);
        line.number(record.capturedLength() & 0xFFFF_FFFFL);
        if ((presence & MachineInfoRecord.HAS_IP) != 0)
        {
            final int version = record.ipVersion();
            line.key("src", true);
            line.address(record.buffer(), record.srcAddressOffset(), version);
            line.key("dst", true);
            line.address(record.buffer(), record.dstAddressOffset(), version);
            line.key("proto", true);
            line.number(record.protocol());
        }
        if ((presence & MachineInfoRecord.HAS_PORTS) != 0)
        {
            line.key("sport", true);
            line.number(record.srcPort());
            line.key("dport", true);
            line.number(record.dstPort());
        }
        if ((presence & MachineInfoRecord.HAS_TCP) != 0)
        {
            line.key("tcp_flags", true);
            line.number(record.tcpFlags());
        }
        if ((presence & MachineInfoRecord.HAS_ICMP) != 0)
        {
            line.key("icmp_type", true);
            line.number(record.icmpType());
            line.key("icmp_code", true);
            line.number(record.icmpCode());
        }
        if ((presence & MachineInfoRecord.HAS_FRAGMENT) != 0)
        {
            line.key("frag", true);
            line.put('{');
            line.key("id", false);
            line.number(record.fragmentId() & 0xFFFF_FFFFL);
            line.key("offset", true);
            line.number(record.fragmentOffset() * 8L);
            line.key("more", true);
            line.ascii((record.fragment() & MachineInfoRecord.FRAGMENT_MORE) != 0 ? "true" : "false");
            line.put('}');
        }
        final int vlans = Math.min(record.vlanCount(), MachineInfoRecord.MAX_VLANS);
        if (vlans > 0)
        {
            line.key("vlan", true);
            line.put('[');
            for (int i = 0; i < vlans; i++)
            {
                if (i > 0)
                {
                    line.put(',');
                }
                line.number(record.vlanId(i));
            }
            line.put(']');
        }
        final int labels = Math.min(record.mplsCount(), MachineInfoRecord.MAX_MPLS_LABELS);
        if (labels > 0)
        {
            line.key("mpls", true);
            line.put('[');
            for (int i = 0; i < labels; i++)
            {
                if (i > 0)
                {
                    line.put(',');
                }
                line.number(record.mplsLabel(i) & 0xFFFF_FFFFL);
            }
            line.put(']');
        }
        if ((presence & MachineInfoRecord.HAS_TUNNEL) != 0)
        {
            line.key("tunnel", true);
            line.put('{');
            line.key("type", false);
            final int type = record.tunnelType();
            line.string(type < TUNNEL_NAMES.length && TUNNEL_NAMES[type] != null ? TUNNEL_NAMES[type] : UNKNOWN);
            final int outerVersion = record.outerIpVersion();
            if (outerVersion == 4 || outerVersion == 6)
            {
                line.key("src", true);
                line.address(record.buffer(), record.outerSrcAddressOffset(), outerVersion);
                line.key("dst", true);
                line.address(record.buffer(), record.outerDstAddressOffset(), outerVersion);
            }
            if ((presence & MachineInfoRecord.HAS_TUNNEL_ID) != 0)
            {
                line.key("id", true);
                line.number(record.tunnelId());
            }
            line.key("depth", true);
            line.number(record.tunnelDepth());
            line.put('}');
        }
        line.key("status", true);
        final int status = record.status();
        line.string(status < STATUS_NAMES.length && STATUS_NAMES[status] != null ? STATUS_NAMES[status] : UNKNOWN);
        line.put('}');
        line.put('\n');
        return line.length();
    }

    /** The bytes of the last encoded line, valid until the next call to {@link #encode}. */
    public byte[] lineBytes()
    {
        return line.bytes();
    }







    private static int maxTunnelCode()
    {
        int max = 0;
        for (final TunnelType type : TunnelType.values())
        {
            max = Math.max(max, type.code());
        }
        return max;
    }

    private static byte[] bytesOf(final String value)
    {
        return value.getBytes(StandardCharsets.US_ASCII);
    }
}
