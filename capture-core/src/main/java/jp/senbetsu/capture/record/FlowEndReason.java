package jp.senbetsu.capture.record;

/**
 * Why a flow ended, with the IPFIX flowEndReason codes (IANA "flowEndReason" registry, RFC 5102 §5.11.3)
 * so that export needs no mapping.
 */
public enum FlowEndReason
{
    IDLE_TIMEOUT(1, "idle"),
    ACTIVE_TIMEOUT(2, "active"),
    END_OF_FLOW(3, "end"),
    FORCED_END(4, "forced"),
    LACK_OF_RESOURCES(5, "resources");

    private final int code;
    private final String label;

    FlowEndReason(final int code, final String label)
    {
        this.code = code;
        this.label = label;
    }

    /** IPFIX flowEndReason value. */
    public int code()
    {
        return code;
    }

    /** Name printed in JSON output. */
    public String label()
    {
        return label;
    }

    public static FlowEndReason ofCode(final int code)
    {
        for (final FlowEndReason r : values())
        {
            if (r.code == code)
            {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown flowEndReason " + code);
    }
}
