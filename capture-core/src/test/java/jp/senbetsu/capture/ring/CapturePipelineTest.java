package jp.senbetsu.capture.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.classify.CommunicationClassifier;
import jp.senbetsu.capture.flow.EndedFlows;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.flow.FlowEndHandler;
import jp.senbetsu.capture.flow.FlowMetrics;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ring and its stages on synthetic frames: a test frame format (below) and a decoder for it stand in for
 * Ethernet and the real decoder, so these tests exercise only the pipeline.
 *
 * <pre>
 *  0..3 source IPv4 | 4..7 destination IPv4 | 8..9 sport | 10..11 dport | 12 protocol | 13 TCP flags |
 *  14..15 IP length | 16..17 fragment offset in 8-byte units, high bit: more fragments (0: not a fragment) |
 *  18..19 IP ID | rest: padding up to the frame's captured length
 * </pre>
 * A frame with a non-zero fragment word is a fragment; one at a non-zero offset has no ports.
 */
class CapturePipelineTest
{
    static final int LINKTYPE_TEST = 147;

    private final AtomicInteger longestFrameSeen = new AtomicInteger();

    private final FrameDecoder decoder = (linkType, frame, offset, length, record) ->
    {
        longestFrameSeen.accumulateAndGet(length, Math::max);
        if (linkType != LINKTYPE_TEST || length < 16)
        {
            return;
        }
        record.buffer().putInt(record.srcAddressOffset(), frame.getInt(offset, ByteOrder.BIG_ENDIAN), ByteOrder.BIG_ENDIAN);
        record.buffer().putInt(record.dstAddressOffset(), frame.getInt(offset + 4, ByteOrder.BIG_ENDIAN), ByteOrder.BIG_ENDIAN);
        record.ipVersion(4)
            .protocol(frame.getByte(offset + 12) & 0xFF)
            .ipLength(frame.getShort(offset + 14) & 0xFFFF)
            .addPresence(MachineInfoRecord.HAS_IP);
        final int fragmentWord = length >= 20 ? frame.getShort(offset + 16, ByteOrder.BIG_ENDIAN) & 0xFFFF : 0;
        final int fragmentOffset = fragmentWord & 0x7FFF;
        if (fragmentWord != 0)
        {
            record.addPresence(MachineInfoRecord.HAS_FRAGMENT)
                .fragmentId(frame.getShort(offset + 18, ByteOrder.BIG_ENDIAN) & 0xFFFF)
                .fragmentOffset(fragmentOffset)
                .fragment(((fragmentWord & 0x8000) != 0 ? MachineInfoRecord.FRAGMENT_MORE : 0)
                    | (fragmentOffset != 0 ? MachineInfoRecord.FRAGMENT_NON_FIRST : 0));
        }
        if (fragmentOffset == 0)
        {
            record.srcPort(frame.getShort(offset + 8) & 0xFFFF)
                .dstPort(frame.getShort(offset + 10) & 0xFFFF)
                .tcpFlags(frame.getByte(offset + 13) & 0xFF)
                .addPresence(MachineInfoRecord.HAS_PORTS);
        }
    };

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1514]);

    private DirectBuffer frame(final int src, final int dst, final int sport, final int dport, final int length)
    {
        frame.putInt(0, src, ByteOrder.BIG_ENDIAN);
        frame.putInt(4, dst, ByteOrder.BIG_ENDIAN);
        frame.putShort(8, (short)sport);
        frame.putShort(10, (short)dport);
        frame.putByte(12, (byte)17);
        frame.putByte(13, (byte)0);
        frame.putShort(14, (short)length);
        frame.putInt(16, 0);
        return frame;
    }

    /** A UDP fragment of the frame format above: at {@code offsetUnits} × 8 bytes, IP ID {@code ipId}. */
    private DirectBuffer fragment(
        final int src, final int dst, final int ipId, final int offsetUnits, final boolean more, final int length)
    {
        frame(src, dst, offsetUnits == 0 ? 10_000 : 0, offsetUnits == 0 ? 53 : 0, length);
        frame.putShort(16, (short)(offsetUnits | (more ? 0x8000 : 0)), ByteOrder.BIG_ENDIAN);
        frame.putShort(18, (short)ipId, ByteOrder.BIG_ENDIAN);
        return frame;
    }

    @ParameterizedTest(name = "decode on source {0}")
    @ValueSource(booleans = {false, true})
    void aFileSourceLosesNothingAndBothDirectionsMeetOnOneShard(final boolean decodeOnSource)
    {
        final MetricsRegistry registry = new MetricsRegistry();
        final EndedFlows ended = new EndedFlows();
        final CaptureRingConfiguration ring = new CaptureRingConfiguration()
            .ringSize(1024).flowShards(3).waitStrategy(WaitStrategyKind.SLEEPING).decodeOnSource(decodeOnSource);
        final FlowConfiguration flows = new FlowConfiguration().idleTimeoutNs(0).activeTimeoutNs(0).maxFlows(8192);
        final Map<Long, long[]> expected = new HashMap<>();
        final int packets = 200_000;
        try (CapturePipeline pipeline = new CapturePipeline(ring, flows, decoder, null, ended, registry))
        {
            final RingPublisher source = pipeline.publisher(SourceMode.FILE);
            final SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < packets; i++)
            {
                final int c = random.nextInt(5000);
                final int client = 0x0A00_0000 + c;
                final int server = 0xC000_0200 + (c % 7);
                final int length = 28 + random.nextInt(1400);
                final boolean reverse = random.nextBoolean();
                final DirectBuffer f = reverse
                    ? frame(server, client, 53, 10_000 + c, length)
                    : frame(client, server, 10_000 + c, 53, length);
                source.onPacket(0, LINKTYPE_TEST, 1_000L * i, length + 14, f, 0, length + 14);
                final long[] t = expected.computeIfAbsent((long)c, k -> new long[2]);
                t[0]++;
                t[1] += length;
            }
        }
        final List<EndedFlows.Flow> flowList = ended.snapshot();
        assertEquals(expected.size(), flowList.size(), "one flow per conversation: both directions on one shard");
        for (final EndedFlows.Flow f : flowList)
        {
            assertEquals(FlowEndReason.FORCED_END, f.reason());
            final int port = f.record().srcPort() == 53 ? f.record().dstPort() : f.record().srcPort();
            final long[] t = expected.get((long)(port - 10_000));
            assertEquals(t[0], f.packets() + f.reversePackets());
            assertEquals(t[1], f.record().bytes() + f.record().reverseBytes());
        }
        assertEquals(packets, registry.value(RingPublisher.PACKETS, "source", "0"));
        assertEquals(packets, registry.value(DecodeHandler.PACKETS));
        assertEquals(packets, registry.sum(FlowMetrics.PACKETS));
        assertEquals(0, registry.sum(RingPublisher.DROPS));
        assertTrue(registry.sum(FlowMetrics.PACKETS, "shard", "0") > 0);
        assertTrue(registry.sum(FlowMetrics.PACKETS, "shard", "2") > 0);
        final long highWater = registry.value(CapturePipeline.RING_HIGH_WATER);
        assertTrue(highWater > 0 && highWater <= 1024, "high water " + highWater);
        assertEquals(128, longestFrameSeen.get(), "only the configured header bytes reach the decoder");
        final String exposition = registry.renderPrometheus(new StringBuilder()).toString();
        assertTrue(exposition.contains("senbetsu_flows_ended_total{shard=\"1\",reason=\"forced\"} "), exposition);
    }

    @Test
    void eachShardHasAHandlerOfItsOwnCalledOnlyOnThatShardsThread()
    {
        final int shards = 3;
        final List<Thread>[] threads = newThreadLists(shards);
        final int[] flowsPerShard = new int[shards];
        final int[] asked = new int[shards];
        final CaptureRingConfiguration ring = new CaptureRingConfiguration().ringSize(1024).flowShards(shards);
        final FlowConfiguration flows = new FlowConfiguration().idleTimeoutNs(0).activeTimeoutNs(0).maxFlows(4096);
        final int conversations = 3000;
        try (CapturePipeline pipeline = CapturePipeline.withHandlerPerShard(ring, flows, decoder, null, shard ->
        {
            asked[shard]++;
            return flow ->
            {
                // plain fields, no lock: only shard `shard`'s thread ever calls this handler
                threads[shard].add(Thread.currentThread());
                flowsPerShard[shard]++;
            };
        }, new MetricsRegistry()))
        {
            final RingPublisher source = pipeline.publisher(SourceMode.FILE);
            for (int c = 0; c < conversations; c++)
            {
                final DirectBuffer f = frame(0x0A00_0000 + c, 0xC000_0201, 10_000 + c, 53, 64);
                source.onPacket(0, LINKTYPE_TEST, 1_000L * c, 78, f, 0, 78);
            }
        }
        int total = 0;
        for (int s = 0; s < shards; s++)
        {
            assertEquals(1, asked[s], "shard " + s + " asked for its handler once");
            assertTrue(flowsPerShard[s] > 0, "shard " + s + " ended flows");
            assertEquals(1, threads[s].stream().distinct().count(), "shard " + s + "'s handler saw one thread");
            for (int other = 0; other < s; other++)
            {
                assertTrue(threads[other].getFirst() != threads[s].getFirst(), "shards " + other + " and " + s);
            }
            total += flowsPerShard[s];
        }
        assertEquals(conversations, total, "every flow ended once, at shutdown");
    }

    @SuppressWarnings("unchecked")
    private static List<Thread>[] newThreadLists(final int n)
    {
        final List<Thread>[] lists = new List[n];
        for (int i = 0; i < n; i++)
        {
            lists[i] = new ArrayList<>();
        }
        return lists;
    }

    @Test
    void aLiveSourceDropsAndCountsWhenTheRingIsFull()
    {
        final MetricsRegistry registry = new MetricsRegistry();
        final CaptureRingConfiguration ring = new CaptureRingConfiguration()
            .ringSize(64).waitStrategy(WaitStrategyKind.BLOCKING);
        final FrameDecoder slow = (linkType, f, offset, length, record) ->
        {
            sleepMicros(200);
            decoder.decode(linkType, f, offset, length, record);
        };
        final int offered = 5_000;
        try (CapturePipeline pipeline = new CapturePipeline(
            ring, new FlowConfiguration().maxFlows(64), slow, null, flow -> { }, registry))
        {
            final RingPublisher source = pipeline.publisher(SourceMode.LIVE);
            for (int i = 0; i < offered; i++)
            {
                source.onPacket(0, LINKTYPE_TEST, i, 100, frame(1, 2, 3, 4, 86), 0, 100);
            }
        }
        final long dropped = registry.value(RingPublisher.DROPS, "cause", "ring.full", "source", "0");
        assertTrue(dropped > 0, "the capture thread never waited, so a slow decoder made it drop");
        assertEquals(offered, dropped + registry.value(DecodeHandler.PACKETS));
        assertEquals(offered, registry.value(RingPublisher.PACKETS, "source", "0"));
        assertEquals(64, registry.value(CapturePipeline.RING_HIGH_WATER), "the ring was full");
    }

    @Test
    void laterFragmentsJoinTheirFirstFragmentsFlowOrAreCountedAsOrphans()
    {
        final MetricsRegistry registry = new MetricsRegistry();
        final EndedFlows ended = new EndedFlows();
        final CaptureRingConfiguration ring = new CaptureRingConfiguration().ringSize(64).flowShards(2);
        final FlowConfiguration flows = new FlowConfiguration().idleTimeoutNs(0).activeTimeoutNs(0).maxFlows(64);
        try (CapturePipeline pipeline = new CapturePipeline(ring, flows, decoder, null, ended, registry))
        {
            final RingPublisher source = pipeline.publisher(SourceMode.FILE);
            // datagram 7: first fragment, then two later ones; datagram 9: a later fragment whose first never came
            source.onPacket(0, LINKTYPE_TEST, 1_000, 1514, fragment(0x0A00_0001, 0xC000_0201, 7, 0, true, 1500), 0,
                20);
            source.onPacket(0, LINKTYPE_TEST, 2_000, 1514, fragment(0x0A00_0001, 0xC000_0201, 7, 185, true, 1500), 0,
                20);
            source.onPacket(0, LINKTYPE_TEST, 3_000, 314, fragment(0x0A00_0001, 0xC000_0201, 7, 370, false, 300), 0,
                20);
            source.onPacket(0, LINKTYPE_TEST, 4_000, 314, fragment(0x0A00_0001, 0xC000_0201, 9, 185, false, 300), 0,
                20);
        }
        assertEquals(1, registry.value(RingPublisher.DROPS, "cause", DecodeHandler.CAUSE_FRAG_ORPHAN));
        assertEquals(1, registry.value(DecodeHandler.FRAGMENTS, "outcome", "first"));
        assertEquals(2, registry.value(DecodeHandler.FRAGMENTS, "outcome", "attributed"));
        assertEquals(4, registry.value(DecodeHandler.PACKETS));
        assertEquals(1514 + 1514 + 314 + 314, registry.value(DecodeHandler.BYTES), "wire bytes of every packet");
        assertEquals(1, ended.flows.size(), "the orphan made no flow of its own");
        final EndedFlows.Flow datagram = ended.flows.getFirst();
        assertEquals(3, datagram.packets(), "all three fragments of datagram 7, on its ports");
        assertEquals(1500 + 1500 + 300, datagram.record().bytes(), "IP bytes");
        assertEquals(1514 + 1514 + 314, datagram.record().wireBytes(), "wire bytes");
        assertEquals(10_000, datagram.record().srcPort());
        assertEquals(53, datagram.record().dstPort());
    }

    @Test
    void theHighWaterMarkIsThatOfTheShardFurthestBehind() throws InterruptedException
    {
        // shard 1 stops after its first batch while shard 0 keeps up with a paced source: the ring fills up behind
        // shard 1 alone, and the mark must say so (it once sampled shard 0 only)
        final MetricsRegistry registry = new MetricsRegistry();
        final CaptureRingConfiguration ring = new CaptureRingConfiguration()
            .ringSize(64).flowShards(2).waitStrategy(WaitStrategyKind.BLOCKING);
        final CountDownLatch shard1Stopped = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final int offered = 1_000;
        try (CapturePipeline pipeline = CapturePipeline.withHandlerPerShard(
            ring, new FlowConfiguration().maxFlows(4096), decoder, null, shard -> new FlowEndHandler()
            {
                @Override
                public void onFlowEnd(final FlowRecord flow)
                {
                }

                @Override
                public void onFlowsEnded()
                {
                    if (shard == 1 && released.getCount() > 0)
                    {
                        shard1Stopped.countDown();
                        awaitQuietly(released);
                    }
                }
            }, registry))
        {
            try
            {
                final RingPublisher source = pipeline.publisher(SourceMode.LIVE);
                source.onPacket(0, LINKTYPE_TEST, 0, 78, frame(0x0A00_0001, 0xC000_0201, 10_000, 53, 64), 0, 78);
                assertTrue(shard1Stopped.await(10, TimeUnit.SECONDS), "shard 1 metered its first batch");
                for (int i = 1; i < offered; i++)
                {
                    sleepMicros(50);
                    final DirectBuffer f = frame(0x0A00_0000 + i % 200, 0xC000_0201, 10_000 + i % 200, 53, 64);
                    source.onPacket(0, LINKTYPE_TEST, i, 78, f, 0, 78);
                }
            }
            finally
            {
                // whatever failed above, shard 1 goes on, so the pipeline can drain and close
                released.countDown();
            }
        }
        assertTrue(registry.value(RingPublisher.DROPS, "cause", "ring.full", "source", "0") > 0,
            "the ring filled up behind shard 1");
        // 63: shard 1 stopped inside its first batch, whose slot it had metered but not yet given back
        final long highWater = registry.value(CapturePipeline.RING_HIGH_WATER);
        assertTrue(highWater >= 63 && highWater <= 64, "the ring was full behind shard 1: " + highWater);
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theClassifierDropsDomesticAndUnknownTrafficBeforeTheFlowTable()
    {
        final MetricsRegistry registry = new MetricsRegistry();
        final EndedFlows ended = new EndedFlows();
        final Throwable error;
        // 10/8 is "domestic", 172.16/12 "unknown", the rest "foreign"
        final CommunicationClassifier classifier = (version, buffer, srcOffset, dstOffset) ->
        {
            final int src = buffer.getByte(srcOffset) & 0xFF;
            final int dst = buffer.getByte(dstOffset) & 0xFF;
            if (src == 172 || dst == 172)
            {
                return Category.UNKNOWN.code();
            }
            if (src == 10)
            {
                return (dst == 10 ? Category.DOMESTIC_DOMESTIC : Category.DOMESTIC_FOREIGN).code();
            }
            return (dst == 10 ? Category.FOREIGN_DOMESTIC : Category.FOREIGN_FOREIGN).code();
        };
        try (CapturePipeline pipeline = new CapturePipeline(new CaptureRingConfiguration().ringSize(256),
            new FlowConfiguration().maxFlows(64), decoder, classifier, ended, registry))
        {
            final RingPublisher source = pipeline.publisher(SourceMode.FILE);
            source.onPacket(0, LINKTYPE_TEST, 1, 100, frame(0x0A000001, 0x0A000002, 1, 2, 86), 0, 100);
            source.onPacket(0, LINKTYPE_TEST, 2, 100, frame(0x0A000001, 0x08080808, 1, 2, 86), 0, 100);
            source.onPacket(0, LINKTYPE_TEST, 3, 100, frame(0x08080808, 0x0A000001, 2, 1, 86), 0, 100);
            source.onPacket(0, LINKTYPE_TEST, 4, 100, frame(0x08080808, 0x09090909, 1, 2, 86), 0, 100);
            source.onPacket(0, LINKTYPE_TEST, 5, 100, frame(0xAC100001, 0x09090909, 1, 2, 86), 0, 100);
            source.onPacket(0, 1, 6, 10, frame(0, 0, 0, 0, 0), 0, 10);
            pipeline.close();
            error = pipeline.firstStageError();
        }
        assertEquals(null, error);
        assertEquals(2, ended.flows.size(), registry.renderPrometheus(new StringBuilder()).toString());
        assertEquals(1, registry.value(DecodeHandler.CATEGORY_PACKETS, "category", "domestic-domestic"));
        assertEquals(1, registry.value(DecodeHandler.CATEGORY_PACKETS, "category", "domestic-foreign"));
        assertEquals(1, registry.value(DecodeHandler.CATEGORY_PACKETS, "category", "foreign-domestic"));
        assertEquals(1, registry.value(DecodeHandler.CATEGORY_PACKETS, "category", "foreign-foreign"));
        assertEquals(1, registry.value(DecodeHandler.CATEGORY_PACKETS, "category", "unknown"));
        assertEquals(1, registry.value(RingPublisher.DROPS, "cause", "category.domestic-domestic"));
        assertEquals(1, registry.value(RingPublisher.DROPS, "cause", "category.unknown"));
        assertEquals(1, registry.value(RingPublisher.DROPS, "cause", "not.ip"));
        assertEquals(3, registry.sum(FlowMetrics.PACKETS));
    }

    @Test
    void wallClockTicksEndIdleFlowsWhileNoPacketArrives() throws InterruptedException
    {
        final EndedFlows ended = new EndedFlows();
        try (LivePipeline live = oneLivePacketThenIdle(ended, () -> !ended.snapshot().isEmpty()))
        {
            assertEquals(1, ended.snapshot().size(), "the flow ended on wall-clock time, before shutdown");
            assertEquals(FlowEndReason.IDLE_TIMEOUT, ended.snapshot().get(0).reason());
        }
    }

    @Test
    void theFlowEndHandlerHearsThatNoMoreFlowsEndAfterEachMeteredBatchAndAtShutdown() throws InterruptedException
    {
        // a handler that holds ended flows until told no more end for now (as the selection stage does)
        final EndedFlows ended = new EndedFlows();
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger handled = new AtomicInteger();
        final FlowEndHandler holding = new FlowEndHandler()
        {
            @Override
            public void onFlowEnd(final FlowRecord flow)
            {
                ended.onFlowEnd(flow);
                held.incrementAndGet();
            }

            @Override
            public void onFlowsEnded()
            {
                handled.addAndGet(held.getAndSet(0));
            }
        };
        try (LivePipeline live = oneLivePacketThenIdle(holding, () -> handled.get() > 0))
        {
            // the idle flow ended on a wall-clock tick, and the handler heard of the end of that batch at once,
            // with no further packet
            assertEquals(1, handled.get());
            assertEquals(FlowEndReason.IDLE_TIMEOUT, ended.snapshot().get(0).reason());
            live.source().onPacket(0, LINKTYPE_TEST, TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()), 100,
                frame(5, 6, 7, 8, 86), 0, 100);
        }
        // the flow the shutdown flush ended was handed on too: nothing left held
        assertEquals(2, ended.snapshot().size());
        assertEquals(FlowEndReason.FORCED_END, ended.snapshot().get(1).reason());
        assertEquals(2, handled.get());
        assertEquals(0, held.get());
    }

    /** A pipeline and its one live source. */
    private record LivePipeline(CapturePipeline pipeline, RingPublisher source) implements AutoCloseable
    {
        @Override
        public void close()
        {
            pipeline.close();
        }
    }

    /**
     * A live pipeline ticking every 10 ms with a 100 ms idle timeout, fed one packet now and then nothing until
     * {@code done} holds (or 5 s pass); the caller closes it.
     */
    private LivePipeline oneLivePacketThenIdle(
        final FlowEndHandler handler, final BooleanSupplier done)
        throws InterruptedException
    {
        final CaptureRingConfiguration ring = new CaptureRingConfiguration()
            .ringSize(256).waitStrategy(WaitStrategyKind.BLOCKING).tickIntervalNs(TimeUnit.MILLISECONDS.toNanos(10));
        final FlowConfiguration flows = new FlowConfiguration().maxFlows(64)
            .idleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100)).wheelTickNs(TimeUnit.MILLISECONDS.toNanos(10));
        final CapturePipeline pipeline = new CapturePipeline(ring, flows, decoder, null, handler, new MetricsRegistry());
        try
        {
            final RingPublisher source = pipeline.publisher(SourceMode.LIVE);
            final long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
            source.onPacket(0, LINKTYPE_TEST, now, 100, frame(1, 2, 3, 4, 86), 0, 100);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!done.getAsBoolean() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            return new LivePipeline(pipeline, source);
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            pipeline.close();
            throw ex;
        }
    }

    @Test
    void severalSourcesShareOneRing() throws InterruptedException
    {
        final MetricsRegistry registry = new MetricsRegistry();
        final EndedFlows ended = new EndedFlows();
        final int perSource = 50_000;
        try (CapturePipeline pipeline = new CapturePipeline(
            new CaptureRingConfiguration().ringSize(512).sources(2).flowShards(2),
            new FlowConfiguration().idleTimeoutNs(0).activeTimeoutNs(0).maxFlows(1024), decoder, null, ended, registry))
        {
            final Thread[] sources = new Thread[2];
            for (int s = 0; s < 2; s++)
            {
                final RingPublisher publisher = pipeline.publisher(SourceMode.FILE);
                final int id = s;
                sources[s] = new Thread(() ->
                {
                    final UnsafeBuffer own = new UnsafeBuffer(new byte[64]);
                    for (int i = 0; i < perSource; i++)
                    {
                        own.putInt(0, 0x0A000000 + id, ByteOrder.BIG_ENDIAN);
                        own.putInt(4, 0x08080808, ByteOrder.BIG_ENDIAN);
                        own.putShort(8, (short)(1000 + (i % 100)));
                        own.putShort(10, (short)53);
                        own.putByte(12, (byte)17);
                        own.putShort(14, (short)50);
                        publisher.onPacket(id, LINKTYPE_TEST, i, 64, own, 0, 64);
                    }
                });
                sources[s].start();
            }
            for (final Thread t : sources)
            {
                t.join();
            }
        }
        assertEquals(200, ended.flows.size());
        assertEquals(2L * perSource, ended.flows.stream().mapToLong(EndedFlows.Flow::packets).sum());
        assertEquals(perSource, registry.value(RingPublisher.PACKETS, "source", "1"));
    }

    @Test
    void aStageThatThrowsSkipsTheSlotCountsItAndKeepsGoing()
    {
        final MetricsRegistry registry = new MetricsRegistry();
        final EndedFlows ended = new EndedFlows();
        final FrameDecoder failsOnPort666 = (linkType, f, offset, length, record) ->
        {
            decoder.decode(linkType, f, offset, length, record);
            if (record.srcPort() == 666)
            {
                throw new IllegalStateException("decoder defect");
            }
        };
        final Throwable error;
        // two slots: the failing packet reuses the slot of a packet that was metered
        try (CapturePipeline pipeline = new CapturePipeline(new CaptureRingConfiguration().ringSize(2),
            new FlowConfiguration().maxFlows(64), failsOnPort666, null, ended, registry))
        {
            final RingPublisher source = pipeline.publisher(SourceMode.FILE);
            source.onPacket(0, LINKTYPE_TEST, 1, 100, frame(1, 2, 1000, 53, 86), 0, 100);
            source.onPacket(0, LINKTYPE_TEST, 2, 100, frame(1, 2, 1000, 53, 86), 0, 100);
            source.onPacket(0, LINKTYPE_TEST, 3, 100, frame(1, 2, 666, 53, 86), 0, 100);
            pipeline.close();
            error = pipeline.firstStageError();
        }
        assertEquals("decoder defect", error.getMessage());
        assertEquals(1, registry.value(StageErrors.ERRORS));
        assertEquals(1, ended.flows.size(), "the failed packet was not metered, even as its slot's last packet");
        assertEquals(2, ended.flows.get(0).packets());
    }

    @ParameterizedTest(name = "decode on source {0}")
    @ValueSource(booleans = {false, true})
    void aThrowingFlowEndHandlerOrDecoderCostsOnlyTheFlowOrPacketItThrewOn(final boolean decodeOnSource)
    {
        final MetricsRegistry registry = new MetricsRegistry();
        final EndedFlows recorded = new EndedFlows();
        final AtomicInteger handlerCalls = new AtomicInteger();
        final AtomicInteger handlerFailures = new AtomicInteger();
        final int everyNth = 7;
        final FlowEndHandler failsOnEveryNth = flow ->
        {
            if (handlerCalls.incrementAndGet() % everyNth == 0)
            {
                handlerFailures.incrementAndGet();
                throw new IllegalStateException("selection defect");
            }
            recorded.onFlowEnd(flow);
        };
        final int failingLength = 777;
        final FrameDecoder failsOnLength = (linkType, f, offset, length, record) ->
        {
            decoder.decode(linkType, f, offset, length, record);
            if (record.ipLength() == failingLength)
            {
                throw new IllegalStateException("decoder defect");
            }
        };
        // conversations one after the other, each 10 packets over 1.8 ms, neighbours overlapping; a 5 ms idle
        // timeout ends them in the wheel a few at a time (several per bucket), the last ones at shutdown
        final int conversations = 2_000;
        final long[][] expected = new long[conversations][2];
        int decodeFailures = 0;
        final FlowConfiguration flows = new FlowConfiguration()
            .idleTimeoutNs(5_000_000).activeTimeoutNs(0).wheelTickNs(1_000_000).maxFlows(64);
        try (CapturePipeline pipeline = new CapturePipeline(
            new CaptureRingConfiguration().ringSize(256).decodeOnSource(decodeOnSource), flows, failsOnLength, null,
            failsOnEveryNth, registry))
        {
            final RingPublisher source = pipeline.publisher(SourceMode.FILE);
            final SplittableRandom random = new SplittableRandom(7);
            for (long t = 0; t < conversations * 1_000_000L + 2_000_000; t += 200_000)
            {
                // packets of conversation c at c ms + k * 200 µs, k < 10: two conversations at each time step
                for (int c = (int)Math.max(0, t / 1_000_000 - 1); c <= t / 1_000_000 && c < conversations; c++)
                {
                    final long k = (t - c * 1_000_000L) / 200_000;
                    if (k >= 10)
                    {
                        continue;
                    }
                    final boolean fails = c % 5 == 0 && k == 3;
                    final int length = fails ? failingLength : 40 + random.nextInt(700);
                    source.onPacket(0, LINKTYPE_TEST, t, length + 14,
                        frame(0x0A00_0000 + c, 0xC000_0201, 10_000 + c % 50_000, 53, length), 0, length + 14);
                    if (fails)
                    {
                        decodeFailures++;
                    }
                    else
                    {
                        expected[c][0]++;
                        expected[c][1] += length;
                    }
                }
            }
        }
        final List<EndedFlows.Flow> flowList = recorded.snapshot();
        assertTrue(handlerFailures.get() > conversations / everyNth - 2, "handler failed " + handlerFailures);
        assertEquals(conversations, flowList.size() + handlerFailures.get(), "every flow ended exactly once");
        final boolean[] seen = new boolean[conversations];
        for (final EndedFlows.Flow f : flowList)
        {
            final int c = f.record().buffer().getInt(f.record().srcAddressOffset(), ByteOrder.BIG_ENDIAN) - 0x0A00_0000;
            assertTrue(!seen[c], "conversation " + c + " ended twice");
            seen[c] = true;
            assertEquals(expected[c][0], f.packets(), "packets of conversation " + c);
            assertEquals(expected[c][1], f.record().bytes(), "bytes of conversation " + c);
            if (c < conversations - 10)
            {
                assertEquals(FlowEndReason.IDLE_TIMEOUT, f.reason(), "conversation " + c);
            }
        }
        assertEquals(decodeFailures + handlerFailures.get(), registry.value(StageErrors.ERRORS));
        assertEquals(0, registry.sum(FlowMetrics.EMERGENCY), "no entry leaked from the 64-entry pool");
        assertEquals(conversations, registry.sum(FlowMetrics.CREATED));
    }

    private static void sleepMicros(final long micros)
    {
        final long end = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < end)
        {
            Thread.onSpinWait();
        }
    }
}
