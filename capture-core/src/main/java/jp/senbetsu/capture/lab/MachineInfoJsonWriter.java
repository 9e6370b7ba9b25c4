package jp.senbetsu.capture.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jp.senbetsu.capture.decode.DecodeStatus;
import jp.senbetsu.capture.record.AddressText;
import jp.senbetsu.capture.record.MachineInfoRecord;
import jp.senbetsu.capture.record.TunnelType;
import org.agrona.DirectBuffer;

/**
 * Prints {@link MachineInfoRecord}s as JSON Lines for the lab tool {@code senbetsu decode}: one object per
 * record, keys in a fixed order, a key without a value left out (see docs/decode-output.md). Only record fields
 * are printed, so no payload can appear. Each line is built in a reusable byte array (numbers, addresses and
 * names are encoded by hand), so printing allocates nothing per record.
 */
public final class MachineInfoJsonWriter
{
    /** Longest possible line: every key with its largest value, with room to spare. */
    private static final int MAX_LINE_LENGTH = 1024;
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

    private final byte[] line = new byte[MAX_LINE_LENGTH];
    private int length;

    /** Encode one record as a JSON object followed by a newline and write it to {@code out}. */
    public void write(final MachineInfoRecord record, final OutputStream out) throws IOException
    {
        final int n = encode(record);
        out.write(line, 0, n);
    }

    /**
     * Encode one record into the internal line buffer.
     *
     * @return the number of bytes of the line, including its newline; read them with {@link #lineBytes()}.
     */
    public int encode(final MachineInfoRecord record)
    {
        length = 0;
        final int presence = record.presence();
        put('{');
        key("ts", false);
        number(record.timestampNs());
        key("len", true);
        number(record.wireLength() & 0xFFFF_FFFFL);
        key("caplen", true);
        number(record.capturedLength() & 0xFFFF_FFFFL);
        if ((presence & MachineInfoRecord.HAS_IP) != 0)
        {
            final int version = record.ipVersion();
            key("src", true);
            address(record.buffer(), record.srcAddressOffset(), version);
            key("dst", true);
            address(record.buffer(), record.dstAddressOffset(), version);
            key("proto", true);
            number(record.protocol());
        }
        if ((presence & MachineInfoRecord.HAS_PORTS) != 0)
        {
            key("sport", true);
            number(record.srcPort());
            key("dport", true);
            number(record.dstPort());
        }
        if ((presence & MachineInfoRecord.HAS_TCP) != 0)
        {
            key("tcp_flags", true);
            number(record.tcpFlags());
        }
        if ((presence & MachineInfoRecord.HAS_ICMP) != 0)
        {
            key("icmp_type", true);
            number(record.icmpType());
            key("icmp_code", true);
            number(record.icmpCode());
        }
        if ((presence & MachineInfoRecord.HAS_FRAGMENT) != 0)
        {
            key("frag", true);
            put('{');
            key("id", false);
            number(record.fragmentId() & 0xFFFF_FFFFL);
            key("offset", true);
            number(record.fragmentOffset() * 8L);
            key("more", true);
            ascii((record.fragment() & MachineInfoRecord.FRAGMENT_MORE) != 0 ? "true" : "false");
            put('}');
        }
        final int vlans = Math.min(record.vlanCount(), MachineInfoRecord.MAX_VLANS);
        if (vlans > 0)
        {
            key("vlan", true);
            put('[');
            for (int i = 0; i < vlans; i++)
            {
                if (i > 0)
                {
                    put(',');
                }
                number(record.vlanId(i));
            }
            put(']');
        }
        final int labels = Math.min(record.mplsCount(), MachineInfoRecord.MAX_MPLS_LABELS);
        if (labels > 0)
        {
            key("mpls", true);
            put('[');
            for (int i = 0; i < labels; i++)
            {
                if (i > 0)
                {
                    put(',');
                }
                number(record.mplsLabel(i) & 0xFFFF_FFFFL);
            }
            put(']');
        }
        if ((presence & MachineInfoRecord.HAS_TUNNEL) != 0)
        {
            key("tunnel", true);
            put('{');
            key("type", false);
            final int type = record.tunnelType();
            string(type < TUNNEL_NAMES.length && TUNNEL_NAMES[type] != null ? TUNNEL_NAMES[type] : UNKNOWN);
            final int outerVersion = record.outerIpVersion();
            if (outerVersion == 4 || outerVersion == 6)
            {
                key("src", true);
                address(record.buffer(), record.outerSrcAddressOffset(), outerVersion);
                key("dst", true);
                address(record.buffer(), record.outerDstAddressOffset(), outerVersion);
            }
            if ((presence & MachineInfoRecord.HAS_TUNNEL_ID) != 0)
            {
                key("id", true);
                number(record.tunnelId());
            }
            key("depth", true);
            number(record.tunnelDepth());
            put('}');
        }
        key("status", true);
        final int status = record.status();
        string(status < STATUS_NAMES.length && STATUS_NAMES[status] != null ? STATUS_NAMES[status] : UNKNOWN);
        put('}');
        put('\n');
        return length;
    }

    /** The bytes of the last encoded line, valid until the next call to {@link #encode}. */
    public byte[] lineBytes()
    {
        return line;
    }

    private void key(final String name, final boolean comma)
    {
        if (comma)
        {
            put(',');
        }
        put('"');
        ascii(name);
        put('"');
        put(':');
    }

    private void string(final byte[] value)
    {
        put('"');
        System.arraycopy(value, 0, line, length, value.length);
        length += value.length;
        put('"');
    }

    private void ascii(final String value)
    {
        for (int i = 0, n = value.length(); i < n; i++)
        {
            line[length++] = (byte)value.charAt(i);
        }
    }

    private void put(final char c)
    {
        line[length++] = (byte)c;
    }

    private void number(final long value)
    {
        if (value < 0)
        {
            put('-');
            if (value == Long.MIN_VALUE)
            {
                ascii("9223372036854775808");
                return;
            }
            number(-value);
            return;
        }
        if (value < 10)
        {
            line[length++] = (byte)('0' + value);
            return;
        }
        int digits = 0;
        for (long v = value; v != 0; v /= 10)
        {
            digits++;
        }
        long v = value;
        for (int i = length + digits - 1; i >= length; i--)
        {
            line[i] = (byte)('0' + (v % 10));
            v /= 10;
        }
        length += digits;
    }

    private void address(final DirectBuffer buffer, final int offset, final int version)
    {
        put('"');
        length += AddressText.write(version, buffer, offset, line, length);
        put('"');
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
