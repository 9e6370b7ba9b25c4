package jp.senbetsu.capture.ring;

import com.lmax.disruptor.EventHandler;
import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.classify.CommunicationClassifier;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.flow.FlowKey;
import jp.senbetsu.capture.flow.FragmentTable;
import jp.senbetsu.capture.metrics.Counter;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.DirectBuffer;

/**
 * The stage behind the sources: decodes each slot's header bytes into its record, classifies the communication
 * (dropping and counting what no rule may ever select: 内内 and unknown), gives later IP fragments the ports of
 * their first fragment (or counts them {@code frag.orphan}) and picks the flow shard. One thread, so fragments
 * are attributed before packets are spread over shards. The slot's frame bytes are zeroed as soon as they are
 * decoded, so payload copied with the headers never survives this stage.
 */
final class DecodeHandler implements EventHandler<PacketSlot>
{
    static final String PACKETS = "senbetsu_decoded_packets_total";
    static final String BYTES = "senbetsu_decoded_bytes_total";
    static final String CATEGORY_PACKETS = "senbetsu_category_packets_total";
    static final String FRAGMENTS = "senbetsu_fragments_total";
    static final String CAUSE_NOT_IP = "not.ip";
    static final String CAUSE_FRAG_ORPHAN = "frag.orphan";

    private final StageStart started = new StageStart();
    private final FrameDecoder decoder;
    private final CommunicationClassifier classifier;
    private final FragmentTable fragments;
    private final FlowKey key;
    private final int shards;
    private final Counter packets;
    private final Counter bytes;
    private final Counter notIp;
    private final Counter orphans;
    private final Counter firstFragments;
    private final Counter attributedFragments;
    private final Counter[] categoryPackets = new Counter[Category.values().length];
    private final Counter[] categoryDrops = new Counter[Category.values().length];

    DecodeHandler(
        final FrameDecoder decoder,
        final CommunicationClassifier classifier,
        final FlowConfiguration flowConfiguration,
        final int shards,
        final MetricsRegistry registry)
    {
        this.decoder = decoder;
        this.classifier = classifier;
        this.fragments = new FragmentTable(flowConfiguration);
        this.key = new FlowKey(flowConfiguration);
        this.shards = shards;
        packets = registry.counter(PACKETS, "Packets decoded.");
        bytes = registry.counter(BYTES, "Wire bytes of the packets decoded (as on the wire, not as captured).");
        notIp = registry.counter(RingPublisher.DROPS, "Packets dropped, by cause.", "cause", CAUSE_NOT_IP);
        orphans = registry.counter(RingPublisher.DROPS, "Packets dropped, by cause.", "cause", CAUSE_FRAG_ORPHAN);
        firstFragments = registry.counter(FRAGMENTS, "IP fragments, by outcome.", "outcome", "first");
        attributedFragments = registry.counter(FRAGMENTS, "IP fragments, by outcome.", "outcome", "attributed");
        for (final Category c : Category.values())
        {
            categoryPackets[c.code()] = registry.counter(
                CATEGORY_PACKETS, "Packets by communication category.", "category", c.label());
            if (!c.eligible())
            {
                categoryDrops[c.code()] = registry.counter(
                    RingPublisher.DROPS, "Packets dropped, by cause.", "cause", "category." + c.label());
            }
        }
    }

    @Override
    public void onEvent(final PacketSlot slot, final long sequence, final boolean endOfBatch)
    {
        slot.metered = false;
        if (slot.kind != PacketSlot.PACKET)
        {
            return;
        }
        try
        {
            decode(slot, slot.frame, 0, slot.copiedLength);
        }
        finally
        {
            // the record holds what may be kept; no byte of the frame (payload included) outlives this stage
            slot.frame.setMemory(0, slot.copiedLength, (byte)0);
        }
    }

    /**
     * Decodes a packet slot's frame from wherever its bytes are: the slot's own copy (this stage), or the source's
     * buffer when decoding runs on the source thread ({@link CaptureRingConfiguration#decodeOnSource()}), in which
     * case no frame byte is ever copied into the ring. Sets the slot's record, whether it is metered, its shard.
     * The record of a packet that is dropped here (not IP, 内内 or unknown, an orphan fragment) is zeroed at once:
     * what no rule may select does not wait in the ring for the slot's reuse.
     */
    void decode(final PacketSlot slot, final DirectBuffer frame, final int offset, final int length)
    {
        slot.metered = false;
        final MachineInfoRecord record = slot.record;
        record.clear()
            .timestampNs(slot.timestampNs)
            .wireLength(slot.wireLength)
            .capturedLength(slot.capturedLength)
            .interfaceIndex(slot.interfaceIndex)
            .linkType(slot.linkType);
        decoder.decode(slot.linkType, frame, offset, length, record);
        record.capturedLength(slot.capturedLength);
        packets.increment();
        bytes.add(slot.wireLength);
        if ((record.presence() & MachineInfoRecord.HAS_IP) == 0)
        {
            notIp.increment();
            record.clear();
            return;
        }
        if (classifier != null)
        {
            final int category = classifier.classify(
                record.ipVersion(), record.buffer(), record.srcAddressOffset(), record.dstAddressOffset());
            final Category c = Category.ofCode(category);
            categoryPackets[c.code()].increment();
            if (!c.eligible())
            {
                categoryDrops[c.code()].increment();
                record.clear();
                return;
            }
        }
        final int outcome = fragments.attribute(record);
        if (outcome == FragmentTable.ORPHAN)
        {
            orphans.increment();
            record.clear();
            return;
        }
        if (outcome == FragmentTable.FIRST)
        {
            firstFragments.increment();
        }
        else if (outcome == FragmentTable.ATTRIBUTED)
        {
            attributedFragments.increment();
        }
        slot.shard = shards == 1 ? 0 : key.read(record).shard(shards);
        slot.metered = true;
    }

    @Override
    public void onStart()
    {
        started.arrive();
    }

    void awaitStart()
    {
        started.await();
    }

    @Override
    public void onShutdown()
    {
        fragments.close();
    }
}
