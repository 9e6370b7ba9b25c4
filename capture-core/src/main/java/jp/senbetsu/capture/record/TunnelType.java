package jp.senbetsu.capture.record;

/**
 * The tunnel kinds the decoder removes, with the stable code stored in a record and the name printed in
 * JSON output. Codes are part of the record format: append, never renumber.
 */
public enum TunnelType
{
    NONE(0, "none"),
    GRE(1, "gre"),
    ERSPAN_II(2, "erspan2"),
    ERSPAN_III(3, "erspan3"),
    VXLAN(4, "vxlan"),
    GENEVE(5, "geneve"),
    GTP_U(6, "gtpu"),
    IP_IN_IP(7, "ipip"),
    SIX_IN_FOUR(8, "6in4"),
    FOUR_IN_SIX(9, "4in6"),
    SIX_IN_SIX(10, "6in6"),
    TEREDO(11, "teredo"),
    ERSPAN_I(12, "erspan1"),
    MPLS_IN_UDP(13, "mpls-udp"),
    /** Appended by the decoder work: VXLAN-GPE (UDP 4790), whose next-protocol field may be IP, Ethernet or NSH. */
    VXLAN_GPE(14, "vxlan-gpe");

    private static final TunnelType[] BY_CODE;

    static
    {
        int max = 0;
        for (final TunnelType t : values())
        {
            max = Math.max(max, t.code);
        }
        BY_CODE = new TunnelType[max + 1];
        for (final TunnelType t : values())
        {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final String label;

    TunnelType(final int code, final String label)
    {
        this.code = code;
        this.label = label;
    }

    public int code()
    {
        return code;
    }

    /** Name used in JSON output and documentation. */
    public String label()
    {
        return label;
    }

    public static TunnelType ofCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length && BY_CODE[code] != null ? BY_CODE[code] : NONE;
    }
}
