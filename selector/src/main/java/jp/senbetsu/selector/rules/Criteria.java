package jp.senbetsu.selector.rules;

import java.util.List;

import jp.senbetsu.selector.trie.Cidr;

/**
 * What a rule looks at. Every criterion that is present must hold (AND); within a list any element may match
 * (OR). An absent criterion (empty list, null) does not constrain.
 *
 * @param src              source (initiator) prefixes, IPv4 and IPv6 mixed.
 * @param dst              destination (responder) prefixes.
 * @param either           prefixes either end may be in.
 * @param srcPorts         source port ranges.
 * @param dstPorts         destination port ranges.
 * @param ports            port ranges either end's port may be in.
 * @param protocols        IP protocol numbers, empty for any.
 * @param tcpFlags         flag test, null for none.
 * @param foreignCountries packed country codes of the foreign end, empty for any.
 * @param foreignAsns      AS numbers of the foreign end, empty for any.
 */
public record Criteria(
    List<Cidr> src,
    List<Cidr> dst,
    List<Cidr> either,
    List<PortRange> srcPorts,
    List<PortRange> dstPorts,
    List<PortRange> ports,
    List<Integer> protocols,
    TcpFlagCondition tcpFlags,
    List<Integer> foreignCountries,
    List<Long> foreignAsns)
{
    /** Whether any address criterion is present. */
    public boolean hasAddressCriterion()
    {
        return !src.isEmpty() || !dst.isEmpty() || !either.isEmpty();
    }
}
