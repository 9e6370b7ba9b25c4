package jp.senbetsu.capture.flow;

import java.util.concurrent.TimeUnit;

/**
 * Settings of the flow meter, with the defaults an exchange-point appliance starts with. Every setter returns
 * this; {@link #validate()} names the setting that is wrong. See docs/flows.md for why each default was chosen.
 *
 * <table>
 *   <caption>defaults</caption>
 *   <tr><td>idle timeout</td><td>60 s (nfdump's inactive timeout; YAF uses 300 s)</td></tr>
 *   <tr><td>active timeout</td><td>1800 s (YAF's default; nfdump uses 300 s)</td></tr>
 *   <tr><td>maximum flows</td><td>1,048,576 per table (192 bytes each plus 16 bytes of index)</td></tr>
 *   <tr><td>wheel tick</td><td>1 s: idle and active expiry happen at most this late</td></tr>
 *   <tr><td>VLAN / tunnel ID in the key</td><td>off / off</td></tr>
 *   <tr><td>fragment table</td><td>65,536 entries, 30 s</td></tr>
 *   <tr><td>prefault memory</td><td>on: the whole table is resident from the start (off for short lab runs)</td></tr>
 * </table>
 */
public final class FlowConfiguration
{
    public static final long DEFAULT_IDLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    public static final long DEFAULT_ACTIVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1800);
    public static final int DEFAULT_MAX_FLOWS = 1 << 20;
    public static final long DEFAULT_WHEEL_TICK_NS = TimeUnit.SECONDS.toNanos(1);
    public static final int DEFAULT_WHEEL_BUCKETS = 4096;
    public static final int DEFAULT_FRAGMENT_ENTRIES = 1 << 16;
    public static final long DEFAULT_FRAGMENT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    /** Upper limit of {@link #maxFlows()}: the entry memory of one table stays below 2 GiB. */
    public static final int MAX_FLOWS_LIMIT = 1 << 23;
    /** When both timeouts are off, flows are still kept in time order this far ahead for eviction. */
    public static final long UNTIMED_HORIZON_NS = TimeUnit.SECONDS.toNanos(3600);

    private long idleTimeoutNs = DEFAULT_IDLE_TIMEOUT_NS;
    private long activeTimeoutNs = DEFAULT_ACTIVE_TIMEOUT_NS;
    private int maxFlows = DEFAULT_MAX_FLOWS;
    private long wheelTickNs = DEFAULT_WHEEL_TICK_NS;
    private int wheelBuckets = DEFAULT_WHEEL_BUCKETS;
    private boolean vlanInKey;
    private boolean tunnelInKey;
    private int fragmentEntries = DEFAULT_FRAGMENT_ENTRIES;
    private long fragmentTimeoutNs = DEFAULT_FRAGMENT_TIMEOUT_NS;
    private boolean prefaultMemory = true;

    /** A flow with no packet for this long ends with reason idle; 0 turns idle expiry off. */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    public FlowConfiguration idleTimeoutNs(final long v)
    {
        idleTimeoutNs = v;
        return this;
    }

    /** A flow that has lasted this long ends with reason active and continues as a new flow; 0 turns it off. */
    public long activeTimeoutNs()
    {
        return activeTimeoutNs;
    }

    public FlowConfiguration activeTimeoutNs(final long v)
    {
        activeTimeoutNs = v;
        return this;
    }

    /** Open flows a table holds at most; beyond it the oldest are ended with reason lack of resources. */
    public int maxFlows()
    {
        return maxFlows;
    }

    public FlowConfiguration maxFlows(final int v)
    {
        maxFlows = v;
        return this;
    }

    /** Granularity of the timing wheel that drives expiry. */
    public long wheelTickNs()
    {
        return wheelTickNs;
    }

    public FlowConfiguration wheelTickNs(final long v)
    {
        wheelTickNs = v;
        return this;
    }

    /** Buckets of the timing wheel (power of two); ticks times buckets should exceed the longest timeout. */
    public int wheelBuckets()
    {
        return wheelBuckets;
    }

    public FlowConfiguration wheelBuckets(final int v)
    {
        wheelBuckets = v;
        return this;
    }

    /** Whether the outermost VLAN ID is part of the flow key. */
    public boolean vlanInKey()
    {
        return vlanInKey;
    }

    public FlowConfiguration vlanInKey(final boolean v)
    {
        vlanInKey = v;
        return this;
    }

    /** Whether tunnel type and ID (VNI, GRE key, TEID) are part of the flow key. */
    public boolean tunnelInKey()
    {
        return tunnelInKey;
    }

    public FlowConfiguration tunnelInKey(final boolean v)
    {
        tunnelInKey = v;
        return this;
    }

    /** Entries of the first-fragment table (power of two). */
    public int fragmentEntries()
    {
        return fragmentEntries;
    }

    public FlowConfiguration fragmentEntries(final int v)
    {
        fragmentEntries = v;
        return this;
    }

    /** How long a first fragment's ports stay usable for its later fragments. */
    public long fragmentTimeoutNs()
    {
        return fragmentTimeoutNs;
    }

    public FlowConfiguration fragmentTimeoutNs(final long v)
    {
        fragmentTimeoutNs = v;
        return this;
    }

    /**
     * Whether the flow and fragment tables' memory is made resident when they are built (the appliance: memory is
     * claimed, locked and stable from the start, so a shortage shows at start-up, not under load) or page by page
     * as flows first use it (a lab run over one capture: it pays only for the flows the capture has). The bound is
     * the same either way.
     */
    public boolean prefaultMemory()
    {
        return prefaultMemory;
    }

    public FlowConfiguration prefaultMemory(final boolean v)
    {
        prefaultMemory = v;
        return this;
    }

    /**
     * Bytes of direct memory one {@link FlowTable} with this configuration reserves, all at construction (resident
     * then or as first used: {@link #prefaultMemory()}); the table never holds more.
     */
    public long tableMemoryBytes()
    {
        return FlowTable.memoryBytes(this);
    }

    /** Throws {@link IllegalArgumentException} naming the first setting that is out of range. */
    public FlowConfiguration validate()
    {
        require(idleTimeoutNs >= 0, "idle timeout must not be negative: " + idleTimeoutNs);
        require(activeTimeoutNs >= 0, "active timeout must not be negative: " + activeTimeoutNs);
        require(maxFlows >= 1 && maxFlows <= MAX_FLOWS_LIMIT,
            "max flows must be in 1.." + MAX_FLOWS_LIMIT + ": " + maxFlows);
        require(wheelTickNs > 0, "wheel tick must be positive: " + wheelTickNs);
        require(wheelBuckets >= 2 && Integer.bitCount(wheelBuckets) == 1,
            "wheel buckets must be a power of two >= 2: " + wheelBuckets);
        require(fragmentEntries >= 1 && Integer.bitCount(fragmentEntries) == 1,
            "fragment entries must be a power of two: " + fragmentEntries);
        require(fragmentTimeoutNs > 0, "fragment timeout must be positive: " + fragmentTimeoutNs);
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
