package jp.senbetsu.selector.match;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.rules.Criteria;
import jp.senbetsu.selector.rules.PortRange;
import jp.senbetsu.selector.rules.Rule;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.trie.Cidr;

/**
 * The rule language's meaning written the slow, obvious way: every rule, every criterion, in order. The compiled
 * matcher must agree with it on every flow.
 */
final class ReferenceEvaluator
{
    private ReferenceEvaluator()
    {
    }

    static List<Integer> matches(final RuleSet set, final FlowRecord flow, final int category,
        final int srcAttribute, final int dstAttribute, final DomesticTable table)
    {
        final List<Integer> out = new ArrayList<>();
        if (!Category.ofCode(category).eligible())
        {
            return out;
        }
        final long[] src = key(flow, flow.srcAddressOffset());
        final long[] dst = key(flow, flow.dstAddressOffset());
        for (final Rule rule : set.rules())
        {
            if (inWindow(set.validFrom(), set.validUntil(), flow.endNs()) &&
                matches(rule, flow, category, src, dst, srcAttribute, dstAttribute, table))
            {
                out.add(rule.ordinal());
            }
        }
        return out;
    }

    private static boolean matches(final Rule rule, final FlowRecord flow, final int category, final long[] src,
        final long[] dst, final int srcAttribute, final int dstAttribute, final DomesticTable table)
    {
        final Criteria c = rule.criteria();
        final long t = flow.endNs();
        final long from = rule.validFrom().getEpochSecond() * 1_000_000_000L + rule.validFrom().getNano();
        final long until = rule.validUntil().getEpochSecond() * 1_000_000_000L + rule.validUntil().getNano();
        if (!rule.allowsCategory(category) || t < from || t >= until)
        {
            return false;
        }
        final int family = flow.ipVersion();
        if (!c.src().isEmpty() && !inAny(c.src(), family, src))
        {
            return false;
        }
        if (!c.dst().isEmpty() && !inAny(c.dst(), family, dst))
        {
            return false;
        }
        if (!c.either().isEmpty() && !inAny(c.either(), family, src) && !inAny(c.either(), family, dst))
        {
            return false;
        }
        if (!c.protocols().isEmpty() && !c.protocols().contains(flow.protocol()))
        {
            return false;
        }
        final boolean hasPorts = flow.hasFlag(FlowRecord.FLAG_HAS_PORTS);
        if (!c.srcPorts().isEmpty() && !(hasPorts && inPorts(c.srcPorts(), flow.srcPort())))
        {
            return false;
        }
        if (!c.dstPorts().isEmpty() && !(hasPorts && inPorts(c.dstPorts(), flow.dstPort())))
        {
            return false;
        }
        if (!c.ports().isEmpty() &&
            !(hasPorts && (inPorts(c.ports(), flow.srcPort()) || inPorts(c.ports(), flow.dstPort()))))
        {
            return false;
        }
        if (c.tcpFlags() != null &&
            !(flow.protocol() == 6 && c.tcpFlags().matches(flow.tcpFlags() | flow.reverseTcpFlags())))
        {
            return false;
        }
        final boolean srcForeign = category == Category.FOREIGN_FOREIGN.code() ||
            category == Category.FOREIGN_DOMESTIC.code();
        final boolean dstForeign = category == Category.FOREIGN_FOREIGN.code() ||
            category == Category.DOMESTIC_FOREIGN.code();
        if (!c.foreignCountries().isEmpty() &&
            !(srcForeign && c.foreignCountries().contains(table.country(srcAttribute))) &&
            !(dstForeign && c.foreignCountries().contains(table.country(dstAttribute))))
        {
            return false;
        }
        return c.foreignAsns().isEmpty() ||
            (srcForeign && c.foreignAsns().contains(table.asn(srcAttribute))) ||
            (dstForeign && c.foreignAsns().contains(table.asn(dstAttribute)));
    }

    private static boolean inWindow(final java.time.Instant from, final java.time.Instant until, final long t)
    {
        return t >= from.getEpochSecond() * 1_000_000_000L + from.getNano() &&
            t < until.getEpochSecond() * 1_000_000_000L + until.getNano();
    }

    private static boolean inAny(final List<Cidr> list, final int family, final long[] key)
    {
        for (final Cidr cidr : list)
        {
            if (cidr.family() == family && cidr.containsKey(key[0], key[1]))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean inPorts(final List<PortRange> ranges, final int port)
    {
        return ranges.stream().anyMatch(r -> r.contains(port));
    }

    private static long[] key(final FlowRecord flow, final int offset)
    {
        if (flow.ipVersion() == 4)
        {
            return new long[] {(flow.buffer().getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) << 32, 0};
        }
        return new long[] {flow.buffer().getLong(offset, ByteOrder.BIG_ENDIAN),
            flow.buffer().getLong(offset + 8, ByteOrder.BIG_ENDIAN)};
    }
}
