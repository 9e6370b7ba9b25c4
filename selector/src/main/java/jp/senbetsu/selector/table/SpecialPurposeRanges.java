package jp.senbetsu.selector.table;

import java.util.List;

import jp.senbetsu.selector.trie.Cidr;

/**
 * The IANA special-purpose address registries (RFC 6890 and the RFCs that updated them), plus multicast and the
 * reserved 240/4, which are not end-host addresses either. Every address here is {@link AddressClass#UNKNOWN},
 * whatever a delegated file or an override says: such addresses say nothing about which side of the border a
 * communication is on, so they can never make a communication eligible for selection.
 */
public final class SpecialPurposeRanges
{
    /** Prefix and the document that reserves it. */
    public static final List<String[]> RANGES = List.of(
        new String[] {"0.0.0.0/8", "RFC 791 this network"},
        new String[] {"10.0.0.0/8", "RFC 1918 private"},
        new String[] {"100.64.0.0/10", "RFC 6598 shared address space"},
        new String[] {"127.0.0.0/8", "RFC 1122 loopback"},
        new String[] {"169.254.0.0/16", "RFC 3927 link local"},
        new String[] {"172.16.0.0/12", "RFC 1918 private"},
        new String[] {"192.0.0.0/24", "RFC 6890 IETF protocol assignments"},
        new String[] {"192.0.2.0/24", "RFC 5737 TEST-NET-1"},
        new String[] {"192.31.196.0/24", "RFC 7535 AS112-v4"},
        new String[] {"192.52.193.0/24", "RFC 7450 AMT"},
        new String[] {"192.88.99.0/24", "RFC 7526 deprecated 6to4 relay anycast"},
        new String[] {"192.168.0.0/16", "RFC 1918 private"},
        new String[] {"192.175.48.0/24", "RFC 7534 direct delegation AS112"},
        new String[] {"198.18.0.0/15", "RFC 2544 benchmarking"},
        new String[] {"198.51.100.0/24", "RFC 5737 TEST-NET-2"},
        new String[] {"203.0.113.0/24", "RFC 5737 TEST-NET-3"},
        new String[] {"224.0.0.0/4", "RFC 5771 multicast"},
        new String[] {"240.0.0.0/4", "RFC 1112 reserved"},
        new String[] {"255.255.255.255/32", "RFC 919 limited broadcast"},
        new String[] {"::/128", "RFC 4291 unspecified"},
        new String[] {"::1/128", "RFC 4291 loopback"},
        new String[] {"::ffff:0:0/96", "RFC 4291 IPv4-mapped"},
        new String[] {"64:ff9b::/96", "RFC 6052 IPv4-IPv6 translation"},
        new String[] {"64:ff9b:1::/48", "RFC 8215 local-use IPv4-IPv6 translation"},
        new String[] {"100::/64", "RFC 6666 discard-only"},
        new String[] {"2001::/23", "RFC 2928 IETF protocol assignments"},
        new String[] {"2001:db8::/32", "RFC 3849 documentation"},
        new String[] {"2002::/16", "RFC 3056 6to4"},
        new String[] {"3fff::/20", "RFC 9637 documentation"},
        new String[] {"5f00::/16", "RFC 9602 SRv6 SIDs"},
        new String[] {"fc00::/7", "RFC 4193 unique local"},
        new String[] {"fe80::/10", "RFC 4291 link-local unicast"},
        new String[] {"ff00::/8", "RFC 4291 multicast"});

    private SpecialPurposeRanges()
    {
    }

    public static List<TableSource> sources()
    {
        return RANGES.stream()
            .map(r -> new TableSource(Cidr.parse(r[0]), TableSource.LAYER_SPECIAL_PURPOSE, AddressClass.UNKNOWN,
                CountryCode.NONE, 0, r[1]))
            .toList();
    }
}
