package jp.senbetsu.capture.ring;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import jp.senbetsu.capture.file.PacketHandler;
import jp.senbetsu.capture.metrics.Counter;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import org.agrona.DirectBuffer;

/**
 * The capture thread's side of the ring: a {@link PacketHandler} that claims a slot, copies at most the configured
 * header bytes of the frame and its metadata into it, and publishes. A {@link SourceMode#LIVE} publisher never
 * waits: when the ring is full it drops the packet and counts {@code ring.full}; a {@link SourceMode#FILE}
 * publisher waits for a slot. One publisher per source thread. With decoding on the source
 * ({@link CaptureRingConfiguration#decodeOnSource()}) it decodes the frame where it lies into the slot's record
 * instead of copying it.
 */
public final class RingPublisher implements PacketHandler
{
    public static final String PACKETS = "senbetsu_source_packets_total";
    public static final String BYTES = "senbetsu_source_bytes_total";
    public static final String DROPS = "senbetsu_drops_total";
    public static final String CAUSE_RING_FULL = "ring.full";

    private final RingBuffer<PacketSlot> ring;
    private final SourceMode mode;
    private final int headerBytes;
    private final Counter packets;
    private final Counter bytes;
    private final Counter ringFull;
    private final DecodeHandler decode;
    private final StageErrors errors;

    RingPublisher(
        final RingBuffer<PacketSlot> ring,
        final SourceMode mode,
        final int headerBytes,
        final MetricsRegistry registry,
        final int sourceId)
    {
        this(ring, mode, headerBytes, registry, sourceId, null, null);
    }

    /** @param decode when not null, decodes each packet from the caller's buffer on this thread (nothing copied). */
    RingPublisher(
        final RingBuffer<PacketSlot> ring,
        final SourceMode mode,
        final int headerBytes,
        final MetricsRegistry registry,
        final int sourceId,
        final DecodeHandler decode,
        final StageErrors errors)
    {
        this.decode = decode;
        this.errors = errors;
        this.ring = ring;
        this.mode = mode;
        this.headerBytes = headerBytes;
        final String source = Integer.toString(sourceId);
        this.packets = registry.counter(PACKETS, "Packets a source offered to the ring.", "source", source);
        this.bytes = registry.counter(BYTES, "Wire bytes of the packets a source offered.", "source", source);
        this.ringFull = registry.counter(
            DROPS, "Packets dropped, by cause.", "cause", CAUSE_RING_FULL, "source", source);
    }

    /** Packets this source has offered to the ring so far (a file source's are all delivered: it waits). */
    public long packetsOffered()
    {
        return packets.get();
    }

    @Override
    public void onPacket(
        final int interfaceIndex,
        final int linkType,
        final long timestampNs,
        final int wireLength,
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength)
    {
        packets.increment();
        bytes.add(wireLength);
        final long sequence;
        if (mode == SourceMode.FILE)
        {
            sequence = ring.next();
        }
        else
        {
            try
            {
                sequence = ring.tryNext();
            }
            catch (final InsufficientCapacityException ex)
            {
                ringFull.increment();
                return;
            }
        }
        try
        {
            final PacketSlot slot = ring.get(sequence);
            final int copied = Math.min(capturedLength, headerBytes);
            slot.kind = PacketSlot.PACKET;
            slot.timestampNs = timestampNs;
            slot.wireLength = wireLength;
            slot.capturedLength = capturedLength;
            slot.interfaceIndex = interfaceIndex;
            slot.linkType = linkType;
            if (decode == null)
            {
                slot.frame.putBytes(0, buffer, offset, copied);
                slot.copiedLength = copied;
            }
            else
            {
                slot.copiedLength = 0;
                decodeHere(slot, sequence, buffer, offset, copied);
            }
        }
        finally
        {
            ring.publish(sequence);
        }
    }

    private void decodeHere(
        final PacketSlot slot, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            decode.decode(slot, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            // as if the decode stage had thrown: the slot goes on unmetered, the error is counted
            slot.metered = false;
            errors.handleEventException(ex, sequence, slot);
        }
    }

    /** Puts a wall-clock tick into the ring (never waits; a full ring makes ticks unnecessary). */
    public void tick(final long nowNs)
    {
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return;
        }
        final PacketSlot slot = ring.get(sequence);
        slot.kind = PacketSlot.TICK;
        slot.timestampNs = nowNs;
        slot.copiedLength = 0;
        slot.metered = false;
        ring.publish(sequence);
    }
}
