package jp.senbetsu.capture.ring;

import java.util.concurrent.TimeUnit;

/**
 * Settings of the capture ring and its stages, with documented defaults (see docs/pipeline.md).
 *
 * <table>
 *   <caption>defaults</caption>
 *   <tr><td>ring size</td><td>65,536 slots (power of two)</td></tr>
 *   <tr><td>header bytes</td><td>128: bytes of each frame copied into the ring; the rest is never touched</td></tr>
 *   <tr><td>wait strategy</td><td>{@link WaitStrategyKind#SLEEPING}</td></tr>
 *   <tr><td>sources</td><td>1 (single producer); more makes the ring multi-producer</td></tr>
 *   <tr><td>flow shards</td><td>1 thread</td></tr>
 *   <tr><td>wall-clock tick</td><td>0 (off, files: time is packet time); live sources use 1 s</td></tr>
 *   <tr><td>decode on source</td><td>false: a decode stage thread of its own</td></tr>
 * </table>
 */
public final class CaptureRingConfiguration
{
    public static final int DEFAULT_RING_SIZE = 1 << 16;
    public static final int DEFAULT_HEADER_BYTES = 128;
    /**
     * SLEEPING: on a small machine the source, decode and flow threads outnumber the cores, and spinning waiters
     * (YIELDING) took CPU from the working stages (RingHandoffBenchmark: about half the hand-off rate). With a
     * dedicated core per stage, YIELDING or BUSY_SPIN lower the latency.
     */
    public static final WaitStrategyKind DEFAULT_WAIT_STRATEGY = WaitStrategyKind.SLEEPING;
    public static final long LIVE_TICK_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private int ringSize = DEFAULT_RING_SIZE;
    private int headerBytes = DEFAULT_HEADER_BYTES;
    private WaitStrategyKind waitStrategy = DEFAULT_WAIT_STRATEGY;
    private int sources = 1;
    private int flowShards = 1;
    private long tickIntervalNs;
    private boolean decodeOnSource;

    /** Slots in the ring (a power of two). */
    public int ringSize()
    {
        return ringSize;
    }

    public CaptureRingConfiguration ringSize(final int v)
    {
        ringSize = v;
        return this;
    }

    /** At most this many leading bytes of each frame are copied into a slot (a headers-only snaplen). */
    public int headerBytes()
    {
        return headerBytes;
    }

    public CaptureRingConfiguration headerBytes(final int v)
    {
        headerBytes = v;
        return this;
    }

    public WaitStrategyKind waitStrategy()
    {
        return waitStrategy;
    }

    public CaptureRingConfiguration waitStrategy(final WaitStrategyKind v)
    {
        waitStrategy = v;
        return this;
    }

    /** Sources that publish into the ring; more than one makes it multi-producer. */
    public int sources()
    {
        return sources;
    }

    public CaptureRingConfiguration sources(final int v)
    {
        sources = v;
        return this;
    }

    /** Flow-meter threads; flows are spread over them by a symmetric hash of their key. */
    public int flowShards()
    {
        return flowShards;
    }

    public CaptureRingConfiguration flowShards(final int v)
    {
        flowShards = v;
        return this;
    }

    /**
     * How often a wall-clock tick is put into the ring so that flows time out while no packet arrives (live
     * sources); 0 means time is packet time only (files).
     */
    public long tickIntervalNs()
    {
        return tickIntervalNs;
    }

    public CaptureRingConfiguration tickIntervalNs(final long v)
    {
        tickIntervalNs = v;
        return this;
    }

    /**
     * Whether the (single) source thread decodes each packet straight from its own buffer into the slot's record
     * before publishing, instead of copying the header bytes into the slot for a decode stage thread. One thread
     * and one hand-off fewer, the header bytes are decoded while still in cache, and no frame byte ever enters
     * the ring; but the decoder's time is spent on the capture thread, and a slow decoder slows the source
     * instead of filling the ring. For files (lab tools, ingest) and machines with fewer cores than stages.
     * Needs exactly one source.
     */
    public boolean decodeOnSource()
    {
        return decodeOnSource;
    }

    public CaptureRingConfiguration decodeOnSource(final boolean v)
    {
        decodeOnSource = v;
        return this;
    }

    /** Throws {@link IllegalArgumentException} naming the first setting that is out of range. */
    public CaptureRingConfiguration validate()
    {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("ring size must be a power of two >= 2: " + ringSize);
        }
        if (headerBytes < 14 || headerBytes > 65535)
        {
            throw new IllegalArgumentException("header bytes must be in 14..65535: " + headerBytes);
        }
        if (sources < 1)
        {
            throw new IllegalArgumentException("sources must be >= 1: " + sources);
        }
        if (decodeOnSource && sources != 1)
        {
            throw new IllegalArgumentException("decode on source needs exactly one source: " + sources);
        }
        if (flowShards < 1 || flowShards > 64)
        {
            throw new IllegalArgumentException("flow shards must be in 1..64: " + flowShards);
        }
        if (tickIntervalNs < 0)
        {
            throw new IllegalArgumentException("tick interval must not be negative: " + tickIntervalNs);
        }
        if (waitStrategy == null)
        {
            throw new IllegalArgumentException("wait strategy must be set");
        }
        return this;
    }
}
