package jp.senbetsu.capture.ring;

/** What a source does when the ring is full. */
public enum SourceMode
{
    /** A live capture: never block the capture thread; drop the packet and count it as {@code ring.full}. */
    LIVE,
    /** A capture file: wait for a free slot, so nothing is lost. */
    FILE
}
