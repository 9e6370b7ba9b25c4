package jp.senbetsu.capture.decode;

/**
 * Why decoding of a packet stopped where it did. Every packet yields a record; its status is {@link #OK} or the
 * one reason the decoder could not go further (a truncated or malformed header, or a protocol it does not
 * decode). The {@link #code() code} is stored in the record's status field and the {@link #reason() reason}
 * is printed by the lab tools and used as the counter name: both are stable, append new values, never renumber.
 */
public enum DecodeStatus
{
    OK(0, "ok"),
    LINKTYPE_UNSUPPORTED(1, "linktype.unsupported"),
    ETH_TRUNCATED(2, "eth.truncated"),
    ETH_UNSUPPORTED_ETHERTYPE(3, "eth.unsupported_ethertype"),
    LLC_TRUNCATED(4, "llc.truncated"),
    LLC_UNSUPPORTED(5, "llc.unsupported"),
    VLAN_TRUNCATED(6, "vlan.truncated"),
    MPLS_TRUNCATED(7, "mpls.truncated"),
    MPLS_UNKNOWN_PAYLOAD(8, "mpls.unknown_payload"),
    PPPOE_TRUNCATED(9, "pppoe.truncated"),
    PPP_TRUNCATED(10, "ppp.truncated"),
    PPP_UNSUPPORTED_PROTOCOL(11, "ppp.unsupported_protocol"),
    SLL_TRUNCATED(12, "sll.truncated"),
    SLL2_TRUNCATED(13, "sll2.truncated"),
    NULL_TRUNCATED(14, "null.truncated"),
    NULL_UNSUPPORTED_FAMILY(15, "null.unsupported_family"),
    HDLC_TRUNCATED(16, "hdlc.truncated"),
    IP_UNKNOWN_VERSION(17, "ip.unknown_version"),
    IPV4_TRUNCATED(18, "ipv4.truncated"),
    IPV4_BAD_VERSION(19, "ipv4.bad_version"),
    IPV4_BAD_IHL(20, "ipv4.bad_ihl"),
    IPV4_BAD_TOTAL_LENGTH(21, "ipv4.bad_total_length"),
    IPV6_TRUNCATED(22, "ipv6.truncated"),
    IPV6_BAD_VERSION(23, "ipv6.bad_version"),
    IPV6_EXT_TRUNCATED(24, "ipv6.ext_truncated"),
    TCP_TRUNCATED(25, "tcp.truncated"),
    TCP_BAD_DATA_OFFSET(26, "tcp.bad_data_offset"),
    UDP_TRUNCATED(27, "udp.truncated"),
    UDP_BAD_LENGTH(28, "udp.bad_length"),
    SCTP_TRUNCATED(29, "sctp.truncated"),
    ICMP_TRUNCATED(30, "icmp.truncated"),
    ICMPV6_TRUNCATED(31, "icmpv6.truncated"),
    GRE_TRUNCATED(32, "gre.truncated"),
    GRE_UNSUPPORTED_VERSION(33, "gre.unsupported_version"),
    ERSPAN_TRUNCATED(34, "erspan.truncated"),
    VXLAN_TRUNCATED(35, "vxlan.truncated"),
    GENEVE_TRUNCATED(36, "geneve.truncated"),
    GTPU_TRUNCATED(37, "gtpu.truncated"),
    GTPU_BAD_VERSION(38, "gtpu.bad_version"),
    TEREDO_TRUNCATED(39, "teredo.truncated"),
    PBB_TRUNCATED(40, "pbb.truncated"),
    VNTAG_TRUNCATED(41, "vntag.truncated"),
    ETAG_TRUNCATED(42, "etag.truncated"),
    NFLOG_TRUNCATED(43, "nflog.truncated"),
    NFLOG_NO_PAYLOAD(44, "nflog.no_payload"),
    TOO_MANY_LAYERS(45, "decode.too_many_layers"),
    TOO_MANY_TUNNELS(46, "decode.too_many_tunnels"),
    ERSPAN_UNSUPPORTED_FRAME(47, "erspan.unsupported_frame"),
    GENEVE_BAD_VERSION(48, "geneve.bad_version"),
    PPPOE_BAD_VERSION(49, "pppoe.bad_version"),
    AH_TRUNCATED(50, "ah.truncated"),
    FRELAY_TRUNCATED(51, "frelay.truncated"),
    FRELAY_UNSUPPORTED(52, "frelay.unsupported_nlpid"),
    IPOIB_TRUNCATED(53, "ipoib.truncated"),
    MACSEC_TRUNCATED(54, "macsec.truncated"),
    MACSEC_ENCRYPTED(55, "macsec.encrypted"),
    FABRICPATH_TRUNCATED(56, "fabricpath.truncated"),
    VXLAN_GPE_TRUNCATED(57, "vxlan_gpe.truncated"),
    NSH_TRUNCATED(58, "nsh.truncated"),
    NEXT_PROTOCOL_UNSUPPORTED(59, "next_protocol.unsupported"),
    PPI_TRUNCATED(60, "ppi.truncated"),
    WLAN_TRUNCATED(61, "wlan.truncated"),
    WLAN_NO_DATA(62, "wlan.not_data"),
    WLAN_PROTECTED(63, "wlan.protected"),
    RADIOTAP_TRUNCATED(64, "radiotap.truncated");

    private static final DecodeStatus[] BY_CODE;

    static
    {
        int max = 0;
        for (final DecodeStatus s : values())
        {
            max = Math.max(max, s.code);
        }
        BY_CODE = new DecodeStatus[max + 1];
        for (final DecodeStatus s : values())
        {
            if (BY_CODE[s.code] != null)
            {
                throw new IllegalStateException("duplicate status code " + s.code);
            }
            BY_CODE[s.code] = s;
        }
    }

    private final int code;
    private final String reason;

    DecodeStatus(final int code, final String reason)
    {
        this.code = code;
        this.reason = reason;
    }

    /** Stable number stored in {@code MachineInfoRecord#status()}. */
    public int code()
    {
        return code;
    }

    /** Stable name used in JSON output and as the counter name. */
    public String reason()
    {
        return reason;
    }

    public boolean isOk()
    {
        return this == OK;
    }

    /** @return the status with this code, or {@code null} when no status has it. */
    public static DecodeStatus ofCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Largest code in use, for sizing arrays indexed by code. */
    public static int maxCode()
    {
        return BY_CODE.length - 1;
    }
}
