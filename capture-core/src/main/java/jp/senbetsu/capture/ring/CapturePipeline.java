package jp.senbetsu.capture.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import com.lmax.disruptor.EventFactory;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import jp.senbetsu.capture.classify.CommunicationClassifier;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.flow.FlowEndHandler;
import jp.senbetsu.capture.flow.FlowMetrics;
import jp.senbetsu.capture.memory.DirectRegion;
import jp.senbetsu.capture.metrics.Counter;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.MachineInfoRecord;

/**
 * source → ring → decode → classify → flows: builds the LMAX Disruptor ring of pre-allocated slots and its
 * stages, hands out one {@link RingPublisher} per source, and shuts down cleanly: {@link #close()} waits until
 * every published slot has been metered, then each flow shard ends its open flows with reason forced end.
 *
 * <p>Threads: each source runs on its caller's thread; one decode thread; {@code flowShards} flow threads, each
 * seeing every slot but metering only its shard's (a symmetric hash of the flow key, so both directions of a
 * conversation meet on one thread). Ended flows go to the {@link FlowEndHandler} on the shard's thread.
 */
public final class CapturePipeline implements AutoCloseable
{
    public static final String RING_HIGH_WATER = "senbetsu_ring_occupancy_high_water";
    public static final String RING_SLOTS = "senbetsu_ring_slots";
    public static final String RING_LOCKED = "senbetsu_ring_memory_locked";
    /** Packets by communication category (label {@code category}), counted before the flow table. */
    public static final String CATEGORY_PACKETS = DecodeHandler.CATEGORY_PACKETS;

    private final CaptureRingConfiguration configuration;
    private final MetricsRegistry registry;
    private final Disruptor<PacketSlot> disruptor;
    private final RingBuffer<PacketSlot> ring;
    private final DirectRegion slotMemory;
    private final List<Thread> threads = new ArrayList<>();
    private final List<RingPublisher> publishers = new ArrayList<>();
    private final Thread ticker;
    private final StageErrors errors;
    /** The decoder the source thread runs, when decoding on the source; else null (a stage of its own). */
    private final DecodeHandler sourceDecoder;
    private volatile boolean running;
    private boolean closed;

    /**
     * @param classifier null to meter every IP packet (the lab tools); otherwise only eligible categories.
     * @param handler    receives each ended flow on the thread of its shard; one handler serves every shard, so
     *                   it must be safe to call from {@link CaptureRingConfiguration#flowShards()} threads at once.
     */
    public CapturePipeline(
        final CaptureRingConfiguration configuration,
        final FlowConfiguration flowConfiguration,
        final FrameDecoder decoder,
        final CommunicationClassifier classifier,
        final FlowEndHandler handler,
        final MetricsRegistry registry)
    {
        this(configuration, flowConfiguration, decoder, classifier, shard -> handler, registry);
    }

    /**
     * A pipeline whose flow shards each have a handler of their own, called only on that shard's thread, so that
     * per-shard state (the selection stage's batches) needs no lock and no thread-local lookup per flow.
     *
     * @param classifier      null to meter every IP packet (the lab tools); otherwise only eligible categories.
     * @param handlerForShard gives shard {@code s} (0 to {@link CaptureRingConfiguration#flowShards()} - 1, in
     *                        order, before any thread starts) the handler of its ended flows.
     */
    public static CapturePipeline withHandlerPerShard(
        final CaptureRingConfiguration configuration,
        final FlowConfiguration flowConfiguration,
        final FrameDecoder decoder,
        final CommunicationClassifier classifier,
        final IntFunction<? extends FlowEndHandler> handlerForShard,
        final MetricsRegistry registry)
    {
        return new CapturePipeline(configuration, flowConfiguration, decoder, classifier, handlerForShard, registry);
    }

    private CapturePipeline(
        final CaptureRingConfiguration configuration,
        final FlowConfiguration flowConfiguration,
        final FrameDecoder decoder,
        final CommunicationClassifier classifier,
        final IntFunction<? extends FlowEndHandler> handlerForShard,
        final MetricsRegistry registry)
    {
        configuration.validate();
        flowConfiguration.validate();
        this.configuration = configuration;
        this.registry = registry;
        // decoding on the source thread reads the frame where the source has it: the ring holds no frame bytes
        final int frameCapacity = configuration.decodeOnSource() ? 0 : (configuration.headerBytes() + 63) & ~63;
        final int slotLength = frameCapacity + MachineInfoRecord.LENGTH;
        // confidential: slots hold frame headers until decoded; never in a core dump, never swapped
        this.slotMemory = new DirectRegion((long)configuration.ringSize() * slotLength, true);
        final EventFactory<PacketSlot> factory = new EventFactory<>()
        {
            private int next;

            @Override
            public PacketSlot newInstance()
            {
                final PacketSlot slot = new PacketSlot();
                final int base = next++ * slotLength;
                slot.frame.wrap(slotMemory.buffer(), base, frameCapacity);
                slot.recordBuffer.wrap(slotMemory.buffer(), base + frameCapacity, MachineInfoRecord.LENGTH);
                slot.record.wrap(slot.recordBuffer, 0);
                return slot;
            }
        };
        final boolean ticking = configuration.tickIntervalNs() > 0;
        final ProducerType producerType =
            configuration.sources() > 1 || ticking ? ProducerType.MULTI : ProducerType.SINGLE;
        final ThreadFactory threadFactory = new ThreadFactory()
        {
            private int n;

            @Override
            public synchronized Thread newThread(final Runnable r)
            {
                final Thread t = new Thread(r, "senbetsu-pipeline-" + n++);
                t.setDaemon(true);
                threads.add(t);
                return t;
            }
        };
        this.disruptor = new Disruptor<>(
            factory, configuration.ringSize(), threadFactory, producerType, configuration.waitStrategy().create());
        this.ring = disruptor.getRingBuffer();
        this.errors = new StageErrors(registry);
        disruptor.setDefaultExceptionHandler(errors);

        registry.gauge(RING_SLOTS, "Slots in the capture ring.").set(configuration.ringSize());
        registry.gauge(RING_LOCKED, "1 if the ring's memory is locked (never swapped); 0: raise RLIMIT_MEMLOCK.")
            .set(slotMemory.locked() ? 1 : 0);
        final Counter highWater = registry.gauge(
            RING_HIGH_WATER, "Most slots the ring has held at once (published, not yet metered).");
        final int shards = configuration.flowShards();
        final FlowShardHandler[] flowStages = new FlowShardHandler[shards];
        for (int s = 0; s < shards; s++)
        {
            flowStages[s] = new FlowShardHandler(s, flowConfiguration, handlerForShard.apply(s),
                new FlowMetrics(registry, s), ring, highWater);
        }
        final DecodeHandler decodeStage = new DecodeHandler(decoder, classifier, flowConfiguration, shards, registry);
        if (configuration.decodeOnSource())
        {
            sourceDecoder = decodeStage;
            disruptor.handleEventsWith(flowStages);
        }
        else
        {
            sourceDecoder = null;
            disruptor.handleEventsWith(decodeStage).then(flowStages);
        }
        disruptor.start();
        // A stage whose thread has not begun running is invisible to the Disruptor's drain at shutdown: wait for all.
        if (sourceDecoder == null)
        {
            decodeStage.awaitStart();
        }
        for (final FlowShardHandler stage : flowStages)
        {
            stage.awaitStart();
        }
        running = true;
        if (ticking)
        {
            final RingPublisher tickPublisher = new RingPublisher(
                ring, SourceMode.LIVE, configuration.headerBytes(), registry, configuration.sources());
            ticker = new Thread(() -> tick(tickPublisher), "senbetsu-ticker");
            ticker.setDaemon(true);
            ticker.start();
        }
        else
        {
            ticker = null;
        }
    }

    /**
     * The publisher for the next source; call once per source, from any thread, and use it from one thread.
     *
     * @throws IllegalStateException when more sources ask than {@link CaptureRingConfiguration#sources()}.
     */
    public synchronized RingPublisher publisher(final SourceMode mode)
    {
        if (publishers.size() == configuration.sources())
        {
            throw new IllegalStateException("the ring was configured for " + configuration.sources() + " sources");
        }
        final RingPublisher publisher = new RingPublisher(
            ring, mode, configuration.headerBytes(), registry, publishers.size(), sourceDecoder, errors);
        publishers.add(publisher);
        return publisher;
    }

    /** The first exception a stage threw (the slot was skipped and counted), or null: for tools and tests. */
    public Throwable firstStageError()
    {
        return errors.first();
    }

    /** The registry the stages count in. */
    public MetricsRegistry metrics()
    {
        return registry;
    }

    /**
     * Drains the ring (every published packet is decoded and metered), then ends every open flow with reason
     * forced end and waits for the stage threads to finish. Sources must have stopped publishing.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        stopStages();
        slotMemory.close();
    }

    /** Drains the ring and stops the stage threads, keeping the slot memory (for tests that inspect it). */
    synchronized void stopStages()
    {
        if (!running)
        {
            return;
        }
        running = false;
        if (ticker != null)
        {
            ticker.interrupt();
            join(ticker);
        }
        disruptor.shutdown();
        for (final Thread t : threads)
        {
            join(t);
        }
        if (sourceDecoder != null)
        {
            sourceDecoder.onShutdown();
        }
    }

    /**
     * The stage threads: the decode thread unless sources decode, and one per flow shard (for tests that measure
     * them).
     */
    List<Thread> stageThreads()
    {
        return List.copyOf(threads);
    }

    /** The memory of every slot: frames and records (for tests that inspect it). */
    DirectRegion slotMemory()
    {
        return slotMemory;
    }

    private void tick(final RingPublisher tickPublisher)
    {
        final long intervalNs = configuration.tickIntervalNs();
        while (running)
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(intervalNs);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            tickPublisher.tick(TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
        }
    }

    private static void join(final Thread t)
    {
        try
        {
            t.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
