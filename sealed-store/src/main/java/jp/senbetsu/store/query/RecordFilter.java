package jp.senbetsu.store.query;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.StoreException;
import org.agrona.DirectBuffer;

/**
 * What a query asks for: flows overlapping a time range, touching any of some addresses or prefixes, using any
 * of some ports, selected by any of some rules or approvals. Empty criteria match everything, within the
 * {@linkplain #scope(String) scope} of the approval the read is done under. Matching reads the record flyweight in
 * place and allocates nothing.
 */
public final class RecordFilter
{
    private long fromNs = Long.MIN_VALUE;
    private long toNs = Long.MAX_VALUE;
    private final List<Prefix> prefixes = new ArrayList<>();
    private final Set<Integer> ports = new HashSet<>();
    private final List<byte[]> ruleIds = new ArrayList<>();
    private final List<byte[]> approvalIds = new ArrayList<>();
    private byte[] scope;
    private String scopeText;

    private record Prefix(byte[] address, int bits, int ipVersion)
    {
    }

    /** Flows whose [start, end] overlaps [fromNs, toNs]. */
    public RecordFilter timeRange(final long fromNs, final long toNs)
    {
        this.fromNs = fromNs;
        this.toNs = toNs;
        return this;
    }

    public long fromNs()
    {
        return fromNs;
    }

    /** An address ({@code 192.0.2.1}, {@code 2001:db8::1}) or prefix ({@code 192.0.2.0/24}). */
    public RecordFilter address(final String cidr)
    {
        final int slash = cidr.indexOf('/');
        final String host = slash < 0 ? cidr : cidr.substring(0, slash);
        try
        {
            if (!host.matches("[0-9a-fA-F:.]+"))
            {
                throw new UnknownHostException(host);
            }
            final byte[] raw = InetAddress.getByName(host).getAddress();
            final int max = raw.length * 8;
            final int bits = slash < 0 ? max : Integer.parseInt(cidr.substring(slash + 1));
            if (bits < 0 || bits > max)
            {
                throw new NumberFormatException("prefix length " + bits);
            }
            prefixes.add(new Prefix(Arrays.copyOf(raw, 16), bits, raw.length == 4 ? 4 : 6));
            return this;
        }
        catch (final UnknownHostException | NumberFormatException ex)
        {
            throw new StoreException("invalid address or prefix '" + cidr + "'", SenbetsuException.EXIT_USAGE);
        }
    }

    public RecordFilter port(final int port)
    {
        ports.add(port);
        return this;
    }

    public RecordFilter ruleId(final String id)
    {
        ruleIds.add(id(id));
        return this;
    }

    public RecordFilter approvalId(final String id)
    {
        final byte[] bytes = id(id);
        if (scope != null && !Arrays.equals(bytes, scope))
        {
            throw new StoreException("--approval " + id + " is not the approval this read is done under "
                + "(--purpose-approval " + scopeText + ")", SenbetsuException.EXIT_USAGE);
        }
        approvalIds.add(bytes);
        return this;
    }

    /**
     * Limits every match to records selected under {@code approvalId}: the approval a read is done under (its
     * stated purpose). Unlike {@link #approvalId(String)} this is not one criterion among others but the bound of
     * the read; an {@code --approval} criterion naming a different approval is refused as a usage error.
     */
    public RecordFilter scope(final String approvalId)
    {
        final byte[] id = id(approvalId);
        for (final byte[] other : approvalIds)
        {
            if (!Arrays.equals(other, id))
            {
                throw new StoreException("--approval " + new String(other, StandardCharsets.US_ASCII).trim()
                    + " is not the approval this read is done under (--purpose-approval " + approvalId + "): a read "
                    + "returns only records selected under its own approval", SenbetsuException.EXIT_USAGE);
            }
        }
        this.scope = id;
        this.scopeText = approvalId;
        return this;
    }

    /** The approval every match is limited to, or null if none was set. */
    public String scope()
    {
        return scopeText;
    }

    public boolean matches(final SelectedFlowRecord record)
    {
        if (scope != null && !idEquals(record.buffer(), record.approvalIdOffset(), scope))
        {
            return false;
        }
        final FlowRecord flow = record.flow();
        if (flow.startNs() > toNs || flow.endNs() < fromNs)
        {
            return false;
        }
        final DirectBuffer buffer = record.buffer();
        if (!prefixes.isEmpty())
        {
            boolean any = false;
            for (int i = 0; i < prefixes.size() && !any; i++)
            {
                final Prefix p = prefixes.get(i);
                any = p.ipVersion == flow.ipVersion() && (inPrefix(buffer, flow.srcAddressOffset(), p)
                    || inPrefix(buffer, flow.dstAddressOffset(), p));
            }
            if (!any)
            {
                return false;
            }
        }
        if (!ports.isEmpty() && !ports.contains(flow.srcPort()) && !ports.contains(flow.dstPort()))
        {
            return false;
        }
        if (!ruleIds.isEmpty() && !anyEquals(buffer, record.offset() + SelectedFlowRecord.RULE_ID_OFFSET, ruleIds))
        {
            return false;
        }
        return approvalIds.isEmpty() || anyEquals(buffer, record.approvalIdOffset(), approvalIds);
    }

    private static boolean inPrefix(final DirectBuffer buffer, final int offset, final Prefix p)
    {
        final int fullBytes = p.bits >>> 3;
        for (int i = 0; i < fullBytes; i++)
        {
            if (buffer.getByte(offset + i) != p.address[i])
            {
                return false;
            }
        }
        final int rest = p.bits & 7;
        if (rest == 0)
        {
            return true;
        }
        final int mask = (0xFF << (8 - rest)) & 0xFF;
        return (buffer.getByte(offset + fullBytes) & mask) == (p.address[fullBytes] & mask);
    }

    private static boolean anyEquals(final DirectBuffer buffer, final int offset, final List<byte[]> ids)
    {
        for (int i = 0; i < ids.size(); i++)
        {
            if (idEquals(buffer, offset, ids.get(i)))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean idEquals(final DirectBuffer buffer, final int offset, final byte[] id)
    {
        for (int j = 0; j < SelectedFlowRecord.MAX_ID_LENGTH; j++)
        {
            if (buffer.getByte(offset + j) != id[j])
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] id(final String id)
    {
        final byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > SelectedFlowRecord.MAX_ID_LENGTH)
        {
            throw new StoreException("identifier longer than " + SelectedFlowRecord.MAX_ID_LENGTH + " bytes: " + id,
                SenbetsuException.EXIT_USAGE);
        }
        return Arrays.copyOf(bytes, SelectedFlowRecord.MAX_ID_LENGTH);
    }
}
