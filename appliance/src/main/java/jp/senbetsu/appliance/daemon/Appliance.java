package jp.senbetsu.appliance.daemon;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jp.senbetsu.appliance.config.TrustedKeys;
import jp.senbetsu.appliance.metrics.MetricsEndpoint;
import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.decode.DecodeCounters;
import jp.senbetsu.capture.decode.DecoderConfiguration;
import jp.senbetsu.capture.decode.PacketDecoder;
import jp.senbetsu.capture.file.CaptureFileReader;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.ring.CapturePipeline;
import jp.senbetsu.capture.ring.FrameDecoder;
import jp.senbetsu.capture.ring.RingPublisher;
import jp.senbetsu.capture.ring.SourceMode;
import jp.senbetsu.capture.source.LibpcapSource;
import jp.senbetsu.capture.source.MirrorReceiver;
import jp.senbetsu.selector.match.DiscardReason;
import jp.senbetsu.selector.match.SelectionHolder;
import jp.senbetsu.selector.match.Selector;
import jp.senbetsu.selector.rules.Approval;
import jp.senbetsu.selector.signature.ApproverKey;
import jp.senbetsu.selector.signature.RuleSetLoader;
import jp.senbetsu.selector.signature.VerifiedRuleSet;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.DomesticTableFile;
import jp.senbetsu.store.SealedStore;
import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.retention.RetentionEraser;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The whole appliance in one object: source → ring → decode → classify → flows → select → seal → store, wired
 * from an {@link ApplianceConfiguration}. {@link #start} opens the store as the operator (audited), verifies and
 * activates the signed rule set, and starts the stages; {@link #reloadSelection()} swaps in a new rule set and
 * table atomically or keeps the old ones; {@link #close()} stops the sources, drains the ring, ends every open
 * flow (forced end), selects, seals and acknowledges everything, and records the stop with its counters.
 *
 * <p>Nothing unselected leaves memory: the only writer of files is the sealed store, and it is only ever given
 * {@code SelectedFlowRecord}s.
 */
public final class Appliance implements AutoCloseable
{
    private final ApplianceConfiguration configuration;
    private final Path configFile;
    private final StoreSession session;
    private final SelectionHolder holder = new SelectionHolder();
    private final MetricsRegistry registry = new MetricsRegistry();
    private final DecodeCounters decodeCounters = new DecodeCounters();
    private final SealedStore store;
    private final SelectionStage selection;
    private final StoreWriter writer;
    private final AgentRunner writerRunner;
    private final CapturePipeline pipeline;
    private final List<AgentRunner> liveSources = new ArrayList<>();
    private final List<MirrorReceiver> mirrors = new ArrayList<>();
    private final MasterKeyStore master;
    private ScheduledExecutorService retention;
    private MetricsEndpoint metrics;
    private boolean closed;

    private Appliance(final ApplianceConfiguration configuration, final Path configFile, final String action)
    {
        this.configuration = configuration;
        this.configFile = configFile;
        this.session = StoreSession.open(configuration.store().directory(), Role.OPERATOR, action);
        SealedStore opened = null;
        MasterKeyStore unlocked = null;
        try
        {
            unlocked = session.unlock(configuration.store().credentialFile());
            final MasterKeyStore master = unlocked;
            session.record(AuditEvent.CONFIG_LOAD, Map.of("file", configFile.toAbsolutePath().toString()));
            activate(loadSelection());
            opened = SealedStore.open(configuration.store().storeConfiguration(), master, session.audit(),
                session.actor());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(opened);
            session.close();
            throw ex;
        }
        this.store = opened;
        this.master = unlocked;
        final int capacity = configuration.selectedQueueBytes() + RingBufferDescriptor.TRAILER_LENGTH;
        final ManyToOneRingBuffer queue = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity)));
        this.writer = new StoreWriter(queue, store);
        this.selection = new SelectionStage(holder, queue, writer);
        this.writerRunner = new AgentRunner(new BackoffIdleStrategy(), this::stageFailed, null, writer);
        AgentRunner.startOnThread(writerRunner);
        final PacketDecoder decoder = new PacketDecoder(
            new DecoderConfiguration().snaplen(configuration.ring().headerBytes()), decodeCounters);
        final FrameDecoder frameDecoder = (linkType, frame, offset, length, record) -> decoder.decode(
            record.interfaceIndex(), linkType, record.timestampNs(), record.wireLength(), frame, offset, length, record);
        this.pipeline = new CapturePipeline(configuration.ring(), configuration.flows(), frameDecoder,
            holder.classifier(), selection, registry);
    }

    /**
     * Opens the store, activates the rule set and starts the pipeline, with no source yet.
     *
     * @param action what this run is, for the audit log ("run the appliance", "ingest capture files").
     */
    public static Appliance start(final ApplianceConfiguration configuration, final Path configFile,
        final String action)
    {
        final Appliance appliance = new Appliance(configuration, configFile, action);
        appliance.session.record(AuditEvent.APPLIANCE_START, Map.of("action", action,
            "sources", configuration.sources().size()));
        return appliance;
    }

    /** Starts every configured live source and the metrics endpoint. */
    public void startLive()
    {
        for (final SourceSpec spec : configuration.sources())
        {
            final RingPublisher publisher = pipeline.publisher(SourceMode.LIVE);
            switch (spec)
            {
                case SourceSpec.Libpcap libpcap ->
                {
                    final LibpcapSource source = new LibpcapSource(libpcap.configuration(), publisher);
                    final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(), this::stageFailed, null,
                        source);
                    liveSources.add(runner);
                    AgentRunner.startOnThread(runner);
                }
                case SourceSpec.Mirror mirror -> mirrors.add(new MirrorReceiver(mirror.configuration(), publisher));
            }
        }
        final Duration eraseInterval = configuration.store().eraseInterval();
        if (!eraseInterval.isZero())
        {
            retention = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "senbetsu-retention"));
            retention.scheduleWithFixedDelay(this::eraseExpired, 0, eraseInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (configuration.metrics().enabled())
        {
            metrics = new MetricsEndpoint(configuration.metrics().bind(), configuration.metrics().port(),
                this::renderMetrics);
        }
    }

    /** Reads capture files through the pipeline, one after the other, as one capture (nothing is dropped). */
    public long ingest(final List<Path> files)
    {
        final RingPublisher publisher = pipeline.publisher(SourceMode.FILE);
        long packets = 0;
        for (final Path file : files)
        {
            session.record(AuditEvent.CONFIG_LOAD, Map.of("capture_file", file.toAbsolutePath().toString()));
            try (CaptureFileReader reader = CaptureFileReader.open(file))
            {
                packets += reader.read(publisher);
            }
        }
        return packets;
    }

    /**
     * Verifies and activates the rule set and table named in the configuration again (SIGHUP). A set that does not
     * verify is refused, audited, and the previous one stays active.
     *
     * @return the error that refused the new set, or null when it was activated.
     */
    public synchronized SenbetsuException reloadSelection()
    {
        try
        {
            activate(loadSelection());
            return null;
        }
        catch (final SenbetsuException ex)
        {
            session.record(AuditEvent.RULESET_ACTIVATE, Map.of("outcome", "refused", "reason", ex.getMessage()));
            return ex;
        }
    }

    /**
     * Crypto-shreds every partition whose records' retention has passed (each approval's own period), recording
     * each erasure in the audit log. Runs on the retention thread of a live appliance; failures are counted and
     * retried at the next interval, never fatal to capture.
     */
    public void eraseExpired()
    {
        try
        {
            final int erased = new RetentionEraser(session, master).eraseExpired(System.currentTimeMillis()).size();
            registry.counter("senbetsu_partitions_erased_total", "Partitions crypto-shredded after retention.")
                .addAtomic(erased);
        }
        catch (final RuntimeException ex)
        {
            registry.counter("senbetsu_agent_errors_total", "Exceptions that stopped an appliance agent.", "agent",
                "retention").addAtomic(1);
        }
    }

    /**
     * What survives of the traffic: packets per category (内内 and unknown dropped before the flow table), then
     * flows selected per category and discarded per category and reason, summed over the flow shards.
     */
    public Map<String, Long> selectionTotals()
    {
        final Map<String, Long> totals = new LinkedHashMap<>();
        for (final Category category : Category.values())
        {
            totals.put("packets." + category.label(),
                registry.value(CapturePipeline.CATEGORY_PACKETS, "category", category.label()));
        }
        for (final Category category : Category.values())
        {
            long selected = 0;
            for (final Selector selector : selection.selectors())
            {
                selected += selector.counters().selected(category);
            }
            if (category.eligible())
            {
                totals.put("selected." + category.label(), selected);
            }
            for (final DiscardReason reason : DiscardReason.values())
            {
                long discarded = 0;
                for (final Selector selector : selection.selectors())
                {
                    discarded += selector.counters().discarded(category, reason);
                }
                if (discarded > 0)
                {
                    totals.put("discarded." + category.label() + "." + reason.label(), discarded);
                }
            }
        }
        return totals;
    }

    /** Records the store has acknowledged (sealed, written and synced per configuration) in this run. */
    public long recordsAcknowledged()
    {
        return store.recordsAcknowledged();
    }

    /** Sequence of the last acknowledged batch. */
    public long lastAcknowledgedSequence()
    {
        return store.lastAcknowledgedSequence();
    }

    /** The pipeline's counters (packets, drops by cause, ring, flows). */
    public MetricsRegistry metrics()
    {
        return registry;
    }

    /** The port the metrics endpoint listens on, or -1 when it is off. */
    public int metricsPort()
    {
        return metrics == null ? -1 : metrics.port();
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try
        {
            // 1. no new packets; 2. every published packet metered and every open flow ended (forced end), which
            // runs selection; 3. everything selected appended, sealed and acknowledged.
            if (retention != null)
            {
                retention.shutdownNow();
                retention.awaitTermination(1, TimeUnit.MINUTES);
            }
            CloseHelper.closeAll(liveSources);
            CloseHelper.closeAll(mirrors);
            pipeline.close();
            writerRunner.close();
            if (writer.failure() != null)
            {
                throw new SenbetsuException("the sealed store failed: " + writer.failure().getMessage()
                    + "; batches up to sequence " + store.lastAcknowledgedSequence() + " are acknowledged",
                    writer.failure());
            }
            writer.drainAndFlush();
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            failure = new SenbetsuException("interrupted while stopping", ex);
        }
        final Map<String, Object> stop = new LinkedHashMap<>(selectionTotals());
        stop.put("records_acknowledged", store.recordsAcknowledged());
        stop.put("last_acknowledged_sequence", store.lastAcknowledgedSequence());
        CloseHelper.quietClose(metrics);
        try
        {
            store.close();
        }
        catch (final RuntimeException ex)
        {
            failure = failure == null ? ex : failure;
        }
        session.record(AuditEvent.APPLIANCE_STOP, stop);
        session.close();
        if (failure != null)
        {
            throw failure;
        }
    }

    private Loaded loadSelection()
    {
        final ApplianceConfiguration.SelectionSettings settings = configuration.selection();
        final DomesticTable table = DomesticTableFile.read(settings.table());
        final VerifiedRuleSet ruleSet = RuleSetLoader.load(settings.rules(), settings.signatures(),
            TrustedKeys.policy(settings.trustedKeys(), settings.requiredSignatures(), settings.clockSkew()),
            Instant.now());
        return new Loaded(ruleSet, table);
    }

    private void activate(final Loaded loaded)
    {
        recordRetention(loaded.ruleSet());
        holder.activate(loaded.ruleSet(), loaded.table());
        final List<String> signers = new ArrayList<>();
        for (final ApproverKey signer : loaded.ruleSet().signers())
        {
            signers.add(signer.name() + " (" + signer.role() + ", " + signer.keyId() + ")");
        }
        session.record(AuditEvent.RULESET_ACTIVATE, Map.of(
            "outcome", "activated",
            "rule_set", loaded.ruleSet().ruleSet().id(),
            "version", loaded.ruleSet().ruleSet().version(),
            "signers", String.join("; ", signers),
            "table_version", loaded.table().versionHex()));
    }

    /** Each approval's retention goes into the store's settings, where erasure reads it. */
    private void recordRetention(final VerifiedRuleSet ruleSet)
    {
        final Path settingsFile = session.layout().settings();
        StoreSettings settings = StoreSettings.load(settingsFile);
        for (final Approval approval : ruleSet.ruleSet().approvals())
        {
            settings = settings.withRetention(approval.id(), conservativeDuration(approval.retention()));
        }
        settings.save(settingsFile);
    }

    /** A retention period as a duration that never exceeds it: years of 365 days, months of 28. */
    private static Duration conservativeDuration(final Period period)
    {
        return Duration.ofDays(period.getYears() * 365L + period.getMonths() * 28L + period.getDays());
    }

    private void renderMetrics(final StringBuilder out)
    {
        registry.renderPrometheus(out);
        out.append("# HELP senbetsu_selection_flows_total Flows decided, by category and outcome.\n");
        out.append("# TYPE senbetsu_selection_flows_total counter\n");
        for (final Map.Entry<String, Long> entry : selectionTotals().entrySet())
        {
            if (entry.getKey().startsWith("packets."))
            {
                continue; // the pipeline's registry already exports these
            }
            final String[] parts = entry.getKey().split("\\.");
            out.append("senbetsu_selection_flows_total{outcome=\"").append(parts[0])
                .append("\",category=\"").append(parts[1]).append('"');
            if (parts.length > 2)
            {
                out.append(",reason=\"").append(parts[2]).append('"');
            }
            out.append("} ").append(entry.getValue()).append('\n');
        }
        out.append("# HELP senbetsu_decode_status_total Packets by decode outcome (ok, or why decoding stopped).\n");
        out.append("# TYPE senbetsu_decode_status_total counter\n");
        decodeCounters.forEachNonZero((status, count) -> out.append("senbetsu_decode_status_total{status=\"")
            .append(status.reason()).append("\"} ").append(count).append('\n'));
        out.append("# HELP senbetsu_store_records_acknowledged_total Selected records sealed and acknowledged.\n");
        out.append("# TYPE senbetsu_store_records_acknowledged_total counter\n");
        out.append("senbetsu_store_records_acknowledged_total ").append(store.recordsAcknowledged()).append('\n');
        out.append("# HELP senbetsu_store_pending_records Selected records not yet acknowledged (store lag).\n");
        out.append("# TYPE senbetsu_store_pending_records gauge\n");
        out.append("senbetsu_store_pending_records ")
            .append(selection.totalSelected() - writer.appended() + store.pendingRecords()).append('\n');
    }

    private void stageFailed(final Throwable error)
    {
        registry.counter("senbetsu_agent_errors_total", "Exceptions that stopped an appliance agent.", "agent",
            "store-writer").addAtomic(1);
    }

    private record Loaded(VerifiedRuleSet ruleSet, DomesticTable table)
    {
    }
}
