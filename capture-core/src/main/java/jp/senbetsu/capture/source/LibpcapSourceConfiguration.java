package jp.senbetsu.capture.source;

/**
 * Settings of one live libpcap capture, with the defaults an appliance should start from.
 *
 * @param device          interface to capture on, e.g. {@code ens1f0} (required).
 * @param interfaceIndex  index recorded with every packet of this source (default 0).
 * @param snaplen         bytes captured per frame; headers only by default ({@value #DEFAULT_SNAPLEN}), which
 *                        also keeps the kernel ring from filling with payload nobody may read.
 * @param bufferBytes     kernel capture buffer (default {@value #DEFAULT_BUFFER_BYTES}); with a headers-only
 *                        snaplen it holds hundreds of thousands of frames.
 * @param promiscuous     receive frames not addressed to the interface (default true: a tap port needs it).
 * @param filter          BPF filter expression, empty for none (default empty).
 * @param batch           most packets read per duty cycle before yielding (default {@value #DEFAULT_BATCH}).
 */
public record LibpcapSourceConfiguration(
    String device,
    int interfaceIndex,
    int snaplen,
    int bufferBytes,
    boolean promiscuous,
    String filter,
    int batch)
{
    public static final int DEFAULT_SNAPLEN = 128;
    public static final int DEFAULT_BUFFER_BYTES = 64 << 20;
    public static final int DEFAULT_BATCH = 256;
    /** libpcap's own floor; smaller snaplens cannot hold an Ethernet+IPv6+TCP header. */
    public static final int MIN_SNAPLEN = 96;

    public LibpcapSourceConfiguration
    {
        if (device == null || device.isBlank())
        {
            throw new IllegalArgumentException("capture device is required");
        }
        if (snaplen < MIN_SNAPLEN || snaplen > 262_144)
        {
            throw new IllegalArgumentException("snaplen " + snaplen + " outside " + MIN_SNAPLEN + "..262144");
        }
        if (bufferBytes < (1 << 20))
        {
            throw new IllegalArgumentException("buffer of " + bufferBytes + " bytes is below 1 MiB");
        }
        if (batch < 1)
        {
            throw new IllegalArgumentException("batch must be at least 1");
        }
        filter = filter == null ? "" : filter;
    }

    /** A configuration with every default for the given device. */
    public static LibpcapSourceConfiguration defaults(final String device)
    {
        return new LibpcapSourceConfiguration(device, 0, DEFAULT_SNAPLEN, DEFAULT_BUFFER_BYTES, true, "", DEFAULT_BATCH);
    }
}
