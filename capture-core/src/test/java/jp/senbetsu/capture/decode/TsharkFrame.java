package jp.senbetsu.capture.decode;

import java.math.BigDecimal;
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
    String src, String dst, String protocol, String srcPort, String dstPort)
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
        final Map<String, Integer> seen = new HashMap<>();
        String ipToken = null;
        int ipIndex = -1;
        int ipPosition = -1;
        String transport = null;
        int transportIndex = -1;
        String lastExtension = null;
        int lastExtensionIndex = -1;
        for (int p = 0; p < protocols.length; p++)
        {
            final String token = protocols[p];
            final int index = seen.merge(token, 1, Integer::sum) - 1;
            switch (token)
            {
                case "ip", "ipv6" ->
                {
                    ipToken = token;
                    ipIndex = index;
                    ipPosition = p;
                    transport = null;
                    lastExtension = null;
                }
                case "ipv6.hopopts", "ipv6.routing", "ipv6.fraghdr", "ipv6.dstopts", "ah" ->
                {
                    if (ipToken != null && transport == null)
                    {
                        lastExtension = token;
                        lastExtensionIndex = index;
                    }
                }
                case "tcp", "udp", "sctp", "icmp", "icmpv6" ->
                {
                    if (ipToken != null && transport == null)
                    {
                        transport = token;
                        transportIndex = index;
                    }
                }
                default ->
                {
                }
            }
            if (("icmp".equals(token) || "icmpv6".equals(token)) && ipPosition >= 0)
            {
                break;
            }
        }
        String src = null;
        String dst = null;
        String protocol = null;
        if (ipToken != null)
        {
            src = nth(values, ipToken + ".src", ipIndex);
            dst = nth(values, ipToken + ".dst", ipIndex);
            if ("ip".equals(ipToken))
            {
                protocol = nth(values, "ip.proto", ipIndex);
            }
            else if (lastExtension != null)
            {
                protocol = nth(values, EXTENSION_NEXT_FIELDS.get(lastExtension), lastExtensionIndex);
            }
            else
            {
                protocol = nth(values, "ipv6.nxt", ipIndex);
            }
        }
        String srcPort = null;
        String dstPort = null;
        if ("tcp".equals(transport) || "udp".equals(transport) || "sctp".equals(transport))
        {
            srcPort = nth(values, transport + ".srcport", transportIndex);
            dstPort = nth(values, transport + ".dstport", transportIndex);
        }
        return new TsharkFrame(
            Integer.parseInt(first(values, "frame.number")),
            first(values, "frame.time_epoch").isEmpty() ? null :
                new BigDecimal(first(values, "frame.time_epoch")).movePointRight(9).toBigIntegerExact().toString(),
            // tshark 4.0 shows each pcapng custom block as a frame without time or interface; no packet of ours
            first(values, "frame.time_epoch").isEmpty() && first(values, "frame.interface_id").isEmpty(),
            Long.parseLong(first(values, "frame.len")),
            Long.parseLong(first(values, "frame.cap_len")),
            src, dst, protocol, srcPort, dstPort);
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
