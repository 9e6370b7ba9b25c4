package jp.senbetsu.capture.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jp.senbetsu.capture.record.AddressText;
import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.capture.record.TunnelType;

/**
 * Prints ended flows as JSON Lines for the lab tool {@code senbetsu flows}: one object per flow, keys in a fixed
 * order (documented in docs/flows.md), every key always present ({@code null} when it has no value). Only
 * {@link FlowRecord} fields are printed; addresses in the project's one text form ({@link AddressText}). Each line
 * is built in a reusable {@link JsonLine}, so printing allocates nothing per flow.
 *
 * <pre>
 * {"start":…,"end":…,"src":"…","dst":"…","sport":…,"dport":…,"proto":…,"icmp_type":…,"icmp_code":…,
 *  "packets":…,"bytes":…,"wbytes":…,"rpackets":…,"rbytes":…,"rwbytes":…,"flags":…,"rflags":…,
 *  "end_reason":"…","vlan":…,"tunnel":…}
 * </pre>
 */
public final class FlowJsonWriter
{
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

    private final JsonLine line = new JsonLine();

    /** Encodes one flow and writes its line to {@code out}. */
    public void write(final FlowRecord flow, final OutputStream out) throws IOException
    {
        out.write(line.bytes(), 0, encode(flow));
    }

    /** Encodes one flow into the line buffer; returns the line's length including the newline. */
    public int encode(final FlowRecord flow)
    {
        line.reset();
        final int flags = flow.flowFlags();
        final int version = flow.ipVersion();
        line.put('{');
        line.key("start", false);
        line.number(flow.startNs());
        line.key("end", true);
        line.number(flow.endNs());
        line.key("src", true);
        line.address(flow.buffer(), flow.srcAddressOffset(), version);
        line.key("dst", true);
        line.address(flow.buffer(), flow.dstAddressOffset(), version);
        final boolean ports = (flags & FlowRecord.FLAG_HAS_PORTS) != 0;
        line.key("sport", true);
        line.numberOrNull(ports, flow.srcPort());
        line.key("dport", true);
        line.numberOrNull(ports, flow.dstPort());
        line.key("proto", true);
        line.number(flow.protocol());
        final boolean icmp = (flags & FlowRecord.FLAG_HAS_ICMP) != 0;
        line.key("icmp_type", true);
        line.numberOrNull(icmp, flow.icmpType());
        line.key("icmp_code", true);
        line.numberOrNull(icmp, flow.icmpCode());
        line.key("packets", true);
        line.number(flow.packets());
        line.key("bytes", true);
        line.number(flow.bytes());
        line.key("wbytes", true);
        line.number(flow.wireBytes());
        line.key("rpackets", true);
        line.number(flow.reversePackets());
        line.key("rbytes", true);
        line.number(flow.reverseBytes());
        line.key("rwbytes", true);
        line.number(flow.reverseWireBytes());
        final boolean tcp = flow.protocol() == 6;
        line.key("flags", true);
        line.numberOrNull(tcp, flow.tcpFlags());
        line.key("rflags", true);
        line.numberOrNull(tcp && flow.reversePackets() > 0, flow.reverseTcpFlags());
        line.key("end_reason", true);
        final int reason = flow.endReason();
        line.string(reason < REASONS.length && REASONS[reason] != null ? REASONS[reason] : REASONS[0]);
        line.key("vlan", true);
        line.numberOrNull(flow.vlanId() != 0 || (flags & FlowRecord.FLAG_HAS_VLAN) != 0, flow.vlanId());
        line.key("tunnel", true);
        if ((flags & FlowRecord.FLAG_HAS_TUNNEL) != 0)
        {
            line.put('{');
            line.key("type", false);
            final byte[] name = TUNNELS[flow.tunnelType()];
            line.string(name != null ? name : TUNNELS[0]);
            line.key("id", true);
            line.number(flow.tunnelId());
            line.put('}');
        }
        else
        {
            line.ascii("null");
        }
        line.put('}');
        line.put('\n');
        return line.length();
    }

    /** The bytes of the last encoded line. */
    public byte[] lineBytes()
    {
        return line.bytes();
    }







}
