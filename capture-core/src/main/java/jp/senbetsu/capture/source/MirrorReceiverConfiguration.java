package jp.senbetsu.capture.source;

/**
 * Settings of a UDP mirror-feed receiver.
 *
 * @param bindAddress     local address to listen on (default {@value #DEFAULT_BIND_ADDRESS}: all; restrict it to
 *                        the mirror network's interface address in production).
 * @param port            UDP port (default: the encapsulation's IANA port, 4789 or 6081).
 * @param encapsulation   VXLAN or Geneve.
 * @param interfaceIndex  index recorded with every frame of this feed (default 0).
 * @param receiveBuffer   SO_RCVBUF in bytes (default {@value #DEFAULT_RECEIVE_BUFFER}); the kernel caps it at
 *                        net.core.rmem_max.
 */
public record MirrorReceiverConfiguration(
    String bindAddress,
    int port,
    MirrorEncapsulation encapsulation,
    int interfaceIndex,
    int receiveBuffer)
{
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_RECEIVE_BUFFER = 32 << 20;

    public MirrorReceiverConfiguration
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
        if (encapsulation == null)
        {
            throw new IllegalArgumentException("encapsulation is required");
        }
    }

    public static MirrorReceiverConfiguration defaults(final MirrorEncapsulation encapsulation)
    {
        return new MirrorReceiverConfiguration(DEFAULT_BIND_ADDRESS, encapsulation.defaultPort(), encapsulation, 0,
            DEFAULT_RECEIVE_BUFFER);
    }
}
