package jp.senbetsu.capture.source;

/**
 * How a packet broker wraps the mirrored frames it sends over UDP, with the port it uses by default.
 * The broker's own session ID (VNI) identifies the mirror session, not the monitored traffic, so it is counted
 * but not put in records; the inner frame is what gets decoded.
 */
public enum MirrorEncapsulation
{
    /** RFC 7348: 8-byte header, flags byte with the I bit (0x08), 24-bit VNI. */
    VXLAN(4789),
    /** RFC 8926: 8-byte header plus options; protocol type 0x6558 (transparent Ethernet bridging). */
    GENEVE(6081);

    private final int defaultPort;

    MirrorEncapsulation(final int defaultPort)
    {
        this.defaultPort = defaultPort;
    }

    public int defaultPort()
    {
        return defaultPort;
    }
}
