package jp.senbetsu.appliance.daemon;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import jp.senbetsu.appliance.metrics.MetricsEndpoint;
import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.decode.DecodeCounters;
import jp.senbetsu.capture.decode.DecoderConfiguration;
import jp.senbetsu.capture.decode.PacketDecoder;
import jp.senbetsu.capture.file.CaptureFileReader;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.ring.CapturePipeline;
import jp.senbetsu.capture.ring.CaptureRingConfiguration;
import jp.senbetsu.capture.ring.FrameDecoder;
import jp.senbetsu.capture.ring.RingPublisher;
import jp.senbetsu.capture.ring.SourceMode;
import jp.senbetsu.capture.source.LibpcapSource;
import jp.senbetsu.capture.source.MirrorReceiver;
import jp.senbetsu.selector.match.SelectionHolder;
import jp.senbetsu.store.SealedStore;
import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.keys.MasterKeyStore;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
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
 * <p>A failure that makes the appliance unable to do its job — the sealed store failing, a capture device going
 * away — is fatal: it is recorded, {@code /health} turns unhealthy, and {@link #awaitFatal()} returns it so the
 * daemon stops with an error rather than keep running while it silently loses selections.
 *
 * <p>Nothing unselected leaves memory: the only writer of files is the sealed store, and it is only ever given
 * {@code SelectedFlowRecord}s.
 */
public final class Appliance implements AutoCloseable
{
    /** Exceptions that stopped an agent (store writer, capture source, retention), by agent. */
    static final String AGENT_ERRORS = "senbetsu_agent_errors_total";

    private final ApplianceConfiguration configuration;
    private final boolean live;
    private final StoreSession session;
    private final MetricsRegistry registry = new MetricsRegistry();
    private final SelectionActivation activation;
    private final MasterKeyStore master;
    private final SealedStore store;
    private final StoreWriter writer;
    private final AgentRunner writerRunner;
    private final SelectionStage selection;
    private final CapturePipeline pipeline;
    private final ApplianceMetrics metrics;
    private final List<AgentRunner> liveSources = new ArrayList<>();
    private final List<MirrorReceiver> mirrors = new ArrayList<>();
    private final CountDownLatch fatalLatch = new CountDownLatch(1);
    private volatile Throwable fatal;
    private RetentionSchedule retention;
    private MetricsEndpoint metricsEndpoint;
    private boolean closed;

    private Appliance(final ApplianceConfiguration configuration, final Path configFile, final String action,
        final boolean live)
    {
        this.configuration = configuration;
        this.live = live;
        this.session = StoreSession.open(configuration.store().directory(), Role.OPERATOR, action);
        final SelectionHolder holder = new SelectionHolder();
        this.activation = new SelectionActivation(configuration.selection(), session, holder);
        SealedStore opened = null;
        SelectionStage stage = null;
        CapturePipeline started = null;
        try
        {
            this.master = session.unlock(configuration.store().credentialFile());
            session.record(AuditEvent.CONFIG_LOAD, Map.of("file", configFile.toAbsolutePath().toString()));
            activation.activate();
            opened = SealedStore.open(configuration.store().storeConfiguration(), master, session.audit(),
                session.actor());
            this.store = opened;
            final ManyToOneRingBuffer queue = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(configuration.selectedQueueBytes() + RingBufferDescriptor.TRAILER_LENGTH)));
            this.writer = new StoreWriter(queue, store);
            stage = new SelectionStage(holder, queue, writer);
            this.selection = stage;
            final SelectionStage selection = stage;
            final DecodeCounters decodeCounters = new DecodeCounters();
            final PacketDecoder decoder = new PacketDecoder(
                new DecoderConfiguration().snaplen(configuration.ring().headerBytes()), decodeCounters);
            final FrameDecoder frameDecoder = (linkType, frame, offset, length, record) -> decoder.decode(
                record.interfaceIndex(), linkType, record.timestampNs(), record.wireLength(), frame, offset, length,
                record);
            // a live feed also needs wall-clock ticks, so flows of a quiet feed still reach their idle timeout; a
            // capture file is decoded and classified by the thread that reads it (a thread and a hand-off fewer,
            // no frame byte in the ring), while a live source only copies headers into the ring and must never wait
            final CaptureRingConfiguration ring = configuration.ring()
                .tickIntervalNs(live ? CaptureRingConfiguration.LIVE_TICK_INTERVAL_NS : 0)
                .decodeOnSource(!live);
            if (!live)
            {
                // ingest has one publisher (the files, one after the other), whatever taps the file configures
                ring.sources(1);
            }
            started = CapturePipeline.withHandlerPerShard(ring, configuration.flows(), frameDecoder,
                holder.classifier(), shard -> selection.newShard(), registry);
            this.pipeline = started;
            this.metrics = new ApplianceMetrics(registry, decodeCounters, selection, writer, store);
            this.writerRunner = runner(writer);
            AgentRunner.startOnThread(writerRunner);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(started);
            CloseHelper.quietClose(stage);
            CloseHelper.quietClose(opened);
            session.close();
            throw ex;
        }
    }

    /**
     * Opens the store, activates the rule set and starts the pipeline, with no source yet.
     *
     * @param action what this run is, for the audit log ("run the appliance", "ingest capture files").
     * @param live   whether live sources will feed it (then idle flows also expire on wall-clock time).
     */
    public static Appliance start(final ApplianceConfiguration configuration, final Path configFile,
        final String action, final boolean live)
    {
        final Appliance appliance = new Appliance(configuration, configFile, action, live);
        appliance.session.record(AuditEvent.APPLIANCE_START, Map.of("action", action,
            "sources", live ? configuration.sources().size() : 0));
        return appliance;
    }

    /** Starts every configured live source, the retention schedule and the metrics endpoint. */
    public void startLive()
    {
        if (!live)
        {
            throw new IllegalStateException("this appliance was started for capture files");
        }
        for (final SourceSpec spec : configuration.sources())
        {
            final RingPublisher publisher = pipeline.publisher(SourceMode.LIVE);
            switch (spec)
            {
                case SourceSpec.Libpcap libpcap ->
                {
                    final AgentRunner runner = runner(new LibpcapSource(libpcap.configuration(), publisher));
                    liveSources.add(runner);
                    AgentRunner.startOnThread(runner);
                }
                case SourceSpec.Mirror mirror -> mirrors.add(new MirrorReceiver(mirror.configuration(), publisher));
            }
        }
        if (!configuration.store().eraseInterval().isZero())
        {
            retention = new RetentionSchedule(session, master, registry, configuration.store().eraseInterval());
        }
        if (configuration.metrics().enabled())
        {
            metricsEndpoint = new MetricsEndpoint(configuration.metrics().bind(), configuration.metrics().port(),
                metrics::render, () -> fatal == null);
        }
    }

    /** Reads capture files through the pipeline, one after the other, as one capture (nothing is dropped). */
    public long ingest(final List<Path> files)
    {
        final RingPublisher publisher = pipeline.publisher(SourceMode.FILE);
        long packets = 0;
        for (final Path file : files)
        {
            // audited before (so records sealed from a file are never without an entry naming it, even if the
            // process dies) and after, with what was read: a damaged file still delivers the packets before the
            // damage, and the entry says how many and that it ended in an error
            final String name = file.toAbsolutePath().toString();
            session.record(AuditEvent.CAPTURE_INGEST, Map.of("capture_file", name, "outcome", "started"));
            final long before = publisher.packetsOffered();
            RuntimeException failure = null;
            try (CaptureFileReader reader = CaptureFileReader.open(file))
            {
                packets += reader.read(publisher);
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
            try
            {
                session.record(AuditEvent.CAPTURE_INGEST, Map.of(
                    "capture_file", name,
                    "packets", publisher.packetsOffered() - before,
                    "outcome", failure == null && fatal == null ? "ok" : "error"));
            }
            catch (final RuntimeException ex)
            {
                if (failure == null)
                {
                    throw ex;
                }
                failure.addSuppressed(ex);
            }
            if (failure != null)
            {
                throw failure;
            }
            if (fatal != null)
            {
                break;
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
    public SenbetsuException reloadSelection()
    {
        return activation.reload();
    }

    /** Blocks until an agent fails fatally, and returns why. */
    public Throwable awaitFatal() throws InterruptedException
    {
        fatalLatch.await();
        return fatal;
    }

    /** What survives of the traffic: packets per category, flows selected and discarded per category and reason. */
    public Map<String, Long> selectionTotals()
    {
        return metrics.totals();
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
        return metricsEndpoint == null ? -1 : metricsEndpoint.port();
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
            CloseHelper.closeAll(retention);
            CloseHelper.closeAll(liveSources);
            CloseHelper.closeAll(mirrors);
            pipeline.close();
            // the shutdown flush decided the last flows: their copies' memory goes
            selection.close();
            writerRunner.close();
            if (writer.failure() == null)
            {
                writer.drainAndFlush();
            }
            // the writer may have failed on its own thread, or only now while sealing the last records
            if (writer.failure() != null)
            {
                if (recordFatal(writer.roleName(), writer.failure()))
                {
                    // it failed here, on the closing thread, not on its own: count it like an agent failure
                    registry.counter(AGENT_ERRORS, "Exceptions that stopped an appliance agent.", "agent",
                        writer.roleName()).addAtomic(1);
                }
                throw new SenbetsuException("the sealed store failed: " + writer.failure().getMessage()
                    + "; batches up to sequence " + store.lastAcknowledgedSequence() + " are acknowledged",
                    writer.failure());
            }
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        final Map<String, Object> stop = new LinkedHashMap<>(metrics.totals());
        stop.put("records_acknowledged", store.recordsAcknowledged());
        stop.put("last_acknowledged_sequence", store.lastAcknowledgedSequence());
        if (fatal != null)
        {
            stop.put("fatal", fatal.getMessage());
        }
        CloseHelper.quietClose(metricsEndpoint);
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

    private AgentRunner runner(final Agent agent)
    {
        final String name = agent.roleName();
        return new AgentRunner(new BackoffIdleStrategy(), error -> agentFailed(name, error), null, agent);
    }

    /** An agent threw: count it; if it ended the agent, the appliance cannot do its job any more. */
    private void agentFailed(final String agent, final Throwable error)
    {
        registry.counter(AGENT_ERRORS, "Exceptions that stopped an appliance agent.", "agent", agent).addAtomic(1);
        if (error instanceof AgentTerminationException)
        {
            recordFatal(agent, error.getCause() != null ? error.getCause() : error);
        }
    }

    /** Records the first fatal failure; returns whether this call was the one that recorded it. */
    private boolean recordFatal(final String agent, final Throwable cause)
    {
        synchronized (fatalLatch)
        {
            if (fatal != null)
            {
                return false;
            }
            fatal = new SenbetsuException(agent + " stopped: " + cause.getMessage(), cause);
            fatalLatch.countDown();
            return true;
        }
    }
}
