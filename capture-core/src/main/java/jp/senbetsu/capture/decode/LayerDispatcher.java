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
            case LINKTYPE_ETHERNET, LINKTYPE_ETHERNET_MPACKET -> next(context, ethernet, offset);
            case LINKTYPE_RAW, LINKTYPE_DLT_RAW_12, LINKTYPE_DLT_RAW_14 -> ipByVersion(context, offset);
            case LINKTYPE_IPV4 -> next(context, ipv4, offset);
            case LINKTYPE_IPV6 -> next(context, ipv6, offset);
            case LINKTYPE_LINUX_SLL -> next(context, linuxSll, offset);
            case LINKTYPE_LINUX_SLL2 -> next(context, linuxSll2, offset);
            case LINKTYPE_NULL -> next(context, nullLoopback, offset);
            case LINKTYPE_LOOP -> nullLoopback.decodeNetworkOrder(context, offset);
            case LINKTYPE_PPP, LINKTYPE_PPP_HDLC -> next(context, ppp, offset);
            case LINKTYPE_C_HDLC -> next(context, ciscoHdlc, offset);
            case LINKTYPE_NFLOG -> next(context, nflog, offset);
            case LINKTYPE_FRELAY -> next(context, frameRelay, offset);
            case LINKTYPE_IPOIB -> next(context, ipoib, offset);
            case LINKTYPE_IEEE802_11 -> next(context, wlan, offset);
            case LINKTYPE_IEEE802_11_RADIOTAP -> next(context, radiotap, offset);
            case LINKTYPE_PPI -> next(context, ppi, offset);
            default -> DecodeStatus.LINKTYPE_UNSUPPORTED;
        };
    }

    /** Pass the rest of the packet to {@code decoder}, unless the layer budget is spent. */
    DecodeStatus next(final DecodeContext context, final LayerDecoder decoder, final int offset)
    {
        if (!context.enterLayer())
        {
            return DecodeStatus.TOO_MANY_LAYERS;
        }
        return decoder.decode(context, offset);
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
            return next(context, llcSnap, offset);
        }
        return etherType(context, typeOrLength, offset);
    }

    DecodeStatus etherType(final DecodeContext context, final int etherType, final int offset)
    {
        return switch (etherType)
        {
            // the IPv4 EtherType is routed by the version nibble, as tshark does: a version-6 header there is IPv6
            case ETHERTYPE_IPV4 -> ipByVersion(context, offset);
            case ETHERTYPE_IPV6 -> next(context, ipv6, offset);
            case ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD_9100, ETHERTYPE_QINQ_OLD_9200,
                 ETHERTYPE_QINQ_OLD_9300 -> next(context, vlan, offset);
            case ETHERTYPE_MPLS_UNICAST, ETHERTYPE_MPLS_MULTICAST -> next(context, mpls, offset);
            case ETHERTYPE_PPPOE_SESSION -> next(context, pppoe, offset);
            case ETHERTYPE_PBB -> next(context, pbb, offset);
            case ETHERTYPE_VNTAG -> next(context, vnTag, offset);
            case ETHERTYPE_ETAG -> next(context, eTag, offset);
            case ETHERTYPE_TEB -> next(context, ethernet, offset);
            case ETHERTYPE_MACSEC -> next(context, macsec, offset);
            case ETHERTYPE_FABRICPATH -> next(context, fabricPath, offset);
            case ETHERTYPE_NSH -> next(context, nsh, offset);
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
            case 4 -> next(context, ipv4, offset);
            case 6 -> next(context, ipv6, offset);
            default -> DecodeStatus.IP_UNKNOWN_VERSION;
        };
    }

    /** The payload of an IP header whose (last) next-header value is {@code protocol}. */
    DecodeStatus ipProtocol(final DecodeContext context, final int protocol, final int offset)
    {
        return switch (protocol)
        {
            case IPPROTO_TCP -> next(context, tcp, offset);
            case IPPROTO_UDP -> next(context, udp, offset);
            case IPPROTO_SCTP -> next(context, sctp, offset);
            case IPPROTO_ICMP -> next(context, icmp, offset);
            case IPPROTO_ICMPV6 -> next(context, icmpv6, offset);
            case IPPROTO_GRE -> next(context, gre, offset);
            case IPPROTO_AH -> next(context, ah, offset);
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
            return next(context, vxlan, offset);
        }
        if (dstPort == UDP_PORT_GENEVE || srcPort == UDP_PORT_GENEVE)
        {
            return next(context, geneve, offset);
        }
        if (dstPort == UDP_PORT_GTP_U || srcPort == UDP_PORT_GTP_U)
        {
            return next(context, gtpU, offset);
        }
        if (dstPort == UDP_PORT_VXLAN_GPE || srcPort == UDP_PORT_VXLAN_GPE)
        {
            return next(context, vxlanGpe, offset);
        }
        if (dstPort == UDP_PORT_MPLS || srcPort == UDP_PORT_MPLS)
        {
            return next(context, mplsInUdp, offset);
        }
        if (dstPort == UDP_PORT_TEREDO || srcPort == UDP_PORT_TEREDO)
        {
            return teredo.decodeIfTeredo(context, offset);
        }
        return DecodeStatus.OK;
    }
}
