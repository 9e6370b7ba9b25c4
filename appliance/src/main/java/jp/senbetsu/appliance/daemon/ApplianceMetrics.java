package jp.senbetsu.appliance.daemon;

import java.util.LinkedHashMap;
import java.util.Map;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.decode.DecodeCounters;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.ring.CapturePipeline;
import jp.senbetsu.selector.match.DiscardReason;
import jp.senbetsu.selector.match.Selector;
import jp.senbetsu.store.SealedStore;

/**
 * Everything the appliance counts, in the two forms it is read: the Prometheus text a scrape gets and the totals
 * that {@code ingest} prints and the audit log's stop entry keeps. Counters only — what survives of traffic that
 * was not selected, and how far the store has acknowledged what was.
 */
final class ApplianceMetrics
{
    private final MetricsRegistry registry;
    private final DecodeCounters decodeCounters;
    private final SelectionStage selection;
    private final StoreWriter writer;
    private final SealedStore store;

    ApplianceMetrics(final MetricsRegistry registry, final DecodeCounters decodeCounters,
        final SelectionStage selection, final StoreWriter writer, final SealedStore store)
    {
        this.registry = registry;
        this.decodeCounters = decodeCounters;
        this.selection = selection;
        this.writer = writer;
        this.store = store;
    }

    /**
     * Packets per category (内内 and unknown are dropped before the flow table), flows selected per category,
     * flows discarded per category and reason, summed over the flow shards.
     */
    Map<String, Long> totals()
    {
        final Map<String, Long> totals = new LinkedHashMap<>();
        for (final Category category : Category.values())
        {
            totals.put("packets." + category.label(),
                registry.value(CapturePipeline.CATEGORY_PACKETS, "category", category.label()));
        }
        for (final Category category : Category.values())
        {
            if (category.eligible())
            {
                totals.put("selected." + category.label(), selected(category));
            }
            for (final DiscardReason reason : DiscardReason.values())
            {
                final long discarded = discarded(category, reason);
                if (discarded > 0)
                {
                    totals.put("discarded." + category.label() + "." + reason.label(), discarded);
                }
            }
        }
        if (selection.lost() > 0)
        {
            // selected, never queued for the store: the store writer had failed, or writing that record failed
            totals.put("selected.lost", selection.lost());
        }
        if (writer.rejected() > 0)
        {
            // queued, but not a record of its message's length: refused by the store, never sealed
            totals.put("selected.rejected", writer.rejected());
        }
        return totals;
    }

    /** Writes the Prometheus text exposition (format 0.0.4) of every counter. */
    void render(final StringBuilder out)
    {
        registry.renderPrometheus(out);
        header(out, "senbetsu_selection_flows_total", "counter", "Flows decided, by category and outcome.");
        for (final Category category : Category.values())
        {
            if (category.eligible())
            {
                out.append("senbetsu_selection_flows_total{outcome=\"selected\",category=\"").append(category.label())
                    .append("\"} ").append(selected(category)).append('\n');
            }
            for (final DiscardReason reason : DiscardReason.values())
            {
                final long discarded = discarded(category, reason);
                if (discarded > 0)
                {
                    out.append("senbetsu_selection_flows_total{outcome=\"discarded\",category=\"")
                        .append(category.label()).append("\",reason=\"").append(reason.label()).append("\"} ")
                        .append(discarded).append('\n');
                }
            }
        }
        header(out, "senbetsu_selection_lost_total", "counter",
            "Selected flows never queued for the sealed store: its writer had failed, or writing the record failed.");
        out.append("senbetsu_selection_lost_total ").append(selection.lost()).append('\n');
        header(out, "senbetsu_store_rejected_total", "counter",
            "Queued selected records the store refused as malformed (a selection defect); never sealed.");
        out.append("senbetsu_store_rejected_total ").append(writer.rejected()).append('\n');
        header(out, "senbetsu_decode_status_total", "counter", "Packets by decode outcome (ok, or why decoding stopped).");
        decodeCounters.forEachNonZero((status, count) -> out.append("senbetsu_decode_status_total{status=\"")
            .append(status.reason()).append("\"} ").append(count).append('\n'));
        header(out, "senbetsu_store_records_acknowledged_total", "counter", "Selected records sealed and acknowledged.");
        out.append("senbetsu_store_records_acknowledged_total ").append(store.recordsAcknowledged()).append('\n');
        header(out, "senbetsu_store_pending_records", "gauge", "Selected records not yet acknowledged (store lag).");
        out.append("senbetsu_store_pending_records ").append(Math.max(0, pending())).append('\n');
    }

    /** Selected records queued or in an open batch: selected so far minus acknowledged. */
    private long pending()
    {
        return selection.totalSelected() - selection.lost() - writer.rejected() - store.recordsAcknowledged();
    }

    private long selected(final Category category)
    {
        long selected = 0;
        for (final Selector selector : selection.selectors())
        {
            selected += selector.counters().selected(category);
        }
        return selected;
    }

    private long discarded(final Category category, final DiscardReason reason)
    {
        long discarded = 0;
        for (final Selector selector : selection.selectors())
        {
            discarded += selector.counters().discarded(category, reason);
        }
        return discarded;
    }

    private static void header(final StringBuilder out, final String name, final String type, final String help)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
