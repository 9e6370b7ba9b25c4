package jp.senbetsu.store.ipfix;

/**
 * The two IPFIX templates of an export (one per IP version), as IANA information elements with their encoded
 * lengths. Only standard elements are used, so any collector understands the file: forward counters are the
 * usual delta counts, the reverse direction uses the RFC 5103 reverse elements (enterprise 29305), times are
 * dateTimeNanoseconds, and the legal basis of each record — the approval and rule that selected it — travels as
 * the PSAMP {@code selectorName} (IE 335), "approval/rule".
 */
enum IpfixTemplate
{
    IPV4(256, 4),
    IPV6(257, 16);

    /** IANA information element numbers (https://www.iana.org/assignments/ipfix). */
    static final int OCTET_DELTA_COUNT = 1;
    static final int PACKET_DELTA_COUNT = 2;
    static final int PROTOCOL_IDENTIFIER = 4;
    static final int TCP_CONTROL_BITS = 6;
    static final int SOURCE_TRANSPORT_PORT = 7;
    static final int SOURCE_IPV4_ADDRESS = 8;
    static final int DESTINATION_TRANSPORT_PORT = 11;
    static final int DESTINATION_IPV4_ADDRESS = 12;
    static final int SOURCE_IPV6_ADDRESS = 27;
    static final int DESTINATION_IPV6_ADDRESS = 28;
    static final int ICMP_TYPE_CODE_IPV4 = 32;
    static final int VLAN_ID = 58;
    static final int FLOW_END_REASON = 136;
    static final int ICMP_TYPE_CODE_IPV6 = 139;
    static final int FLOW_START_NANOSECONDS = 156;
    static final int FLOW_END_NANOSECONDS = 157;
    static final int SELECTOR_NAME = 335;
    /** RFC 5103: reverse information elements carry the enterprise bit and this private enterprise number. */
    static final int REVERSE_PEN = 29305;
    static final int ENTERPRISE_BIT = 0x8000;
    static final int VARIABLE_LENGTH = 0xFFFF;

    final int templateId;
    final int addressLength;

    IpfixTemplate(final int templateId, final int addressLength)
    {
        this.templateId = templateId;
        this.addressLength = addressLength;
    }

    /**
     * Field specifiers in record order: {element, length, enterprise number or 0}.
     */
    int[][] fields()
    {
        final boolean v4 = this == IPV4;
        return new int[][] {
            { FLOW_START_NANOSECONDS, 8, 0 },
            { FLOW_END_NANOSECONDS, 8, 0 },
            { v4 ? SOURCE_IPV4_ADDRESS : SOURCE_IPV6_ADDRESS, addressLength, 0 },
            { v4 ? DESTINATION_IPV4_ADDRESS : DESTINATION_IPV6_ADDRESS, addressLength, 0 },
            { SOURCE_TRANSPORT_PORT, 2, 0 },
            { DESTINATION_TRANSPORT_PORT, 2, 0 },
            { PROTOCOL_IDENTIFIER, 1, 0 },
            { v4 ? ICMP_TYPE_CODE_IPV4 : ICMP_TYPE_CODE_IPV6, 2, 0 },
            { VLAN_ID, 2, 0 },
            { PACKET_DELTA_COUNT, 8, 0 },
            { OCTET_DELTA_COUNT, 8, 0 },
            { TCP_CONTROL_BITS, 2, 0 },
            { PACKET_DELTA_COUNT, 8, REVERSE_PEN },
            { OCTET_DELTA_COUNT, 8, REVERSE_PEN },
            { TCP_CONTROL_BITS, 2, REVERSE_PEN },
            { FLOW_END_REASON, 1, 0 },
            { SELECTOR_NAME, VARIABLE_LENGTH, 0 },
        };
    }
}
