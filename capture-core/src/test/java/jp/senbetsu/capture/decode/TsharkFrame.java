package jp.senbetsu.capture.decode;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One frame of tshark's dissection (a row of a committed tshark-decode reference file), reduced to the values
 * the decoder record must agree with. tshark prints every occurrence of a field ({@code outer|...|inner}); which
 * occurrence is "ours" follows from frame.protocols: the last IPv4/IPv6 layer before any ICMP (an ICMP error
 * quotes the offending packet's headers after it), its extension headers, and the first TCP/UDP/SCTP/ICMP layer
 * after it.
 */
record TsharkFrame(
    int number, String timestampNs, boolean isPcapngCustomBlock, long wireLength, long capturedLength,
    String src, String dst, String protocol, String srcPort, String dstPort,
    String tcpFlags, String icmpType, String icmpCode, String vlans, String mplsLabels)
{
    private static final Map<String, String> EXTENSION_NEXT_FIELDS = Map.of(
        "ipv6.hopopts", "ipv6.hopopts.nxt",
        "ipv6.routing", "ipv6.routing.nxt",
        "ipv6.fraghdr", "ipv6.fraghdr.nxt",
        "ipv6.dstopts", "ipv6.dstopts.nxt",
        "ah", "ah.next_header");

    static TsharkFrame parse(final List<String> header, final String line)
    {
        final String[] cells = line.split("\t", -1);
        final Map<String, String[]> values = new HashMap<>();
        for (int i = 0; i < header.size() && i < cells.length; i++)
        {
            values.put(header.get(i), cells[i].isEmpty() ? new String[0] : cells[i].split("\\|", -1));
        }
        final String[] protocols = first(values, "frame.protocols").split(":");
        final int[] occurrence = new int[protocols.length];
        final Map<String, Integer> seen = new HashMap<>();
        int stop = protocols.length;
        for (int p = 0; p < protocols.length; p++)
        {
            occurrence[p] = seen.merge(protocols[p], 1, Integer::sum) - 1;
            if (("icmp".equals(protocols[p]) || "icmpv6".equals(protocols[p])) && p < stop)
            {
                stop = p + 1;
            }
        }
        // the innermost IP layer before any ICMP whose addresses tshark could read (a bogus inner header has none)
        int ipPosition = -1;
        for (int p = stop - 1; p >= 0 && ipPosition < 0; p--)
        {
            if (isIp(protocols[p]) && nth(values, protocols[p] + ".src", occurrence[p]) != null)
            {
                ipPosition = p;
            }
        }
        String src = null;
        String dst = null;
        String protocol = null;
        String transport = null;
        int transportIndex = -1;
        if (ipPosition >= 0)
        {
            final String ipToken = protocols[ipPosition];
            final int ipIndex = occurrence[ipPosition];
            src = nth(values, ipToken + ".src", ipIndex);
            dst = nth(values, ipToken + ".dst", ipIndex);
            protocol = nth(values, "ip".equals(ipToken) ? "ip.proto" : "ipv6.nxt", ipIndex);
            for (int p = ipPosition + 1; p < stop && !isIp(protocols[p]); p++)
            {
                final String token = protocols[p];
                if (EXTENSION_NEXT_FIELDS.containsKey(token))
                {
                    // a truncated extension header without its next-header byte leaves the previous value
                    final String next = nth(values, EXTENSION_NEXT_FIELDS.get(token), occurrence[p]);
                    if (next != null)
                    {
                        protocol = next;
                    }
                }
                else if ("tcp".equals(token) || "udp".equals(token) || "sctp".equals(token) ||
                    "icmp".equals(token) || "icmpv6".equals(token))
                {
                    transport = token;
                    transportIndex = occurrence[p];
                    break;
                }
            }
        }
        String srcPort = null;
        String dstPort = null;
        if ("tcp".equals(transport) || "udp".equals(transport) || "sctp".equals(transport))
        {
            srcPort = nth(values, transport + ".srcport", transportIndex);
            dstPort = nth(values, transport + ".dstport", transportIndex);
        }
        String tcpFlags = null;
        String icmpType = null;
        String icmpCode = null;
        if ("tcp".equals(transport))
        {
            final String flags = nth(values, "tcp.flags", transportIndex);
            tcpFlags = flags == null ? null : Integer.toString(Integer.decode(flags));
        }
        else if ("icmp".equals(transport) || "icmpv6".equals(transport))
        {
            icmpType = nth(values, transport + ".type", transportIndex);
            icmpCode = nth(values, transport + ".code", transportIndex);
        }
        return new TsharkFrame(
            Integer.parseInt(first(values, "frame.number")),
            first(values, "frame.time_epoch").isEmpty() ? null :
                epochNanos(first(values, "frame.time_epoch")),
            // tshark 4.0 shows each pcapng custom block as a frame without time or interface; no packet of ours
            first(values, "frame.time_epoch").isEmpty() && first(values, "frame.interface_id").isEmpty(),
            Long.parseLong(first(values, "frame.len")),
            Long.parseLong(first(values, "frame.cap_len")),
            src, dst, protocol, srcPort, dstPort, tcpFlags, icmpType, icmpCode,
            vlanIds(protocols, occurrence, values), list(values, "mpls.label"));
    }

    /**
     * tshark prints seconds, a dot and the nanosecond field with at least 9 digits; for the deliberately invalid
     * sub-second values of tcpdump_timestamp_invalid_* it prints 10 digits (e.g. 1000000000), so the fraction is
     * read as an integer number of nanoseconds, not as a decimal fraction.
     */
    private static String epochNanos(final String text)
    {
        final int dot = text.indexOf('.');
        final BigInteger seconds = new BigInteger(dot < 0 ? text : text.substring(0, dot));
        BigInteger nanos = dot < 0 ? BigInteger.ZERO : new BigInteger(text.substring(dot + 1));
        if (text.startsWith("-"))
        {
            nanos = nanos.negate();
        }
        return seconds.multiply(BigInteger.valueOf(1_000_000_000L)).add(nanos).toString();
    }

    /**
     * VLAN IDs in frame order, as the record keeps them (up to four): tshark files 802.1Q tags under vlan.id and
     * 802.1ad service tags under ieee8021ad.id, so both are merged in the order of their layers.
     */
    private static String vlanIds(final String[] protocols, final int[] occurrence, final Map<String, String[]> values)
    {
        final StringBuilder ids = new StringBuilder();
        int count = 0;
        for (int p = 0; p < protocols.length && count < 4; p++)
        {
            final String field = "vlan".equals(protocols[p]) ? "vlan.id" :
                "ieee8021ad".equals(protocols[p]) ? "ieee8021ad.id" : null;
            final String id = field == null ? null : nth(values, field, occurrence[p]);
            if (id != null)
            {
                ids.append(count++ == 0 ? "" : ",").append(id);
            }
        }
        return count == 0 ? null : "[" + ids + "]";
    }

    /** Up to the first four occurrences, as the record keeps them, in JSON array form. */
    private static String list(final Map<String, String[]> values, final String field)
    {
        final String[] v = values.get(field);
        if (v == null || v.length == 0)
        {
            return null;
        }
        return "[" + String.join(",", java.util.Arrays.copyOf(v, Math.min(4, v.length))) + "]";
    }

    private static boolean isIp(final String token)
    {
        return "ip".equals(token) || "ipv6".equals(token);
    }

    private static String first(final Map<String, String[]> values, final String field)
    {
        final String[] v = values.get(field);
        return v == null || v.length == 0 ? "" : v[0];
    }

    private static String nth(final Map<String, String[]> values, final String field, final int index)
    {
        final String[] v = values.get(field);
        return v == null || index < 0 || index >= v.length || v[index].isEmpty() ? null : v[index];
    }
}
