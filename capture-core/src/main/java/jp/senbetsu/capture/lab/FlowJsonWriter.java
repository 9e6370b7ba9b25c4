package jp.senbetsu.capture.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jp.senbetsu.capture.record.AddressText;
import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.capture.record.TunnelType;
import org.agrona.DirectBuffer;

/**
 * Prints ended flows as JSON Lines for the lab tool {@code senbetsu flows}: one object per flow, keys in a fixed
 * order (documented in docs/flows.md), every key always present ({@code null} when it has no value). Only
 * {@link FlowRecord} fields are printed; addresses in the project's one text form ({@link AddressText}). Each line is built in a reusable byte array, so printing allocates
 * nothing per flow.
 *
 * <pre>
 * {"start":…,"end":…,"src":"…","dst":"…","sport":…,"dport":…,"proto":…,"icmp_type":…,"icmp_code":…,
 *  "packets":…,"bytes":…,"wbytes":…,"rpackets":…,"rbytes":…,"rwbytes":…,"flags":…,"rflags":…,
 *  "end_reason":"…","vlan":…,"tunnel":…}
 * </pre>
 */
public final class FlowJsonWriter
{
    private static final int MAX_LINE_LENGTH = 1024;
    private static final byte[][] REASONS = new byte[8][];
    private static final byte[][] TUNNELS = new byte[256][];

    static
    {
        REASONS[0] = "none".getBytes(StandardCharsets.US_ASCII);
        for (final FlowEndReason reason : FlowEndReason.values())
        {
            REASONS[reason.code()] = reason.label().getBytes(StandardCharsets.US_ASCII);
        }
        for (final TunnelType type : TunnelType.values())
        {
            TUNNELS[type.code()] = type.label().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final byte[] line = new byte[MAX_LINE_LENGTH];
    private int length;

    /** Encodes one flow and writes its line to {@code out}. */
    public void write(final FlowRecord flow, final OutputStream out) throws IOException
    {
        out.write(line, 0, encode(flow));
    }

    /** Encodes one flow into the line buffer; returns the line's length including the newline. */
    public int encode(final FlowRecord flow)
    {
        length = 0;
        final int flags = flow.flowFlags();
        final int version = flow.ipVersion();
        put('{');
        key("start", false);
        number(flow.startNs());
        key("end", true);
        number(flow.endNs());
        key("src", true);
        address(flow.buffer(), flow.srcAddressOffset(), version);
        key("dst", true);
        address(flow.buffer(), flow.dstAddressOffset(), version);
        final boolean ports = (flags & FlowRecord.FLAG_HAS_PORTS) != 0;
        key("sport", true);
        numberOrNull(ports, flow.srcPort());
        key("dport", true);
        numberOrNull(ports, flow.dstPort());
        key("proto", true);
        number(flow.protocol());
        final boolean icmp = (flags & FlowRecord.FLAG_HAS_ICMP) != 0;
        key("icmp_type", true);
        numberOrNull(icmp, flow.icmpType());
        key("icmp_code", true);
        numberOrNull(icmp, flow.icmpCode());
        key("packets", true);
        number(flow.packets());
        key("bytes", true);
        number(flow.bytes());
        key("wbytes", true);
        number(flow.wireBytes());
        key("rpackets", true);
        number(flow.reversePackets());
        key("rbytes", true);
        number(flow.reverseBytes());
        key("rwbytes", true);
        number(flow.reverseWireBytes());
        final boolean tcp = flow.protocol() == 6;
        key("flags", true);
        numberOrNull(tcp, flow.tcpFlags());
        key("rflags", true);
        numberOrNull(tcp && flow.reversePackets() > 0, flow.reverseTcpFlags());
        key("end_reason", true);
        final int reason = flow.endReason();
        string(reason < REASONS.length && REASONS[reason] != null ? REASONS[reason] : REASONS[0]);
        key("vlan", true);
        numberOrNull(flow.vlanId() != 0 || (flags & FlowRecord.FLAG_HAS_VLAN) != 0, flow.vlanId());
        key("tunnel", true);
        if ((flags & FlowRecord.FLAG_HAS_TUNNEL) != 0)
        {
            put('{');
            key("type", false);
            final byte[] name = TUNNELS[flow.tunnelType()];
            string(name != null ? name : TUNNELS[0]);
            key("id", true);
            number(flow.tunnelId());
            put('}');
        }
        else
        {
            ascii("null");
        }
        put('}');
        put('\n');
        return length;
    }

    /** The bytes of the last encoded line. */
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

    private void string(final byte[] text)
    {
        put('"');
        System.arraycopy(text, 0, line, length, text.length);
        length += text.length;
        put('"');
    }

    private void numberOrNull(final boolean present, final long value)
    {
        if (present)
        {
            number(value);
        }
        else
        {
            ascii("null");
        }
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
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10)
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

    private void ascii(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            line[length++] = (byte)text.charAt(i);
        }
    }

    private void put(final int b)
    {
        line[length++] = (byte)b;
    }
}
