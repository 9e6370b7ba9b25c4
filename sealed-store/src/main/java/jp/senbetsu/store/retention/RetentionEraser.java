package jp.senbetsu.store.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.StoreLayout;
import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditFields;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.audit.AuditRecord;
import jp.senbetsu.store.batch.BatchHeader;
import jp.senbetsu.store.batch.BatchOpener;
import jp.senbetsu.store.chain.ChainHash;
import jp.senbetsu.store.keys.DataKey;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.SealedDataKey;
import jp.senbetsu.store.partition.PartitionCycle;
import jp.senbetsu.store.partition.PartitionDocuments;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Crypto-shredding of expired partitions. A record expires when its flow's end plus the retention of the
 * approval that selected it has passed; a partition expires when all its records have. A flow end later than the
 * partition's end (impossible for an honest clock: records are sealed into the partition of their sealing time)
 * counts as the partition's end, so bogus future timestamps cannot postpone erasure. Erasing a partition
 * writes the erasure entry first (partition, key ID and fingerprint, record and batch counts, chain hashes at
 * both boundaries), then destroys the data key, then deletes the files; re-running finishes an interrupted
 * erasure without a second entry.
 */
public final class RetentionEraser
{
    private final StoreSession session;
    private final DataKeyRing keys;
    private final StoreLayout layout;
    private final StoreSettings settings;

    public RetentionEraser(final StoreSession session, final MasterKeyStore master)
    {
        this.session = session;
        this.layout = session.layout();
        // read afresh: a running appliance records each activated approval's retention after its session opened
        this.settings = StoreSettings.load(layout.settings());
        this.keys = new DataKeyRing(layout.keys(), master);
    }

    /** Erases every partition expired at {@code nowMs}; returns what was erased. */
    public List<Erasure> eraseExpired(final long nowMs)
    {
        final Set<String> alreadyErased = new HashSet<>();
        for (final AuditRecord r : AuditLog.read(layout.audit()))
        {
            if (AuditEvent.ERASURE.label().equals(r.event()))
            {
                alreadyErased.add(String.valueOf(r.fields().get(AuditFields.PARTITION)));
            }
        }
        final List<Erasure> erased = new ArrayList<>();
        final List<String> names = layout.partitionNames();
        for (final String name : names)
        {
            if (alreadyErased.contains(name))
            {
                finish(name);
                continue;
            }
            final long end = PartitionCycle.startOfName(name) + settings.cycle().lengthMs();
            if (end + minRetentionMs() > nowMs)
            {
                continue;
            }
            final Erasure erasure = inspect(name);
            if (erasure != null && erasure.expiredAtMs() <= nowMs)
            {
                record(erasure);
                finish(name);
                erased.add(erasure);
            }
        }
        return erased;
    }

    private long minRetentionMs()
    {
        long min = settings.defaultRetention().toMillis();
        for (final var d : settings.approvalRetention().values())
        {
            min = Math.min(min, d.toMillis());
        }
        return min;
    }

    /** Authenticates every batch of a partition and works out when it expires and what erasing it removes. */
    private Erasure inspect(final String name)
    {
        final SealedDataKey sealed = keys.read(name);
        final DataKey key = keys.load(name);
        final BatchOpener opener = new BatchOpener();
        final BatchHeader header = new BatchHeader();
        final ChainHash chain = new ChainHash();
        final byte[] plain = new byte[BatchOpener.PLAIN_CAPACITY];
        final UnsafeBuffer plainBuffer = new UnsafeBuffer(plain);
        final SelectedFlowRecord record = new SelectedFlowRecord();
        final long[] facts = {0, 0, -1, -1, Long.MIN_VALUE};
        final byte[][] before = {null};
        final byte[][] after = {null};
        final Map<String, Long> retentionMs = new LinkedHashMap<>();
        final long partitionEndMs = PartitionCycle.startOfName(name) + settings.cycle().lengthMs();
        try (PartitionDocuments docs = PartitionDocuments.open(layout.partition(name), name, settings.cycle()))
        {
            if (docs == null)
            {
                return null;
            }
            docs.forEach((doc, length, index) ->
            {
                final int count = opener.open(key, doc, length, plain);
                header.wrap(doc);
                if (before[0] == null)
                {
                    before[0] = Arrays.copyOfRange(doc, BatchHeader.PREVIOUS_HASH_OFFSET,
                        BatchHeader.PREVIOUS_HASH_OFFSET + 32);
                    facts[2] = header.sequence();
                }
                else if (!chain.headEquals(doc, BatchHeader.PREVIOUS_HASH_OFFSET)
                    || header.sequence() != facts[3] + 1)
                {
                    throw new StoreException(name, header.sequence(), "chain broken inside the partition; refusing "
                        + "to certify its erasure (run verify)");
                }
                chain.reset(chain.hashOf(doc, length));
                facts[3] = header.sequence();
                facts[1]++;
                facts[0] += count;
                for (int i = 0; i < count; i++)
                {
                    record.wrap(plainBuffer, opener.recordOffset(i));
                    final String approval = record.approvalId();
                    final long retention = retentionMs.computeIfAbsent(approval,
                        a -> settings.retentionOf(a).toMillis());
                    // a record is sealed into the partition of its sealing time, and a flow cannot end after it
                    // was sealed: a later end (a wrong tap clock, a crafted capture) must not postpone erasure
                    final long flowEndMs = Math.min(record.flow().endNs() / 1_000_000L, partitionEndMs);
                    facts[4] = Math.max(facts[4], flowEndMs + retention);
                }
                return true;
            });
        }
        if (before[0] == null)
        {
            return null;
        }
        after[0] = chain.head();
        final long expiry = facts[4] == Long.MIN_VALUE
            ? PartitionCycle.startOfName(name) + settings.cycle().lengthMs() + settings.defaultRetention().toMillis()
            : facts[4];
        return new Erasure(name, sealed.keyIdHex(), sealed.fingerprint(), facts[0], facts[1], facts[2], facts[3],
            HexFormat.of().formatHex(before[0]), HexFormat.of().formatHex(after[0]), expiry);
    }

    private void record(final Erasure e)
    {
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put(AuditFields.PARTITION, e.partition());
        details.put(AuditFields.KEY_ID, e.keyId());
        details.put(AuditFields.FINGERPRINT, e.fingerprint());
        details.put(AuditFields.RECORDS, e.records());
        details.put(AuditFields.BATCHES, e.batches());
        details.put(AuditFields.FIRST_SEQUENCE, e.firstSequence());
        details.put(AuditFields.LAST_SEQUENCE, e.lastSequence());
        details.put(AuditFields.CHAIN_BEFORE, e.chainBefore());
        details.put(AuditFields.CHAIN_AFTER, e.chainAfter());
        details.put("expiredAt", AuditLog.isoTime(e.expiredAtMs()));
        session.record(AuditEvent.ERASURE, details);
    }

    /** Destroys the key and deletes the files of a partition whose erasure entry is written. */
    private void finish(final String name)
    {
        if (keys.exists(name))
        {
            final SealedDataKey sealed = keys.read(name);
            keys.destroy(name);
            final Map<String, Object> details = new LinkedHashMap<>();
            details.put(AuditFields.PARTITION, name);
            details.put(AuditFields.KEY_ID, sealed.keyIdHex());
            details.put(AuditFields.FINGERPRINT, sealed.fingerprint());
            session.record(AuditEvent.KEY_DESTROY, details);
        }
        final Path dir = layout.partition(name);
        if (Files.exists(dir))
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.delete(p);
                }
            }
            catch (final IOException ex)
            {
                throw new StoreException(name, StoreException.NO_BATCH, "cannot delete partition files: "
                    + ex.getMessage(), ex);
            }
        }
    }
}
