package jp.senbetsu.capture.metrics;

/** Prometheus metric types the registry renders; the name is what follows {@code # TYPE}. */
public enum MetricKind
{
    /** Only ever grows (packets, bytes, drops). */
    COUNTER("counter"),
    /** Goes up and down, or is a high-water mark (active flows, ring occupancy). */
    GAUGE("gauge");

    private final String exposition;

    MetricKind(final String exposition)
    {
        this.exposition = exposition;
    }

    public String exposition()
    {
        return exposition;
    }
}
