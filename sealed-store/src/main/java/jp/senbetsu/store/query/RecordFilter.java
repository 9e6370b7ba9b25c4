package jp.senbetsu.store.query;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.trie.Cidr;
import jp.senbetsu.store.StoreException;
import org.agrona.DirectBuffer;

/**
 * What a query asks for: flows overlapping a time range, touching any of some addresses or prefixes, using any
 * of some ports, selected by any of some rules (or matched by any of some rules, deciding or not) or approvals. Empty criteria match everything, within the
 * {@linkplain #scope(String) scope} of the approval the read is done under. Matching reads the record flyweight in
 * place and allocates nothing.
 */
public final class RecordFilter
{
    private long fromNs = Long.MIN_VALUE;
    private long toNs = Long.MAX_VALUE;
    private final List<Cidr> prefixes = new ArrayList<>();
    /** One bit per port number: a record's ports are looked up without boxing them. */
    private final long[] ports = new long[65536 / Long.SIZE];
    private boolean anyPort = true;
    private final List<byte[]> ruleIds = new ArrayList<>();
    private final List<byte[]> matchedRuleIds = new ArrayList<>();
    private final List<byte[]> approvalIds = new ArrayList<>();
    private byte[] scope;
    private String scopeText;

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

    /** An address ({@code 192.0.2.1}, {@code 2001:db8::1}) or prefix ({@code 192.0.2.0/24}), as rules write them. */
    public RecordFilter address(final String cidr)
    {
        try
        {
            prefixes.add(Cidr.parse(cidr));
            return this;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new StoreException("invalid address or prefix: " + ex.getMessage(), SenbetsuException.EXIT_USAGE);
        }
    }

    public RecordFilter port(final int port)
    {
        if (port < 0 || port > 65535)
        {
            throw new StoreException("invalid port " + port + ": 0 to 65535", SenbetsuException.EXIT_USAGE);
        }
        ports[port >>> 6] |= 1L << port;
        anyPort = false;
        return this;
    }

    public RecordFilter ruleId(final String id)
    {
        ruleIds.add(id(id));
        return this;
    }

    /** Records that rule {@code id} matched: the deciding rule or any further rule the record names. */
    public RecordFilter matchedRuleId(final String id)
    {
        matchedRuleIds.add(id(id));
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
        if (!prefixes.isEmpty() && !anyPrefixHolds(buffer, flow))
        {
            return false;
        }
        if (!anyPort && !hasPort(flow.srcPort()) && !hasPort(flow.dstPort()))
        {
            return false;
        }
        if (!ruleIds.isEmpty() && !anyEquals(buffer, record.offset() + SelectedFlowRecord.RULE_ID_OFFSET, ruleIds))
        {
            return false;
        }
        if (!matchedRuleIds.isEmpty() && !anyNamed(record))
        {
            return false;
        }
        return approvalIds.isEmpty() || anyEquals(buffer, record.approvalIdOffset(), approvalIds);
    }

    /** Whether either end of the flow lies in one of the prefixes (of its own address family). */
    private boolean anyPrefixHolds(final DirectBuffer buffer, final FlowRecord flow)
    {
        final int family = flow.ipVersion();
        for (int i = 0; i < prefixes.size(); i++)
        {
            final Cidr p = prefixes.get(i);
            if (p.family() == family &&
                (inPrefix(buffer, flow.srcAddressOffset(), p) || inPrefix(buffer, flow.dstAddressOffset(), p)))
            {
                return true;
            }
        }
        return false;
    }

    /** The address at {@code offset} (network order, of the prefix's family) read as a top-aligned key. */
    private static boolean inPrefix(final DirectBuffer buffer, final int offset, final Cidr p)
    {
        if (p.family() == 4)
        {
            return p.containsKey((buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) << 32, 0);
        }
        return p.containsKey(buffer.getLong(offset, ByteOrder.BIG_ENDIAN),
            buffer.getLong(offset + Long.BYTES, ByteOrder.BIG_ENDIAN));
    }

    private boolean hasPort(final int port)
    {
        return (ports[port >>> 6] & (1L << port)) != 0;
    }

    /** Whether the record names one of {@link #matchedRuleIds}, as deciding or as a further matching rule. */
    private boolean anyNamed(final SelectedFlowRecord record)
    {
        final DirectBuffer buffer = record.buffer();
        if (anyEquals(buffer, record.offset() + SelectedFlowRecord.RULE_ID_OFFSET, matchedRuleIds))
        {
            return true;
        }
        for (int i = 0, n = record.furtherRuleCount(); i < n; i++)
        {
            if (anyEquals(buffer, record.furtherRuleIdOffset(i), matchedRuleIds))
            {
                return true;
            }
        }
        return false;
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
