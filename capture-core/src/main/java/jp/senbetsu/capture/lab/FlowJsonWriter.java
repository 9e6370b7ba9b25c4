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

    // the keys in print order; numeric ones take their value from values[key]
    private static final int START = 0;
    private static final int END = 1;
    private static final int SRC = 2;
    private static final int DST = 3;
    private static final int SPORT = 4;
    private static final int DPORT = 5;
    private static final int PROTO = 6;
    private static final int ICMP_TYPE = 7;
    private static final int ICMP_CODE = 8;
    private static final int PACKETS = 9;
    private static final int BYTES = 10;
    private static final int WBYTES = 11;
    private static final int RPACKETS = 12;
    private static final int RBYTES = 13;
    private static final int RWBYTES = 14;
    private static final int FLAGS = 15;
    private static final int RFLAGS = 16;
    private static final int END_REASON = 17;
    private static final int VLAN = 18;
    private static final int TUNNEL = 19;
    private static final byte[][] KEYS = JsonLine.keys(
        "start", "end", "src", "dst", "sport", "dport", "proto", "icmp_type", "icmp_code", "packets", "bytes",
        "wbytes", "rpackets", "rbytes", "rwbytes", "flags", "rflags", "end_reason", "vlan", "tunnel");
    private static final byte[] TUNNEL_TYPE_KEY = "{\"type\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TUNNEL_ID_KEY = ",\"id\":".getBytes(StandardCharsets.US_ASCII);

    private final JsonLine line = new JsonLine();
    private final long[] values = new long[KEYS.length];
    /** Bit k set: numeric key k has no value and prints as {@code null}. */
    private long nulls;

    /** Encodes one flow and writes its line to {@code out}. */
    public void write(final FlowRecord flow, final OutputStream out) throws IOException
    {
        out.write(line.bytes(), 0, encode(flow));
    }

    /** Encodes one flow into the line buffer; returns the line's length including the newline. */
    public int encode(final FlowRecord flow)
    {
        final JsonLine l = line;
        final long[] v = values;
        final int flags = flow.flowFlags();
        final int version = flow.ipVersion();
        final boolean ports = (flags & FlowRecord.FLAG_HAS_PORTS) != 0;
        final boolean icmp = (flags & FlowRecord.FLAG_HAS_ICMP) != 0;
        final boolean tcp = flow.protocol() == 6;
        v[START] = flow.startNs();
        v[END] = flow.endNs();
        v[SPORT] = flow.srcPort();
        v[DPORT] = flow.dstPort();
        v[PROTO] = flow.protocol();
        v[ICMP_TYPE] = flow.icmpType();
        v[ICMP_CODE] = flow.icmpCode();
        v[PACKETS] = flow.packets();
        v[BYTES] = flow.bytes();
        v[WBYTES] = flow.wireBytes();
        v[RPACKETS] = flow.reversePackets();
        v[RBYTES] = flow.reverseBytes();
        v[RWBYTES] = flow.reverseWireBytes();
        v[FLAGS] = flow.tcpFlags();
        v[RFLAGS] = flow.reverseTcpFlags();
        v[VLAN] = flow.vlanId();
        nulls = (ports ? 0 : 1L << SPORT | 1L << DPORT)
            | (icmp ? 0 : 1L << ICMP_TYPE | 1L << ICMP_CODE)
            | (tcp ? 0 : 1L << FLAGS)
            | (tcp && flow.reversePackets() > 0 ? 0 : 1L << RFLAGS)
            | (flow.vlanId() != 0 || (flags & FlowRecord.FLAG_HAS_VLAN) != 0 ? 0 : 1L << VLAN);

        l.reset();
        l.put('{');
        numbers(START, END);
        l.raw(KEYS[SRC]);
        l.address(flow.buffer(), flow.srcAddressOffset(), version);
        l.raw(KEYS[DST]);
        l.address(flow.buffer(), flow.dstAddressOffset(), version);
        numbers(SPORT, RFLAGS);
        l.raw(KEYS[END_REASON]);
        final int reason = flow.endReason();
        l.string(reason < REASONS.length && REASONS[reason] != null ? REASONS[reason] : REASONS[0]);
        numbers(VLAN, VLAN);
        l.raw(KEYS[TUNNEL]);
        if ((flags & FlowRecord.FLAG_HAS_TUNNEL) != 0)
        {
            final byte[] name = TUNNELS[flow.tunnelType()];
            l.raw(TUNNEL_TYPE_KEY);
            l.string(name != null ? name : TUNNELS[0]);
            l.raw(TUNNEL_ID_KEY);
            l.number(flow.tunnelId());
            l.put('}');
        }
        else
        {
            l.raw(JsonLine.NULL);
        }
        l.put('}');
        l.put('\n');
        return l.length();
    }

    /**
     * The numeric keys {@code from..to} with their values, {@code null} where {@link #nulls} says so. One loop
     * for all of them, rather than a call per key, keeps the compiled method small: the JIT compiles it sooner,
     * which matters for a lab run of a second or two.
     */
    private void numbers(final int from, final int to)
    {
        final JsonLine l = line;
        for (int k = from; k <= to; k++)
        {
            l.raw(KEYS[k]);
            if ((nulls & 1L << k) != 0)
            {
                l.raw(JsonLine.NULL);
            }
            else
            {
                l.number(values[k]);
            }
        }
    }

    /** The bytes of the last encoded line. */
    public byte[] lineBytes()
    {
        return line.bytes();
    }







}
