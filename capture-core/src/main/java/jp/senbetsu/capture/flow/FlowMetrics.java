package jp.senbetsu.capture.flow;

import jp.senbetsu.capture.metrics.Counter;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.FlowEndReason;

/**
 * The counters of one flow table (one shard), registered under a {@code shard} label so that each has a single
 * writer. Names are part of the appliance's metrics interface: see docs/pipeline.md.
 */
public final class FlowMetrics
{
    public static final String PACKETS = "senbetsu_flow_packets_total";
    public static final String BYTES = "senbetsu_flow_bytes_total";
    public static final String ACTIVE = "senbetsu_flows_active";
    public static final String CREATED = "senbetsu_flows_created_total";
    public static final String ENDED = "senbetsu_flows_ended_total";
    public static final String EMERGENCY = "senbetsu_flows_emergency_expiries_total";
    public static final String MEMORY_LOCKED = "senbetsu_flow_table_memory_locked";

    final Counter packets;
    final Counter bytes;
    final Counter active;
    final Counter created;
    final Counter emergencyExpiries;
    final Counter memoryLocked;
    private final Counter[] endedByCode = new Counter[6];

    public FlowMetrics(final MetricsRegistry registry, final int shard)
    {
        final String s = Integer.toString(shard);
        packets = registry.counter(PACKETS, "Packets metered into flows.", "shard", s);
        bytes = registry.counter(BYTES, "Wire bytes metered into flows.", "shard", s);
        active = registry.gauge(ACTIVE, "Flows open in the flow table.", "shard", s);
        created = registry.counter(CREATED, "Flows created.", "shard", s);
        emergencyExpiries = registry.counter(
            EMERGENCY, "Flows ended early because the flow table was full (lack of resources).", "shard", s);
        memoryLocked = registry.gauge(MEMORY_LOCKED,
            "1 if the flow table's entries are locked in memory (never swapped); 0: raise RLIMIT_MEMLOCK.", "shard", s);
        for (final FlowEndReason reason : FlowEndReason.values())
        {
            endedByCode[reason.code()] = registry.counter(
                ENDED, "Flows ended, by IPFIX flowEndReason.", "shard", s, "reason", reason.label());
        }
    }

    Counter ended(final int reasonCode)
    {
        return endedByCode[reasonCode];
    }
}
