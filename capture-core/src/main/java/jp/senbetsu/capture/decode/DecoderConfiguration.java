package jp.senbetsu.capture.decode;

/**
 * Limits of the {@link PacketDecoder}. They bound the work per packet whatever the packet says: a crafted packet
 * with a thousand nested headers costs at most {@link #maxLayers()} header reads.
 */
public final class DecoderConfiguration
{
    /** Default bytes of each packet the decoder looks at: all of them, up to the largest pcap snaplen. */
    public static final int DEFAULT_SNAPLEN = 262_144;
    /**
     * Default maximum number of nested headers decoded per packet (link, tags, IP, tunnels, transport). Header
     * chains walked in a loop (MPLS labels, IPv6 extension headers, GTP extensions) are bounded by the captured
     * length instead and do not count.
     */
    public static final int DEFAULT_MAX_LAYERS = 64;
    /** Default maximum number of tunnels removed to reach the innermost IP header. */
    public static final int DEFAULT_MAX_TUNNELS = 8;

    private int snaplen = DEFAULT_SNAPLEN;
    private int maxLayers = DEFAULT_MAX_LAYERS;
    private int maxTunnels = DEFAULT_MAX_TUNNELS;

    /** Bytes of each packet the decoder may read; later bytes are treated as not captured. */
    public int snaplen()
    {
        return snaplen;
    }

    public DecoderConfiguration snaplen(final int snaplen)
    {
        if (snaplen < 1)
        {
            throw new IllegalArgumentException("snaplen must be at least 1: " + snaplen);
        }
        this.snaplen = snaplen;
        return this;
    }

    public int maxLayers()
    {
        return maxLayers;
    }

    public DecoderConfiguration maxLayers(final int maxLayers)
    {
        if (maxLayers < 2)
        {
            throw new IllegalArgumentException("maxLayers must be at least 2: " + maxLayers);
        }
        this.maxLayers = maxLayers;
        return this;
    }

    public int maxTunnels()
    {
        return maxTunnels;
    }

    public DecoderConfiguration maxTunnels(final int maxTunnels)
    {
        if (maxTunnels < 0)
        {
            throw new IllegalArgumentException("maxTunnels must not be negative: " + maxTunnels);
        }
        this.maxTunnels = maxTunnels;
        return this;
    }
}
