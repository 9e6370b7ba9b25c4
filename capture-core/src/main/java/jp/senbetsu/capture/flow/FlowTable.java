package jp.senbetsu.capture.flow;

import java.util.Arrays;

import jp.senbetsu.capture.memory.DirectRegion;
import jp.senbetsu.capture.memory.UncheckedView;
import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.DirectBuffer;

/**
 * The open flows of one shard: a fixed pool of entries in direct memory, an open-addressing index over them, and
 * a timing wheel that ends flows on idle and active timeouts as time advances. Everything is reserved when the
 * table is built ({@link #memoryBytes(FlowConfiguration)}; resident then or as first used, see
 * {@link FlowConfiguration#prefaultMemory()}) and never grows: when the pool is full, the flow due soonest is ended
 * with reason lack of resources to make room. Single-threaded: one table per shard thread.
 *
 * <p>An entry is a {@link FlowRecord} (so an ended flow is handed on without copying) followed by the table's
 * bookkeeping:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            FlowRecord (key, counters, times): 160 bytes       |   0
 *  +---------------------------------------------------------------+
 *  |            Next entry in wheel bucket or free list            | 160
 *  +---------------------------------------------------------------+
 *  |            Previous entry in wheel bucket                     | 164
 *  +---------------------------------------------------------------+
 *  |            Wheel bucket, -1 when not scheduled                | 168
 *  +---------------------------------------------------------------+
 *  |            State (FIN seen forward / reverse)                 | 172
 *  +---------------------------------------------------------------+
 *  |            Key hash (64)                                      | 176
 *  +---------------------------------------------------------------+
 *  |            Scheduled check time, ns (64)                      | 184
 *  +---------------------------------------------------------------+ 192
 * </pre>
 * The index is a power-of-two array of longs, linear probing with backward-shift deletion: each slot holds the
 * key hash's low 32 bits (high half) and the entry number plus one (low half), 0 when empty. Memory for twice
 * the pool size is reserved up front, but only as much as keeps the index at most half full is used: it doubles,
 * re-entering the open flows, as their number grows, so a mostly empty table probes a small, cached index.
 *
 * <p>Expiry is driven by {@link #advance(long)} (packet time for files, wall time for live sources), never by
 * the next packet of the same flow: each entry sits in the wheel bucket of the time it must next be checked
 * (the earlier of last packet + idle timeout and start + active timeout). Packets only update the entry; when its
 * bucket comes round, an entry that has seen traffic since is rescheduled, otherwise ended.
 */
public final class FlowTable implements AutoCloseable
{
    public static final int ENTRY_LENGTH = 192;
    public static final int NEXT_OFFSET = 160;
    public static final int PREV_OFFSET = 164;
    public static final int BUCKET_OFFSET = 168;
    public static final int STATE_OFFSET = 172;
    public static final int HASH_OFFSET = 176;
    public static final int CHECK_TIME_OFFSET = 184;

    /** The index starts this small and doubles (within its reserved memory) to stay at most half full. */
    private static final int INITIAL_INDEX_CAPACITY = 4096;
    private static final int FIN_FORWARD = 1;
    private static final int FIN_REVERSE = 2;
    private static final int NONE = -1;
    private static final int TCP = 6;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_RST = 0x04;

    private final boolean vlanInKey;
    private final long idleTimeoutNs;
    private final long activeTimeoutNs;
    private final long tickNs;
    private final int maxFlows;
    private final int bucketMask;
    private final int maxIndexCapacity;
    private int indexMask;
    private final DirectRegion entryMemory;
    private final DirectRegion indexMemory;
    /** The entry pool and the index, without bounds checks: every offset is computed here (see UncheckedView). */
    private final UncheckedView entries;
    private final UncheckedView index;
    private final int[] bucketHeads;
    private final int[] bucketTails;
    private final FlowRecord ended = new FlowRecord();
    private final FlowEndHandler handler;
    private final FlowMetrics metrics;

    /** Ended entries, for reuse first; then entries never used yet, from {@link #neverUsed} on. */
    private int freeHead;
    /** Entries are handed out in order until the pool is spent, so a table only touches memory it has needed. */
    private int neverUsed;
    private int size;
    /** Handler failures not yet thrown: raised once the table's bookkeeping is complete. */
    private FlowEndFailure failure;
    private long nextTick = Long.MIN_VALUE;
    private long nextTickNs = Long.MIN_VALUE;

    public FlowTable(final FlowConfiguration configuration, final FlowEndHandler handler, final FlowMetrics metrics)
    {
        configuration.validate();
        this.vlanInKey = configuration.vlanInKey();
        this.idleTimeoutNs = configuration.idleTimeoutNs();
        this.activeTimeoutNs = configuration.activeTimeoutNs();
        this.tickNs = configuration.wheelTickNs();
        this.maxFlows = configuration.maxFlows();
        this.handler = handler;
        this.metrics = metrics;
        final int indexCapacity = indexCapacity(maxFlows);
        this.maxIndexCapacity = indexCapacity;
        this.indexMask = Math.min(indexCapacity, INITIAL_INDEX_CAPACITY) - 1;
        this.bucketMask = configuration.wheelBuckets() - 1;
        // confidential: records of flows not (yet) selected; never in a core dump, never swapped
        final boolean prefault = configuration.prefaultMemory();
        this.entryMemory = new DirectRegion((long)maxFlows * ENTRY_LENGTH, true, prefault);
        this.indexMemory = new DirectRegion((long)indexCapacity * Long.BYTES, false, prefault);
        metrics.memoryLocked.set(entryMemory.locked() ? 1 : 0);
        this.entries = new UncheckedView(entryMemory.buffer());
        this.index = new UncheckedView(indexMemory.buffer());
        this.bucketHeads = new int[configuration.wheelBuckets()];
        this.bucketTails = new int[configuration.wheelBuckets()];
        Arrays.fill(bucketHeads, NONE);
        Arrays.fill(bucketTails, NONE);
        freeHead = NONE;
    }

    /** Direct memory a table with this configuration holds: the entry pool plus the index. */
    public static long memoryBytes(final FlowConfiguration configuration)
    {
        return DirectRegion.reservedBytesFor((long)configuration.maxFlows() * ENTRY_LENGTH, true)
            + DirectRegion.reservedBytesFor((long)indexCapacity(configuration.maxFlows()) * Long.BYTES);
    }

    private static int indexCapacity(final int maxFlows)
    {
        return Integer.highestOneBit(Math.max(2, maxFlows) * 2 - 1) << 1;
    }

    /** Open flows. */
    public int size()
    {
        return size;
    }

    /** For tests: index slots in use, which is {@link #size()} while the index is consistent. */
    int indexedSlots()
    {
        int used = 0;
        for (int i = 0; i <= indexMask; i++)
        {
            used += index.getLong(i << 3) != 0 ? 1 : 0;
        }
        return used;
    }

    /** Direct memory this table holds, alignment slack included. */
    public long memoryBytes()
    {
        return entryMemory.reservedBytes() + indexMemory.reservedBytes();
    }

    /**
     * Meters one packet: finds or creates its flow, adds the packet to the direction it travels in and ends the
     * flow if the packet closes it (RST, or the second direction's FIN). First advances time to the packet's.
     *
     * @param key    the packet's key, read by {@link FlowKey#read(MachineInfoRecord)} from {@code packet}.
     * @param packet the decoded packet (must have an IP header).
     * @throws FlowEndFailure after the packet was metered, if the handler threw on flows this update ended.
     */
    public void update(final FlowKey key, final MachineInfoRecord packet)
    {
        final long timestampNs = packet.timestampNs();
        advanceClock(timestampNs);
        final UncheckedView e = entries;
        final int tag = (int)key.hash;
        int i = tag & indexMask;
        int id = NONE;
        boolean forward = true;
        long slot;
        while ((slot = index.getLong(i << 3)) != 0)
        {
            if ((int)(slot >>> 32) == tag)
            {
                final int candidate = (int)slot - 1;
                final int offset = candidate * ENTRY_LENGTH;
                if (key.matchesForward(e, offset))
                {
                    id = candidate;
                    break;
                }
                if (key.matchesReverse(e, offset))
                {
                    id = candidate;
                    forward = false;
                    break;
                }
            }
            i = (i + 1) & indexMask;
        }

        if (id != NONE)
        {
            final int offset = id * ENTRY_LENGTH;
            if (idleTimeoutNs > 0 && timestampNs - e.getLong(offset + FlowRecord.END_OFFSET) > idleTimeoutNs)
            {
                end(id, FlowEndReason.IDLE_TIMEOUT.code());
                id = NONE;
            }
            else if (activeTimeoutNs > 0 &&
                timestampNs - e.getLong(offset + FlowRecord.START_OFFSET) > activeTimeoutNs)
            {
                end(id, FlowEndReason.ACTIVE_TIMEOUT.code());
                id = NONE;
            }
        }
        if (id == NONE)
        {
            if (size == maxFlows)
            {
                evictOldest();
            }
            id = insert(key, packet);
            forward = true;
        }
        accumulate(id, forward, packet);
        throwFailure();
    }

    /** Throws the handler failures collected while the table finished its work, if any. */
    private void throwFailure()
    {
        final FlowEndFailure f = failure;
        if (f != null)
        {
            failure = null;
            throw f;
        }
    }

    /**
     * Starts loading the memory that {@link #update} will need for a packet with this key hash (its index slot and
     * the entry it points to) without changing anything. Called for a batch of packets before updating them, it
     * lets the CPU wait for many cache misses at once instead of one after the other.
     *
     * @return a value of no meaning, to be consumed so that the loads are not optimised away.
     */
    public long touch(final long hash)
    {
        return touchEntry(indexSlot(hash));
    }

    /**
     * The first half of {@link #touch(long)}: loads (and returns) the index slot a key hash starts probing at.
     * Doing this for a whole batch first, then {@link #touchEntry(long)} for each result, keeps many independent
     * loads in flight at once: each pass is short, so the CPU's out-of-order window spans many packets.
     */
    public long indexSlot(final long hash)
    {
        return index.getLong(((int)hash & indexMask) << 3);
    }

    /**
     * The second half of {@link #touch(long)}: loads the three cache lines of the entry an index slot (from
     * {@link #indexSlot(long)}) points to, if any.
     *
     * @return a value of no meaning, to be consumed so that the loads are not optimised away.
     */
    public long touchEntry(final long slot)
    {
        if (slot == 0)
        {
            return 0;
        }
        // all three cache lines of the entry: key, counters, last-packet times
        final int offset = ((int)slot - 1) * ENTRY_LENGTH;
        return entries.getLong(offset + FlowRecord.SRC_ADDRESS_OFFSET)
            + entries.getLong(offset + FlowRecord.PACKETS_OFFSET)
            + entries.getLong(offset + FlowRecord.REVERSE_LAST_OFFSET);
    }

    /**
     * Advances the table's clock and ends every flow whose idle or active timeout has passed by then, in the
     * order they became due. Time never goes back: an earlier time is ignored.
     *
     * @throws FlowEndFailure after every due flow was ended, if the handler threw on some of them.
     */
    public void advance(final long nowNs)
    {
        advanceClock(nowNs);
        throwFailure();
    }

    private void advanceClock(final long nowNs)
    {
        if (nowNs < nextTickNs)
        {
            return;
        }
        final long target = Math.floorDiv(nowNs, tickNs);
        if (nextTick == Long.MIN_VALUE)
        {
            nextTick = target;
            nextTickNs = target * tickNs;
            return;
        }
        final long steps = Math.min(target - nextTick + 1, bucketMask + 1L);
        for (long s = 0; s < steps; s++)
        {
            processBucket((int)((nextTick + s) & bucketMask), target, nowNs);
        }
        nextTick = target + 1;
        nextTickNs = nextTick * tickNs;
    }

    /**
     * Ends every open flow with {@code reason} (forced end at shutdown), in the order of their entries in the pool,
     * and leaves the table empty. At shutdown a third of a lab run's flows can still be open, and this is the part
     * of the run no other thread shares: the pool is read front to back (the order in which a walk of the wheel's
     * bucket lists would visit them costs a cache miss per flow, which measured 260 ns a flow of a 160 000-flow
     * flush), and the wheel and the index are cleared once at the end instead of flow by flow.
     *
     * @throws FlowEndFailure after every flow was ended, if the handler threw on some of them.
     */
    public void flush(final FlowEndReason reason)
    {
        final UncheckedView e = entries;
        try
        {
            for (int id = 0; id < neverUsed; id++)
            {
                final int offset = id * ENTRY_LENGTH;
                // every open flow is on the wheel; an ended entry is not
                if (e.getInt(offset + BUCKET_OFFSET) != NONE)
                {
                    e.putInt(offset + BUCKET_OFFSET, NONE);
                    release(id, reason.code());
                }
            }
        }
        finally
        {
            // whatever the handler threw, no ended entry stays reachable from the wheel or the index
            Arrays.fill(bucketHeads, NONE);
            Arrays.fill(bucketTails, NONE);
            index.setMemory(0, (indexMask + 1) * Long.BYTES, (byte)0);
        }
        if (size != 0)
        {
            throw new IllegalStateException(size + " open flows were on no wheel bucket and were not ended");
        }
        throwFailure();
    }

    @Override
    public void close()
    {
        entryMemory.close();
        indexMemory.close();
    }

    private int insert(final FlowKey key, final MachineInfoRecord packet)
    {
        final UncheckedView e = entries;
        final int id;
        if (freeHead != NONE)
        {
            id = freeHead;
            freeHead = e.getInt(id * ENTRY_LENGTH + NEXT_OFFSET);
        }
        else
        {
            id = neverUsed++;  // size < maxFlows here, so an ended entry or a never-used one is always left
        }
        final int offset = id * ENTRY_LENGTH;
        e.setMemory(offset, ENTRY_LENGTH, (byte)0);
        e.putLong(offset + FlowRecord.SRC_ADDRESS_OFFSET, key.srcHigh);
        e.putLong(offset + FlowRecord.SRC_ADDRESS_OFFSET + 8, key.srcLow);
        e.putLong(offset + FlowRecord.DST_ADDRESS_OFFSET, key.dstHigh);
        e.putLong(offset + FlowRecord.DST_ADDRESS_OFFSET + 8, key.dstLow);
        e.putLong(offset + FlowRecord.SRC_PORT_OFFSET, key.portsForward);
        e.putLong(offset + FlowRecord.ICMP_CODE_OFFSET, key.upperRaw);
        final int presence = packet.presence();
        int flags = 0;
        if ((presence & MachineInfoRecord.HAS_PORTS) != 0)
        {
            flags |= FlowRecord.FLAG_HAS_PORTS;
        }
        if ((presence & MachineInfoRecord.HAS_ICMP) != 0)
        {
            flags |= FlowRecord.FLAG_HAS_ICMP;
        }
        if ((presence & MachineInfoRecord.HAS_TUNNEL) != 0)
        {
            flags |= FlowRecord.FLAG_HAS_TUNNEL;
        }
        if (vlanInKey && packet.vlanCount() != 0)
        {
            flags |= FlowRecord.FLAG_HAS_VLAN;
        }
        e.putInt(offset + FlowRecord.FLOW_FLAGS_OFFSET, flags);
        e.putInt(offset + FlowRecord.INTERFACE_INDEX_OFFSET, packet.interfaceIndex());
        final long ts = packet.timestampNs();
        e.putLong(offset + FlowRecord.START_OFFSET, ts);
        e.putLong(offset + FlowRecord.END_OFFSET, ts);
        e.putShort(offset + FlowRecord.INITIAL_TCP_FLAGS_OFFSET, (short)packet.tcpFlags());
        e.putLong(offset + HASH_OFFSET, key.hash);
        e.putInt(offset + BUCKET_OFFSET, NONE);

        if (size + 1 > (indexMask + 1) >>> 1 && indexMask + 1 < maxIndexCapacity)
        {
            growIndex();
        }
        putIndex(key.hash, id);
        size++;
        metrics.created.increment();
        metrics.active.set(size);
        schedule(id, checkTime(offset));
        return id;
    }

    /**
     * Doubles the part of the index in use and re-enters every open flow (all are in the wheel). The memory was
     * reserved for the largest size at construction: using only what the open flows need keeps the index that
     * every packet probes small enough to stay in cache while a large table is mostly empty.
     */
    private void growIndex()
    {
        final int capacity = (indexMask + 1) << 1;
        indexMask = capacity - 1;
        index.setMemory(0, capacity << 3, (byte)0);
        for (int bucket = 0; bucket <= bucketMask; bucket++)
        {
            for (int id = bucketHeads[bucket]; id != NONE; id = entries.getInt(id * ENTRY_LENGTH + NEXT_OFFSET))
            {
                putIndex(entries.getLong(id * ENTRY_LENGTH + HASH_OFFSET), id);
            }
        }
    }

    /** Enters entry {@code id} in the index at the first free slot from its hash's home slot (linear probing). */
    private void putIndex(final long hash, final int id)
    {
        int i = (int)hash & indexMask;
        while (index.getLong(i << 3) != 0)
        {
            i = (i + 1) & indexMask;
        }
        index.putLong(i << 3, ((hash & 0xFFFF_FFFFL) << 32) | (id + 1L));
    }

    private void accumulate(final int id, final boolean forward, final MachineInfoRecord packet)
    {
        final UncheckedView e = entries;
        final int offset = id * ENTRY_LENGTH;
        final long ts = packet.timestampNs();
        final int ipLength = packet.ipLength();
        final int wireLength = packet.wireLength();
        final int tcpFlags = packet.tcpFlags();
        if (ts > e.getLong(offset + FlowRecord.END_OFFSET))
        {
            e.putLong(offset + FlowRecord.END_OFFSET, ts);
        }
        else if (ts < e.getLong(offset + FlowRecord.START_OFFSET))
        {
            e.putLong(offset + FlowRecord.START_OFFSET, ts);
        }
        if (forward)
        {
            e.putLong(offset + FlowRecord.PACKETS_OFFSET, e.getLong(offset + FlowRecord.PACKETS_OFFSET) + 1);
            e.putLong(offset + FlowRecord.BYTES_OFFSET, e.getLong(offset + FlowRecord.BYTES_OFFSET) + ipLength);
            e.putLong(offset + FlowRecord.WIRE_BYTES_OFFSET,
                e.getLong(offset + FlowRecord.WIRE_BYTES_OFFSET) + wireLength);
            e.putShort(offset + FlowRecord.TCP_FLAGS_OFFSET,
                (short)(e.getShort(offset + FlowRecord.TCP_FLAGS_OFFSET) | tcpFlags));
            if (ts > e.getLong(offset + FlowRecord.FORWARD_LAST_OFFSET))
            {
                e.putLong(offset + FlowRecord.FORWARD_LAST_OFFSET, ts);
            }
        }
        else
        {
            final long reversePackets = e.getLong(offset + FlowRecord.REVERSE_PACKETS_OFFSET);
            if (reversePackets == 0)
            {
                e.putLong(offset + FlowRecord.REVERSE_FIRST_OFFSET, ts);
                e.putShort(offset + FlowRecord.REVERSE_INITIAL_TCP_FLAGS_OFFSET, (short)tcpFlags);
            }
            e.putLong(offset + FlowRecord.REVERSE_PACKETS_OFFSET, reversePackets + 1);
            e.putLong(offset + FlowRecord.REVERSE_BYTES_OFFSET,
                e.getLong(offset + FlowRecord.REVERSE_BYTES_OFFSET) + ipLength);
            e.putLong(offset + FlowRecord.REVERSE_WIRE_BYTES_OFFSET,
                e.getLong(offset + FlowRecord.REVERSE_WIRE_BYTES_OFFSET) + wireLength);
            e.putShort(offset + FlowRecord.REVERSE_TCP_FLAGS_OFFSET,
                (short)(e.getShort(offset + FlowRecord.REVERSE_TCP_FLAGS_OFFSET) | tcpFlags));
            if (ts > e.getLong(offset + FlowRecord.REVERSE_LAST_OFFSET))
            {
                e.putLong(offset + FlowRecord.REVERSE_LAST_OFFSET, ts);
            }
        }
        if ((packet.presence() & MachineInfoRecord.HAS_FRAGMENT) != 0)
        {
            e.putInt(offset + FlowRecord.FLOW_FLAGS_OFFSET,
                e.getInt(offset + FlowRecord.FLOW_FLAGS_OFFSET) | FlowRecord.FLAG_FRAGMENTED);
        }
        metrics.packets.increment();
        metrics.bytes.add(wireLength);

        if (tcpFlags != 0 && packet.protocol() == TCP)
        {
            if ((tcpFlags & TCP_RST) != 0)
            {
                end(id, FlowEndReason.END_OF_FLOW.code());
            }
            else if ((tcpFlags & TCP_FIN) != 0)
            {
                final int state = e.getInt(offset + STATE_OFFSET) | (forward ? FIN_FORWARD : FIN_REVERSE);
                e.putInt(offset + STATE_OFFSET, state);
                if (state == (FIN_FORWARD | FIN_REVERSE))
                {
                    end(id, FlowEndReason.END_OF_FLOW.code());
                }
            }
        }
    }

    /** When the entry must next be looked at: its earliest possible timeout. */
    private long checkTime(final int offset)
    {
        final long last = entries.getLong(offset + FlowRecord.END_OFFSET);
        long due = Long.MAX_VALUE;
        if (idleTimeoutNs > 0)
        {
            due = last + idleTimeoutNs;
        }
        if (activeTimeoutNs > 0)
        {
            due = Math.min(due, entries.getLong(offset + FlowRecord.START_OFFSET) + activeTimeoutNs);
        }
        return due == Long.MAX_VALUE ? last + FlowConfiguration.UNTIMED_HORIZON_NS : due;
    }

    private void processBucket(final int bucket, final long targetTick, final long nowNs)
    {
        int id = bucketHeads[bucket];
        bucketHeads[bucket] = NONE;
        bucketTails[bucket] = NONE;
        while (id != NONE)
        {
            final int offset = id * ENTRY_LENGTH;
            final int next = entries.getInt(offset + NEXT_OFFSET);
            entries.putInt(offset + BUCKET_OFFSET, NONE);
            final long checkTime = entries.getLong(offset + CHECK_TIME_OFFSET);
            if (Math.floorDiv(checkTime, tickNs) + 1 > targetTick)
            {
                append(bucket, id);
            }
            else
            {
                final int reason = dueReason(offset, nowNs);
                if (reason != 0)
                {
                    entries.putInt(offset + NEXT_OFFSET, NONE);
                    endUnscheduled(id, reason);
                }
                else
                {
                    schedule(id, checkTime(offset));
                }
            }
            id = next;
        }
    }

    private int dueReason(final int offset, final long nowNs)
    {
        if (idleTimeoutNs > 0 && nowNs - entries.getLong(offset + FlowRecord.END_OFFSET) > idleTimeoutNs)
        {
            return FlowEndReason.IDLE_TIMEOUT.code();
        }
        if (activeTimeoutNs > 0 && nowNs - entries.getLong(offset + FlowRecord.START_OFFSET) > activeTimeoutNs)
        {
            return FlowEndReason.ACTIVE_TIMEOUT.code();
        }
        return 0;
    }

    private void evictOldest()
    {
        final long start = nextTick == Long.MIN_VALUE ? 0 : nextTick;
        for (int s = 0; s <= bucketMask; s++)
        {
            final int bucket = (int)((start + s) & bucketMask);
            if (bucketHeads[bucket] != NONE)
            {
                metrics.emergencyExpiries.increment();
                end(bucketHeads[bucket], FlowEndReason.LACK_OF_RESOURCES.code());
                return;
            }
        }
        throw new IllegalStateException("flow table full but no flow scheduled");
    }

    private void schedule(final int id, final long checkTime)
    {
        final int offset = id * ENTRY_LENGTH;
        entries.putLong(offset + CHECK_TIME_OFFSET, checkTime);
        append((int)((Math.floorDiv(checkTime, tickNs) + 1) & bucketMask), id);
    }

    private void append(final int bucket, final int id)
    {
        final int offset = id * ENTRY_LENGTH;
        final int tail = bucketTails[bucket];
        entries.putInt(offset + BUCKET_OFFSET, bucket);
        entries.putInt(offset + NEXT_OFFSET, NONE);
        entries.putInt(offset + PREV_OFFSET, tail);
        if (tail == NONE)
        {
            bucketHeads[bucket] = id;
        }
        else
        {
            entries.putInt(tail * ENTRY_LENGTH + NEXT_OFFSET, id);
        }
        bucketTails[bucket] = id;
    }

    private void unschedule(final int id)
    {
        final int offset = id * ENTRY_LENGTH;
        final int bucket = entries.getInt(offset + BUCKET_OFFSET);
        if (bucket == NONE)
        {
            return;
        }
        final int next = entries.getInt(offset + NEXT_OFFSET);
        final int prev = entries.getInt(offset + PREV_OFFSET);
        if (prev == NONE)
        {
            bucketHeads[bucket] = next;
        }
        else
        {
            entries.putInt(prev * ENTRY_LENGTH + NEXT_OFFSET, next);
        }
        if (next == NONE)
        {
            bucketTails[bucket] = prev;
        }
        else
        {
            entries.putInt(next * ENTRY_LENGTH + PREV_OFFSET, prev);
        }
        entries.putInt(offset + BUCKET_OFFSET, NONE);
    }

    private void end(final int id, final int reason)
    {
        unschedule(id);
        endUnscheduled(id, reason);
    }

    private void endUnscheduled(final int id, final int reason)
    {
        removeFromIndex(id, entries.getLong(id * ENTRY_LENGTH + HASH_OFFSET));
        release(id, reason);
    }

    /** Ends a flow that is neither scheduled nor indexed any more: free list, counters, then the handler. */
    private void release(final int id, final int reason)
    {
        final int offset = id * ENTRY_LENGTH;
        size--;
        metrics.active.set(size);
        metrics.ended(reason).increment();
        entries.putByte(offset + FlowRecord.END_REASON_OFFSET, (byte)reason);
        // back on the free list first (the handler cannot insert: same thread), so a throwing handler leaks nothing
        entries.putInt(offset + NEXT_OFFSET, freeHead);
        freeHead = id;
        try
        {
            handler.onFlowEnd(ended.wrap(entryMemory.buffer(), offset));
        }
        catch (final RuntimeException ex)
        {
            // the caller may be half-way through a bucket: finish, then throw (see throwFailure)
            failure = FlowEndFailure.join(failure, ex);
        }
        finally
        {
            wipe(offset);
        }
    }

    /**
     * Zeroes what an ended entry holds of its communication (the record, its FIN state, key hash and check time)
     * once the handler has taken it, so that a flow, selected or not, does not stay in memory until its entry is
     * reused. The free-list link and the bucket mark (not scheduled), which {@link #flush} reads, stay.
     */
    private void wipe(final int offset)
    {
        entries.setMemory(offset, NEXT_OFFSET, (byte)0);
        entries.setMemory(offset + STATE_OFFSET, ENTRY_LENGTH - STATE_OFFSET, (byte)0);
    }

    /** The entries' memory, for tests that check what it still holds. */
    DirectBuffer entryMemoryForTest()
    {
        return entryMemory.buffer();
    }

    private void removeFromIndex(final int id, final long hash)
    {
        final long wanted = ((hash & 0xFFFF_FFFFL) << 32) | (id + 1L);
        int i = (int)hash & indexMask;
        while (index.getLong(i << 3) != wanted)
        {
            i = (i + 1) & indexMask;
        }
        // backward-shift deletion keeps every remaining key reachable from its home slot without tombstones
        int j = i;
        while (true)
        {
            j = (j + 1) & indexMask;
            final long slot = index.getLong(j << 3);
            if (slot == 0)
            {
                break;
            }
            final int home = (int)(slot >>> 32) & indexMask;
            final boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays)
            {
                index.putLong(i << 3, slot);
                i = j;
            }
        }
        index.putLong(i << 3, 0);
    }
}
