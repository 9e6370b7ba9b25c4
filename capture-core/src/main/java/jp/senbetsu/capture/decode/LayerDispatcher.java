package jp.senbetsu.capture.decode;

import static jp.senbetsu.capture.decode.NetworkOrder.u8;

/**
 * Routes the rest of a packet to the decoder of the next header, by link type, EtherType, IP protocol number or
 * UDP port, and counts every header passed so nested encapsulation cannot recurse without bound. Owns one
 * instance of each protocol decoder; the decoders call back into it for their payload.
 */
final class LayerDispatcher
{
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88A8;
    static final int ETHERTYPE_QINQ_OLD_9100 = 0x9100;
    static final int ETHERTYPE_QINQ_OLD_9200 = 0x9200;
    static final int ETHERTYPE_QINQ_OLD_9300 = 0x9300;
    static final int ETHERTYPE_MPLS_UNICAST = 0x8847;
    static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    static final int ETHERTYPE_PBB = 0x88E7;
    static final int ETHERTYPE_VNTAG = 0x8926;
    static final int ETHERTYPE_ETAG = 0x893F;
    static final int ETHERTYPE_TEB = 0x6558;
    static final int ETHERTYPE_MACSEC = 0x88E5;
    static final int ETHERTYPE_FABRICPATH = 0x8903;
    static final int ETHERTYPE_NSH = 0x894F;
    /** Largest value of the Ethernet type field that is an 802.3 length rather than an EtherType. */
    static final int MAX_8023_LENGTH = 1500;

    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_IPIP = 4;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_IPV6 = 41;
    static final int IPPROTO_GRE = 47;
    static final int IPPROTO_AH = 51;
    static final int IPPROTO_ICMPV6 = 58;
    static final int IPPROTO_SCTP = 132;

    static final int UDP_PORT_VXLAN = 4789;
    static final int UDP_PORT_GENEVE = 6081;
    static final int UDP_PORT_GTP_U = 2152;
    static final int UDP_PORT_TEREDO = 3544;
    static final int UDP_PORT_MPLS = 6635;
    static final int UDP_PORT_VXLAN_GPE = 4790;

    /** Link types (LINKTYPE_ values) the decoder understands. */
    static final int LINKTYPE_NULL = 0;
    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_PPP = 9;
    static final int LINKTYPE_DLT_RAW_12 = 12;
    static final int LINKTYPE_DLT_RAW_14 = 14;
    static final int LINKTYPE_PPP_HDLC = 50;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_C_HDLC = 104;
    static final int LINKTYPE_IEEE802_11 = 105;
    static final int LINKTYPE_FRELAY = 107;
    static final int LINKTYPE_IEEE802_11_RADIOTAP = 127;
    static final int LINKTYPE_PPI = 192;
    static final int LINKTYPE_IPOIB = 242;
    static final int LINKTYPE_LOOP = 108;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_IPV4 = 228;
    static final int LINKTYPE_IPV6 = 229;
    static final int LINKTYPE_NFLOG = 239;
    static final int LINKTYPE_ETHERNET_MPACKET = 274;
    static final int LINKTYPE_LINUX_SLL2 = 276;

    final EthernetDecoder ethernet = new EthernetDecoder(this);
    final LlcSnapDecoder llcSnap = new LlcSnapDecoder(this);
    final VlanDecoder vlan = new VlanDecoder(this);
    final PbbDecoder pbb = new PbbDecoder(this);
    final VnTagDecoder vnTag = new VnTagDecoder(this);
    final ETagDecoder eTag = new ETagDecoder(this);
    final MplsDecoder mpls = new MplsDecoder(this);
    final PppoeDecoder pppoe = new PppoeDecoder(this);
    final PppDecoder ppp = new PppDecoder(this);
    final CiscoHdlcDecoder ciscoHdlc = new CiscoHdlcDecoder(this);
    final LinuxSllDecoder linuxSll = new LinuxSllDecoder(this);
    final LinuxSll2Decoder linuxSll2 = new LinuxSll2Decoder(this);
    final NullLoopbackDecoder nullLoopback = new NullLoopbackDecoder(this);
    final NflogDecoder nflog = new NflogDecoder(this);
    final Ipv4Decoder ipv4 = new Ipv4Decoder(this);
    final Ipv6Decoder ipv6 = new Ipv6Decoder(this);
    final IpInIpDecoder ipInIp = new IpInIpDecoder(this);
    final TcpDecoder tcp = new TcpDecoder();
    final UdpDecoder udp = new UdpDecoder(this);
    final SctpDecoder sctp = new SctpDecoder();
    final IcmpDecoder icmp = new IcmpDecoder();
    final Icmpv6Decoder icmpv6 = new Icmpv6Decoder();
    final GreDecoder gre = new GreDecoder(this);
    final ErspanDecoder erspan = new ErspanDecoder(this);
    final VxlanDecoder vxlan = new VxlanDecoder(this);
    final GeneveDecoder geneve = new GeneveDecoder(this);
    final GtpUDecoder gtpU = new GtpUDecoder(this);
    final TeredoDecoder teredo = new TeredoDecoder(this);
    final MplsInUdpDecoder mplsInUdp = new MplsInUdpDecoder(this);
    final AhDecoder ah = new AhDecoder(this);
    final FrameRelayDecoder frameRelay = new FrameRelayDecoder(this);
    final IpoibDecoder ipoib = new IpoibDecoder(this);
    final MacsecDecoder macsec = new MacsecDecoder(this);
    final FabricPathDecoder fabricPath = new FabricPathDecoder(this);
    final VxlanGpeDecoder vxlanGpe = new VxlanGpeDecoder(this);
    final NshDecoder nsh = new NshDecoder(this);
    final PpiDecoder ppi = new PpiDecoder(this);
    final RadiotapDecoder radiotap = new RadiotapDecoder(this);
    final Ieee80211Decoder wlan = new Ieee80211Decoder(this);

    /** Decode a whole frame of the given link type. */
    DecodeStatus link(final DecodeContext context, final int linkType, final int offset)
    {
        return switch (linkType)
        {
            case LINKTYPE_ETHERNET, LINKTYPE_ETHERNET_MPACKET -> toEthernet(context, offset);
            case LINKTYPE_RAW, LINKTYPE_DLT_RAW_12, LINKTYPE_DLT_RAW_14 -> ipByVersion(context, offset);
            case LINKTYPE_IPV4 -> toIpv4(context, offset);
            case LINKTYPE_IPV6 -> toIpv6(context, offset);
            case LINKTYPE_LINUX_SLL -> toLinuxSll(context, offset);
            case LINKTYPE_LINUX_SLL2 -> toLinuxSll2(context, offset);
            case LINKTYPE_NULL -> toNullLoopback(context, offset);
            case LINKTYPE_LOOP -> nullLoopback.decodeNetworkOrder(context, offset);
            case LINKTYPE_PPP, LINKTYPE_PPP_HDLC -> toPpp(context, offset);
            case LINKTYPE_C_HDLC -> toCiscoHdlc(context, offset);
            case LINKTYPE_NFLOG -> toNflog(context, offset);
            case LINKTYPE_FRELAY -> toFrameRelay(context, offset);
            case LINKTYPE_IPOIB -> toIpoib(context, offset);
            case LINKTYPE_IEEE802_11 -> toWlan(context, offset);
            case LINKTYPE_IEEE802_11_RADIOTAP -> toRadiotap(context, offset);
            case LINKTYPE_PPI -> toPpi(context, offset);
            default -> DecodeStatus.LINKTYPE_UNSUPPORTED;
        };
    }

    // One entry per protocol, each a direct call to its decoder (not through the LayerDecoder interface, which
    // would make the call site megamorphic), counting the header against the layer budget first.

    DecodeStatus toEthernet(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? ethernet.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toLlcSnap(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? llcSnap.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toVlan(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? vlan.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toPbb(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? pbb.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toVnTag(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? vnTag.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toETag(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? eTag.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toMpls(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? mpls.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toPppoe(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? pppoe.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toPpp(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? ppp.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toCiscoHdlc(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? ciscoHdlc.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toLinuxSll(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? linuxSll.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toLinuxSll2(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? linuxSll2.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toNullLoopback(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? nullLoopback.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toNflog(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? nflog.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toIpv4(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? ipv4.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toIpv6(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? ipv6.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toTcp(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? tcp.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toUdp(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? udp.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toSctp(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? sctp.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toIcmp(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? icmp.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toIcmpv6(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? icmpv6.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toGre(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? gre.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toVxlan(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? vxlan.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toGeneve(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? geneve.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toGtpU(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? gtpU.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toMplsInUdp(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? mplsInUdp.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toAh(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? ah.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toFrameRelay(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? frameRelay.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toIpoib(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? ipoib.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toMacsec(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? macsec.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toFabricPath(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? fabricPath.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toVxlanGpe(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? vxlanGpe.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toNsh(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? nsh.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toPpi(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? ppi.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toRadiotap(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? radiotap.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    DecodeStatus toWlan(final DecodeContext context, final int offset)
    {
        return context.enterLayer() ? wlan.decode(context, offset) : DecodeStatus.TOO_MANY_LAYERS;
    }

    /**
     * The value of an Ethernet type/length field: an EtherType, or (up to 1500) the length of an 802.3 frame
     * whose payload starts with an LLC header.
     */
    DecodeStatus typeOrLength(final DecodeContext context, final int typeOrLength, final int offset)
    {
        if (typeOrLength <= MAX_8023_LENGTH)
        {
            context.trimTo(offset + typeOrLength);
            return toLlcSnap(context, offset);
        }
        return etherType(context, typeOrLength, offset);
    }

    DecodeStatus etherType(final DecodeContext context, final int etherType, final int offset)
    {
        return switch (etherType)
        {
            // the IPv4 EtherType is routed by the version nibble, as tshark does: a version-6 header there is IPv6
            case ETHERTYPE_IPV4 -> ipByVersion(context, offset);
            case ETHERTYPE_IPV6 -> toIpv6(context, offset);
            case ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD_9100, ETHERTYPE_QINQ_OLD_9200,
                 ETHERTYPE_QINQ_OLD_9300 -> toVlan(context, offset);
            case ETHERTYPE_MPLS_UNICAST, ETHERTYPE_MPLS_MULTICAST -> toMpls(context, offset);
            case ETHERTYPE_PPPOE_SESSION -> toPppoe(context, offset);
            case ETHERTYPE_PBB -> toPbb(context, offset);
            case ETHERTYPE_VNTAG -> toVnTag(context, offset);
            case ETHERTYPE_ETAG -> toETag(context, offset);
            case ETHERTYPE_TEB -> toEthernet(context, offset);
            case ETHERTYPE_MACSEC -> toMacsec(context, offset);
            case ETHERTYPE_FABRICPATH -> toFabricPath(context, offset);
            case ETHERTYPE_NSH -> toNsh(context, offset);
            default -> DecodeStatus.ETH_UNSUPPORTED_ETHERTYPE;
        };
    }

    /** An IP header of either version, told apart by its first nibble (raw IP, MPLS payload, GTP-U payload). */
    DecodeStatus ipByVersion(final DecodeContext context, final int offset)
    {
        if (!context.has(offset, 1))
        {
            return DecodeStatus.IPV4_TRUNCATED;
        }
        return switch (u8(context.buffer, offset) >>> 4)
        {
            case 4 -> toIpv4(context, offset);
            case 6 -> toIpv6(context, offset);
            default -> DecodeStatus.IP_UNKNOWN_VERSION;
        };
    }

    /** The payload of an IP header whose (last) next-header value is {@code protocol}. */
    DecodeStatus ipProtocol(final DecodeContext context, final int protocol, final int offset)
    {
        return switch (protocol)
        {
            case IPPROTO_TCP -> toTcp(context, offset);
            case IPPROTO_UDP -> toUdp(context, offset);
            case IPPROTO_SCTP -> toSctp(context, offset);
            case IPPROTO_ICMP -> toIcmp(context, offset);
            case IPPROTO_ICMPV6 -> toIcmpv6(context, offset);
            case IPPROTO_GRE -> toGre(context, offset);
            case IPPROTO_AH -> toAh(context, offset);
            case IPPROTO_IPIP -> ipInIp.decodeInner(context, 4, offset);
            case IPPROTO_IPV6 -> ipInIp.decodeInner(context, 6, offset);
            default -> DecodeStatus.OK;
        };
    }

    /** The payload of a UDP datagram: a tunnel on its well-known port, or nothing the decoder looks into. */
    DecodeStatus udpPayload(final DecodeContext context, final int srcPort, final int dstPort, final int offset)
    {
        if (dstPort == UDP_PORT_VXLAN || srcPort == UDP_PORT_VXLAN)
        {
            return toVxlan(context, offset);
        }
        if (dstPort == UDP_PORT_GENEVE || srcPort == UDP_PORT_GENEVE)
        {
            return toGeneve(context, offset);
        }
        if (dstPort == UDP_PORT_GTP_U || srcPort == UDP_PORT_GTP_U)
        {
            return toGtpU(context, offset);
        }
        if (dstPort == UDP_PORT_VXLAN_GPE || srcPort == UDP_PORT_VXLAN_GPE)
        {
            return toVxlanGpe(context, offset);
        }
        if (dstPort == UDP_PORT_MPLS || srcPort == UDP_PORT_MPLS)
        {
            return toMplsInUdp(context, offset);
        }
        if (dstPort == UDP_PORT_TEREDO || srcPort == UDP_PORT_TEREDO)
        {
            return teredo.decodeIfTeredo(context, offset);
        }
        return DecodeStatus.OK;
    }
}
