package jp.senbetsu.capture.decode;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns one captured packet into one {@link MachineInfoRecord}: the header fields the law allows, from the link
 * layer down through VLAN tags, MPLS labels and tunnels to the innermost IP header and its transport header.
 * No payload byte is copied; every read is checked against the captured length first. Malformed or unsupported
 * packets still yield a record (with what was decoded before the problem) and a {@link DecodeStatus}, counted
 * in the {@link DecodeCounters}.
 *
 * <p>The layer decoders read the packet through a view of exactly its readable bytes (the captured length, at most
 * the snaplen), re-wrapped for every packet. Each decoder checks its header's length against the packet's limit
 * before it reads; the view's own bounds check is the backstop: a decoder defect that read past the packet throws
 * instead of reading the next packet's bytes of a mapped capture file, or a previous packet's bytes left in a ring
 * slot.
 *
 * <p>One instance per decoding thread: it keeps per-packet state and allocates nothing per packet.
 */
public final class PacketDecoder
{
    private final DecodeContext context;
    private final LayerDispatcher dispatcher = new LayerDispatcher();
    private final DecodeCounters counters;
    private final int snaplen;
    /** The packet's readable bytes alone, from index 0. */
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);

    public PacketDecoder(final DecoderConfiguration configuration, final DecodeCounters counters)
    {
        this.context = new DecodeContext(configuration);
        this.counters = counters;
        this.snaplen = configuration.snaplen();
    }

    public PacketDecoder()
    {
        this(new DecoderConfiguration(), new DecodeCounters());
    }

    public DecodeCounters counters()
    {
        return counters;
    }

    /**
     * Decode a packet into the record at {@code recordOffset} of {@code recordBuffer}, overwriting all of it.
     *
     * @param interfaceIndex capture interface of the packet.
     * @param linkType       LINKTYPE_ value of that interface.
     * @param timestampNs    capture time, nanoseconds since the epoch.
     * @param wireLength     original length on the wire.
     * @param buffer         holding the captured bytes.
     * @param offset         of the first captured byte.
     * @param capturedLength number of captured bytes; the decoder reads at most this many (and at most snaplen).
     * @param recordBuffer   to write the record into.
     * @param recordOffset   of the record in {@code recordBuffer}.
     * @return why decoding ended, also stored in the record and counted.
     */
    public DecodeStatus decode(
        final int interfaceIndex,
        final int linkType,
        final long timestampNs,
        final int wireLength,
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final MutableDirectBuffer recordBuffer,
        final int recordOffset)
    {
        final int readable = Math.max(0, Math.min(Math.min(capturedLength, snaplen), buffer.capacity() - offset));
        // the record first, so that it never keeps a previous packet's fields whatever the view below refuses
        context.reset(frame, readable, recordBuffer, recordOffset);
        final MachineInfoRecord record = context.record;
        record.clear()
            .timestampNs(timestampNs)
            .wireLength(wireLength)
            .capturedLength(capturedLength)
            .interfaceIndex(interfaceIndex)
            .linkType(linkType);
        // nothing readable (an offset at or past the buffer's end included): an empty view, decoded as truncated
        frame.wrap(buffer, readable > 0 ? offset : 0, readable);
        final DecodeStatus status = dispatcher.link(context, linkType, 0);
        record.status(status.code());
        counters.increment(status);
        context.buffer = null;
        return status;
    }

    /** Convenience for a record flyweight already wrapped around its slot. */
    public DecodeStatus decode(
        final int interfaceIndex,
        final int linkType,
        final long timestampNs,
        final int wireLength,
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final MachineInfoRecord record)
    {
        return decode(interfaceIndex, linkType, timestampNs, wireLength, buffer, offset, capturedLength,
            record.buffer(), record.offset());
    }
}
