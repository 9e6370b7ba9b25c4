package jp.senbetsu.store;

import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.Actor;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditFields;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.audit.AuditRecord;
import jp.senbetsu.store.batch.BatchHeader;
import jp.senbetsu.store.batch.BatchOpener;
import jp.senbetsu.store.batch.BatchSealer;
import jp.senbetsu.store.chain.ChainHash;
import jp.senbetsu.store.keys.DataKey;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.KeystoreException;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.NonceCounter;
import jp.senbetsu.store.keys.SealedDataKey;
import jp.senbetsu.store.keys.SecureFiles;
import jp.senbetsu.store.partition.PartitionCycle;
import jp.senbetsu.store.partition.PartitionDocuments;
import jp.senbetsu.store.partition.PartitionQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

/**
 * The writer of a sealed store: takes selected records (and nothing else), batches them (up to
 * {@link StoreConfiguration#batchRecords()} records or {@link StoreConfiguration#batchTimeoutNs()}), seals each
 * batch with its partition's data key, chains it and appends it as one Chronicle Queue document, then
 * acknowledges its sequence.
 *
 * <p>Opening finds the chain head; if the last document is torn (cut short: shorter than its header announces)
 * it is reported, recorded in the audit log, and bridged by a recovery document so the chain continues and
 * {@code verify} passes. A complete last document that does not parse, link or authenticate is refused, with
 * partition, batch sequence and reason: that is tampering or unexplained damage, not a torn write.
 *
 * <p>Single-threaded: one pipeline thread appends and polls. One writer per store: a {@link WriterLock} on
 * {@code writer.lock} is held from opening to closing, and a second writer (another appliance, an ingest beside
 * the daemon, or a second instance in this process) is refused.
 */
public final class SealedStore implements AutoCloseable
{
    private final StoreConfiguration config;
    private final StoreLayout layout;
    private final StoreSettings settings;
    private final PartitionCycle cycle;
    private final AuditLog audit;
    private final Actor actor;
    private final DataKeyRing keys;
    private final EpochClock epochClock;
    private final NanoClock nanoClock;
    private final int batchRecords;
    private final long batchTimeoutNs;
    private final boolean sync;
    private final BatchSealer sealer = new BatchSealer();
    private final ChainHash chain = new ChainHash();
    /** The open batch's records, end to end; grows (up to {@link BatchHeader#MAX_RECORDS_LENGTH}) for long ones. */
    private byte[] plain = new byte[StoreConfiguration.DEFAULT_BATCH_RECORDS * SelectedFlowRecord.FIXED_LENGTH];
    private byte[] doc = new byte[documentLength(plain.length)];
    private final String recovery;
    private final WriterLock writerLock;

    private int count;
    private int plainLength;
    private long batchStartNs;
    private long sequence;
    private volatile long lastAcknowledged;
    private volatile long recordsAcknowledged;
    private long partitionStart = Long.MIN_VALUE;
    private String partitionName;
    private long partitionLastSequence = -1;
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private NonceCounter nonces;
    private boolean closed;

    private SealedStore(final StoreConfiguration config, final MasterKeyStore master, final AuditLog audit,
        final Actor actor)
    {
        this.config = config;
        this.layout = config.layout();
        this.settings = StoreSettings.load(layout.settings());
        this.cycle = settings.cycle();
        this.audit = audit;
        this.actor = actor;
        this.keys = new DataKeyRing(layout.keys(), master);
        this.epochClock = config.epochClock();
        this.nanoClock = config.nanoClock();
        this.batchRecords = config.batchRecords();
        this.batchTimeoutNs = config.batchTimeoutNs();
        this.sync = config.durability() == Durability.SYNCED;
        // before reading the chain head: a second writer would continue from the same head and fork the chain
        this.writerLock = WriterLock.acquire(layout);
        try
        {
            this.recovery = recover();
        }
        catch (final RuntimeException ex)
        {
            writerLock.close();
            throw ex;
        }
        this.lastAcknowledged = sequence;
    }

    /**
     * Opens the store for appending. The audit log is shared with the caller (who also closes it), so that the
     * appliance's start/stop and rule events land in the same log.
     */
    public static SealedStore open(final StoreConfiguration config, final MasterKeyStore master,
        final AuditLog audit, final Actor actor)
    {
        final SealedStore store = new SealedStore(config, master, audit, actor);
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "append");
        details.put(AuditFields.SEQUENCE, store.sequence);
        if (store.recovery != null)
        {
            details.put("recovery", store.recovery);
        }
        audit.append(AuditEvent.STORE_OPEN, actor, details);
        return store;
    }

    /**
     * Appends one {@link SelectedFlowRecord} at {@code offset} ({@link SelectedFlowRecord#lengthAt} bytes: the fixed
     * part and its further rule IDs). A batch is sealed when it holds the configured number of records, when the
     * next record would take its records past {@link BatchHeader#MAX_RECORDS_LENGTH} bytes, or once it is older than
     * the batch timeout.
     *
     * @throws IllegalArgumentException if the bytes at {@code offset} are not a record (their counts disagree).
     */
    public void append(final DirectBuffer buffer, final int offset)
    {
        append(buffer, offset, SelectedFlowRecord.lengthAt(buffer, offset));
    }

    /**
     * As {@link #append(DirectBuffer, int)}, for a record handed over in a message of {@code length} bytes (the
     * selected-record queue): the record's own counts must give exactly that length, so neither bytes of the next
     * message nor stale bytes of the queue can be sealed with it.
     *
     * @throws IllegalArgumentException if the bytes are not a record of that length; the store is unchanged.
     */
    public void append(final DirectBuffer buffer, final int offset, final int length)
    {
        final int recordLength = SelectedFlowRecord.lengthAt(buffer, offset);
        if (recordLength < 0)
        {
            throw new IllegalArgumentException("not a selected record: matched-rule count " +
                buffer.getInt(offset + SelectedFlowRecord.MATCHED_RULE_COUNT_OFFSET) + ", further rules " +
                buffer.getInt(offset + SelectedFlowRecord.FURTHER_RULE_COUNT_OFFSET));
        }
        if (recordLength != length)
        {
            throw new IllegalArgumentException("a selected record of " + recordLength + " bytes in a message of " +
                length + " bytes");
        }
        if (count > 0 && plainLength + length > BatchHeader.MAX_RECORDS_LENGTH)
        {
            seal();
        }
        if (count == 0)
        {
            batchStartNs = nanoClock.nanoTime();
        }
        if (plainLength + length > plain.length)
        {
            plain = Arrays.copyOf(plain, Math.min(BatchHeader.MAX_RECORDS_LENGTH,
                Math.max(plain.length * 2, plainLength + length)));
            doc = new byte[documentLength(plain.length)];
        }
        buffer.getBytes(offset, plain, plainLength, length);
        plainLength += length;
        if (++count >= batchRecords || ((count & 15) == 0 && nanoClock.nanoTime() - batchStartNs >= batchTimeoutNs))
        {
            seal();
        }
    }

    private static int documentLength(final int recordsLength)
    {
        return BatchHeader.LENGTH + Math.max(recordsLength + BatchHeader.TAG_LENGTH, BatchHeader.RECOVERY_BODY_LENGTH);
    }

    /** Seals the open batch if it is older than the batch timeout; call from the pipeline's idle loop. */
    public int poll()
    {
        if (count > 0 && nanoClock.nanoTime() - batchStartNs >= batchTimeoutNs)
        {
            seal();
            return 1;
        }
        return 0;
    }

    /** Seals the open batch now, whatever its size. */
    public void flush()
    {
        if (count > 0)
        {
            seal();
        }
    }

    /** Sequence of the last batch written (and synced, per configuration); 0 before the first. */
    public long lastAcknowledgedSequence()
    {
        return lastAcknowledged;
    }

    /** Records in acknowledged batches since this writer opened. */
    public long recordsAcknowledged()
    {
        return recordsAcknowledged;
    }

    /** Records waiting in the open batch. */
    public int pendingRecords()
    {
        return count;
    }

    /** What opening found at the tail (a torn batch and how it was bridged), or null if nothing. */
    public String recovery()
    {
        return recovery;
    }

    /** Current chain head (hash of the last batch), hex. */
    public String headHash()
    {
        return chain.headHex();
    }

    private void seal()
    {
        final long start = cycle.startOf(epochClock.time());
        if (start > partitionStart)
        {
            rollTo(start);
        }
        final long next = sequence + 1;
        final int length = sealer.seal(plain, count, plainLength, next, chain, doc);
        write(length);
        sequence = next;
        partitionLastSequence = next;
        recordsAcknowledged += count;
        count = 0;
        plainLength = 0;
        lastAcknowledged = next;
    }

    private void write(final int length)
    {
        // one writer at a time, but not always the same thread: the appliance hands the store from its control
        // thread to the store-writer thread and back for the final flush
        appender.singleThreadedCheckReset();
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(doc, 0, length);
        }
        if (sync)
        {
            appender.sync();
        }
    }

    private void rollTo(final long start)
    {
        closePartition();
        partitionStart = start;
        partitionName = PartitionCycle.name(start);
        final DataKey key;
        if (keys.exists(partitionName))
        {
            key = keys.load(partitionName);
        }
        else
        {
            key = keys.create(partitionName);
            final Map<String, Object> details = new LinkedHashMap<>();
            details.put(AuditFields.PARTITION, partitionName);
            details.put(AuditFields.KEY_ID, HexFormat.of().formatHex(key.keyId()));
            details.put(AuditFields.FINGERPRINT, key.fingerprint());
            details.put(AuditFields.MASTER_KEY, keys.read(partitionName).masterKeyId());
            audit.append(AuditEvent.KEY_CREATE, actor, details);
        }
        nonces = keys.nonces(partitionName);
        try
        {
            SecureFiles.ownerDirectory(layout.partition(partitionName));
            queue = PartitionQueue.forAppend(layout.partition(partitionName), start, cycle);
            appender = queue.createAppender();
        }
        catch (final RuntimeException ex)
        {
            nonces.close();
            nonces = null;
            if (queue != null)
            {
                queue.close();
                queue = null;
            }
            // no open partition: the next seal tries the roll again rather than writing through a null appender
            partitionStart = Long.MIN_VALUE;
            throw ex;
        }
        sealer.use(key, nonces, start / 1000);
    }

    private void closePartition()
    {
        if (queue == null)
        {
            return;
        }
        anchorHead();
        appender.singleThreadedCheckReset();
        appender.close();
        queue.close();
        nonces.close();
        queue = null;
        appender = null;
        nonces = null;
    }

    private void anchorHead()
    {
        if (partitionLastSequence > 0)
        {
            final Map<String, Object> details = new LinkedHashMap<>();
            details.put(AuditFields.PARTITION, partitionName);
            details.put(AuditFields.SEQUENCE, partitionLastSequence);
            details.put(AuditFields.HASH, chain.headHex());
            audit.append(AuditEvent.STORE_HEAD, actor, details);
            partitionLastSequence = -1;
        }
    }

    /** Finds the chain head; bridges a torn last batch. Returns a description of what was recovered, or null. */
    private String recover()
    {
        registerEmptyPartitions();
        final List<String> names = layout.partitionNames();
        for (int i = names.size() - 1; i >= 0; i--)
        {
            final String name = names.get(i);
            final List<PartitionDocuments.Document> last;
            try (PartitionDocuments docs = PartitionDocuments.open(layout.partition(name), name, cycle))
            {
                if (docs == null)
                {
                    continue;
                }
                last = docs.last(2);
            }
            if (last.isEmpty())
            {
                continue;
            }
            return recoverTail(name, last);
        }
        sequence = 0;
        chain.reset(ChainHash.genesis("store", settings.storeId()));
        AuditRecord lastErasure = null;
        for (final AuditRecord r : AuditLog.read(layout.audit()))
        {
            if (AuditEvent.ERASURE.label().equals(r.event()))
            {
                lastErasure = r;
            }
        }
        if (lastErasure != null)
        {
            // validated: a hand-edited log must give a one-line refusal naming the entry, not a crash
            sequence = lastErasure.integer(AuditFields.LAST_SEQUENCE);
            chain.reset(lastErasure.hash(AuditFields.CHAIN_AFTER));
        }
        return null;
    }

    /**
     * A writer that stops between creating a partition's key and sealing its first batch leaves a key (and a
     * {@code key.create} entry) but no batches. If the key's nonce counter proves it never sealed anything, the
     * empty partition is recorded once, so {@code verify} does not mistake it for a removed partition.
     */
    private void registerEmptyPartitions()
    {
        final Set<String> known = new HashSet<>();
        for (final AuditRecord r : AuditLog.read(layout.audit()))
        {
            if (AuditEvent.ERASURE.label().equals(r.event()) || (AuditEvent.STORE_RECOVERY.label().equals(r.event())
                && Boolean.TRUE.equals(r.fields().get(AuditFields.EMPTY_PARTITION))))
            {
                known.add(String.valueOf(r.fields().get(AuditFields.PARTITION)));
            }
        }
        for (final SealedDataKey key : keys.list())
        {
            final String name = key.partition();
            if (!known.contains(name) && !PartitionDocuments.hasQueueFile(layout.partition(name))
                && !keys.everUsed(name))
            {
                final Map<String, Object> details = new LinkedHashMap<>();
                details.put(AuditFields.PARTITION, name);
                details.put(AuditFields.EMPTY_PARTITION, Boolean.TRUE);
                details.put(AuditFields.REASON, "partition key created but no batch sealed under it (writer stopped "
                    + "before its first batch)");
                audit.append(AuditEvent.STORE_RECOVERY, actor, details);
            }
        }
    }

    private String recoverTail(final String name, final List<PartitionDocuments.Document> last)
    {
        final PartitionDocuments.Document newest = last.get(0);
        final PartitionDocuments.Document previous = last.size() > 1 ? last.get(1) : null;
        final long start = PartitionCycle.startOfName(name);
        final String problem = tailProblem(name, start, newest, previous);
        if (problem == null)
        {
            sequence = new BatchHeader().wrap(newest.bytes()).sequence();
            chain.reset(chain.hashOf(newest.bytes(), newest.bytes().length));
            rollTo(start);
            return null;
        }
        final byte[] d = newest.bytes();
        if (!BatchHeader.truncated(d, d.length))
        {
            // a complete document that fails its checks is not what a torn write leaves: bridging it would hide
            // tampering (or unexplained damage) behind a recovery note
            throw new StoreException(name, new BatchHeader().wrap(d).sequence(), "last batch (index "
                + Long.toHexString(newest.index()) + ", " + d.length + " bytes, complete) " + problem
                + "; a complete batch is never bridged as torn: refusing to open (run 'senbetsu store verify', "
                + "restore the partition from backup)");
        }
        if (previous == null)
        {
            throw new StoreException(name, StoreException.NO_BATCH, "the only batch of the last partition is torn ("
                + problem + "); cannot find the chain head automatically");
        }
        sequence = new BatchHeader().wrap(previous.bytes()).sequence();
        chain.reset(chain.hashOf(previous.bytes(), previous.bytes().length));
        final byte[] tornHash = chain.hashOf(newest.bytes(), newest.bytes().length);
        rollTo(start);
        final long next = sequence + 1;
        final int length = sealer.sealRecovery(next, chain, tornHash, newest.bytes().length, newest.index(), doc);
        write(length);
        sequence = next;
        partitionLastSequence = next;
        final String description = "torn last batch in partition " + name + " at index "
            + Long.toHexString(newest.index()) + " (" + problem + ") ignored; recovery batch " + next
            + " continues the chain after batch " + (next - 1);
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put(AuditFields.PARTITION, name);
        details.put(AuditFields.SEQUENCE, next);
        details.put(AuditFields.REASON, description);
        audit.append(AuditEvent.STORE_RECOVERY, actor, details);
        return description;
    }

    private String tailProblem(final String name, final long start, final PartitionDocuments.Document newest,
        final PartitionDocuments.Document previous)
    {
        final byte[] d = newest.bytes();
        if (d.length < BatchHeader.LENGTH)
        {
            return "shorter than a header";
        }
        final BatchHeader header = new BatchHeader().wrap(d);
        final String versionProblem = BatchHeader.versionProblem(header.version());
        if (header.magic() == BatchHeader.MAGIC && versionProblem != null)
        {
            return versionProblem;
        }
        if (header.magic() != BatchHeader.MAGIC || header.partitionStartSeconds() != start / 1000)
        {
            return "header invalid";
        }
        if (d.length != BatchHeader.LENGTH + header.bodyLength())
        {
            return "length " + d.length + " does not match the header's body length " + header.bodyLength();
        }
        if (previous != null)
        {
            final long previousSequence = new BatchHeader().wrap(previous.bytes()).sequence();
            final byte[] previousHash = chain.hashOf(previous.bytes(), previous.bytes().length);
            if (header.sequence() != previousSequence + 1 || !Arrays.equals(d,
                BatchHeader.PREVIOUS_HASH_OFFSET, BatchHeader.PREVIOUS_HASH_OFFSET + 32, previousHash, 0, 32))
            {
                return "does not link to the batch before it";
            }
        }
        if (header.type() == BatchHeader.TYPE_RECORDS)
        {
            try
            {
                new BatchOpener().open(keys.load(name), d, d.length, new byte[d.length]);
            }
            catch (final StoreException ex)
            {
                if (ex instanceof KeystoreException)
                {
                    throw ex;
                }
                return ex.getMessage();
            }
        }
        return null;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            flush();
            closePartition();
            final Map<String, Object> details = new LinkedHashMap<>();
            details.put(AuditFields.SEQUENCE, sequence);
            details.put("head", chain.headHex());
            audit.append(AuditEvent.STORE_CLOSE, actor, details);
        }
        finally
        {
            writerLock.close();
        }
    }

    /** The configuration this writer was opened with. */
    public StoreConfiguration configuration()
    {
        return config;
    }
}
