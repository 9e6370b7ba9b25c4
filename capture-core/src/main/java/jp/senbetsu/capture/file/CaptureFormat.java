package jp.senbetsu.capture.file;

/**
 * Container format of a capture file, as detected from its magic number (never from its name). Gzip
 * compression is orthogonal and reported by {@link CaptureFileStats#compressed()}.
 */
public enum CaptureFormat
{
    /** Classic libpcap format, microsecond timestamps (magic a1b2c3d4 in either byte order). */
    PCAP_MICROSECONDS,
    /** Classic libpcap format, nanosecond timestamps (magic a1b23c4d in either byte order). */
    PCAP_NANOSECONDS,
    /** pcapng (Section Header Block 0x0A0D0D0A); sections may differ in byte order. */
    PCAPNG
}
