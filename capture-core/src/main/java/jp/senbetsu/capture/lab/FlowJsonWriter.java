package jp.senbetsu.capture.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
        // every slot filled (unknown codes print as slot 0), so printing a code is one load, never a branch
        Arrays.fill(REASONS, "none".getBytes(StandardCharsets.US_ASCII));
        for (final FlowEndReason reason : FlowEndReason.values())
        {
            REASONS[reason.code()] = reason.label().getBytes(StandardCharsets.US_ASCII);
        }
        Arrays.fill(TUNNELS, TunnelType.NONE.label().getBytes(StandardCharsets.US_ASCII));
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
    /** What follows the tunnel object's place: {@code null} without a tunnel (index 0), nothing with one. */
    private static final byte[][] NULL_UNLESS_TUNNELLED = {JsonLine.NULL, new byte[0]};
    private static final int PORTS_BIT = Integer.numberOfTrailingZeros(FlowRecord.FLAG_HAS_PORTS);
    private static final int ICMP_BIT = Integer.numberOfTrailingZeros(FlowRecord.FLAG_HAS_ICMP);
    private static final int TUNNEL_BIT = Integer.numberOfTrailingZeros(FlowRecord.FLAG_HAS_TUNNEL);
    private static final int VLAN_BIT = Integer.numberOfTrailingZeros(FlowRecord.FLAG_HAS_VLAN);

    private final JsonLine line = new JsonLine();
    private final long[] values = new long[KEYS.length];
    /** Bit k set: numeric key k has no value and prints as {@code null}. */
    private long nulls;

    /** Encodes one flow and writes its line to {@code out}. */
    public void write(final FlowRecord flow, final OutputStream out) throws IOException
    {
        out.write(line.bytes(), 0, encode(flow));
    }

    /**
     * Encodes one flow into the line buffer; returns the line's length including the newline.
     *
     * <p>What is {@code null} and whether a tunnel is printed are computed without branches. In a lab run the
     * flows that end before the capture does are mostly TCP without tunnels, and the still-open flows flushed at
     * the end are of every kind: a branch never taken before that flush became an uncommon trap in the compiled
     * method, and each trap cost a recompilation (≈ 20 ms) in the middle of the flush, three of them per run.
     */
    public int encode(final FlowRecord flow)
    {
        final JsonLine l = line;
        final long[] v = values;
        final int flags = flow.flowFlags();
        final int version = flow.ipVersion();
        final int protocol = flow.protocol();
        final long reversePackets = flow.reversePackets();
        final int vlan = flow.vlanId();
        // 1 or 0, without a branch
        final long ports = flags >>> PORTS_BIT & 1;
        final long icmp = flags >>> ICMP_BIT & 1;
        final long tcp = (protocol ^ 6) - 1 >>> 31;
        final long answered = -reversePackets >>> 63;
        final long tagged = (-vlan >>> 31 | flags >>> VLAN_BIT) & 1;
        final int tunnelled = flags >>> TUNNEL_BIT & 1;
        v[START] = flow.startNs();
        v[END] = flow.endNs();
        v[SPORT] = flow.srcPort();
        v[DPORT] = flow.dstPort();
        v[PROTO] = protocol;
        v[ICMP_TYPE] = flow.icmpType();
        v[ICMP_CODE] = flow.icmpCode();
        v[PACKETS] = flow.packets();
        v[BYTES] = flow.bytes();
        v[WBYTES] = flow.wireBytes();
        v[RPACKETS] = reversePackets;
        v[RBYTES] = flow.reverseBytes();
        v[RWBYTES] = flow.reverseWireBytes();
        v[FLAGS] = flow.tcpFlags();
        v[RFLAGS] = flow.reverseTcpFlags();
        v[VLAN] = vlan;
        nulls = (ports ^ 1) * (1L << SPORT | 1L << DPORT)
            | (icmp ^ 1) * (1L << ICMP_TYPE | 1L << ICMP_CODE)
            | (tcp ^ 1) << FLAGS
            | (tcp & answered ^ 1) << RFLAGS
            | (tagged ^ 1) << VLAN;

        l.reset();
        l.put('{');
        numbers(START, END);
        l.raw(KEYS[SRC]);
        l.address(flow.buffer(), flow.srcAddressOffset(), version);
        l.raw(KEYS[DST]);
        l.address(flow.buffer(), flow.dstAddressOffset(), version);
        numbers(SPORT, RFLAGS);
        l.raw(KEYS[END_REASON]);
        l.string(REASONS[Math.min(flow.endReason(), REASONS.length - 1)]);
        numbers(VLAN, VLAN);
        l.raw(KEYS[TUNNEL]);
        // the tunnel object is always built, then kept or replaced by null
        final int mark = l.length();
        l.raw(TUNNEL_TYPE_KEY);
        l.string(TUNNELS[flow.tunnelType()]);
        l.raw(TUNNEL_ID_KEY);
        l.number(flow.tunnelId());
        l.put('}');
        l.truncate(mark + tunnelled * (l.length() - mark));
        l.raw(NULL_UNLESS_TUNNELLED[tunnelled]);
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
