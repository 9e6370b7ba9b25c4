package jp.senbetsu.store.chain;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.StoreLayout;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditFields;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.audit.AuditRecord;
import jp.senbetsu.store.batch.BatchHeader;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.SealedDataKey;
import jp.senbetsu.store.partition.PartitionCycle;
import jp.senbetsu.store.partition.PartitionDocuments;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Proves both chains without any key. For the store: every batch's structure, its place in the sequence, its
 * link to the batch before (across partitions), its partition, key ID and nonce order; erased partitions are
 * bridged by their erasure entries, and chain anchors written to the audit log ({@code store.head}) must match,
 * which catches truncation and removal at the tail. For the audit log: its own chain and every checkpoint
 * signature.
 */
public final class ChainVerifier
{
    private final StoreLayout layout;
    private final StoreSettings settings;
    private final PublicKey auditKey;
    private final BatchHeader header = new BatchHeader();
    private final ChainHash running = new ChainHash();
    private final ChainHash hasher = new ChainHash();

    /** {@code auditKey}: the appliance public key to check checkpoints with (pinned out of band, or the store's). */
    public ChainVerifier(final StoreLayout layout, final StoreSettings settings, final PublicKey auditKey)
    {
        this.layout = layout;
        this.settings = settings;
        this.auditKey = auditKey;
    }

    public VerifyReport verify()
    {
        final VerifyReport report = new VerifyReport();
        final List<AuditRecord> audit = AuditLog.read(layout.audit());
        verifyAudit(audit, report);
        verifyStore(audit, report);
        return report;
    }

    private void verifyStore(final List<AuditRecord> audit, final VerifyReport report)
    {
        final Map<String, AuditRecord> erasures = new HashMap<>();
        final Map<String, AuditRecord> created = new HashMap<>();
        final Map<String, AuditRecord> empty = new HashMap<>();
        final TreeMap<Long, AuditRecord> anchors = new TreeMap<>();
        for (final AuditRecord r : audit)
        {
            final String event = r.event();
            if (AuditEvent.ERASURE.label().equals(event))
            {
                erasures.put(String.valueOf(r.fields().get(AuditFields.PARTITION)), r);
            }
            else if (AuditEvent.KEY_CREATE.label().equals(event) && r.fields().get(AuditFields.PARTITION) != null)
            {
                created.put(String.valueOf(r.fields().get(AuditFields.PARTITION)), r);
            }
            else if (AuditEvent.STORE_RECOVERY.label().equals(event)
                && Boolean.TRUE.equals(r.fields().get(AuditFields.EMPTY_PARTITION)))
            {
                empty.put(String.valueOf(r.fields().get(AuditFields.PARTITION)), r);
            }
            else if (AuditEvent.STORE_HEAD.label().equals(event))
            {
                try
                {
                    anchors.put(r.integer(AuditFields.SEQUENCE), r);
                }
                catch (final StoreException ex)
                {
                    report.find("audit", r.sequence(), r.index(), ex.reason());
                }
            }
        }
        final TreeSet<String> names = new TreeSet<>(layout.partitionNames());
        names.addAll(erasures.keySet());
        names.addAll(created.keySet());

        final DataKeyRing keys = new DataKeyRing(layout.keys(), null);
        final Map<Long, byte[]> anchoredSeen = new HashMap<>();
        final WalkState state = new WalkState();
        running.reset(ChainHash.genesis("store", settings.storeId()));
        state.expected = 1;
        for (final String name : names)
        {
            final boolean onDisk = PartitionDocuments.hasQueueFile(layout.partition(name));
            final AuditRecord erasure = erasures.get(name);
            if (erasure != null)
            {
                if (onDisk)
                {
                    report.find(name, -1, -1, "partition erased per audit entry " + erasure.sequence()
                        + " but its files are still on disk");
                }
                bridgeErasure(name, erasure, state, report);
                continue;
            }
            if (!onDisk)
            {
                if (empty.containsKey(name))
                {
                    report.note("partition " + name + " never held a batch (audit entry " + empty.get(name).sequence()
                        + ")");
                }
                else if (created.containsKey(name) && !keys.exists(name))
                {
                    report.find(name, -1, -1, "partition missing: its data key was created (audit entry "
                        + created.get(name).sequence() + ") but there are neither files nor an erasure entry");
                }
                else if (created.containsKey(name))
                {
                    report.find(name, -1, -1, "partition missing without an erasure entry (data key still present)");
                }
                continue;
            }
            report.partitions++;
            walkPartition(name, keys, state, anchors, anchoredSeen, report);
        }
        if (state.pendingTorn != null)
        {
            final Torn torn = state.pendingTorn;
            report.find(torn.partition, torn.sequence, torn.index, torn.truncated
                ? "torn last batch (" + torn.reason + ") not yet recovered: open the store to recover it"
                : "last batch is complete but invalid (" + torn.reason + "): altered or damaged, not torn; restore "
                + "the partition from backup");
        }
        for (final Map.Entry<Long, AuditRecord> anchor : anchors.entrySet())
        {
            final long sequence = anchor.getKey();
            final String partition = String.valueOf(anchor.getValue().fields().get(AuditFields.PARTITION));
            if (erasures.containsKey(partition))
            {
                continue;
            }
            final byte[] seen = anchoredSeen.get(sequence);
            final String expectedHash = String.valueOf(anchor.getValue().fields().get(AuditFields.HASH));
            if (seen == null)
            {
                report.find(partition, sequence, -1, "batch anchored in audit entry " + anchor.getValue().sequence()
                    + " is missing: store truncated or batches deleted");
            }
            else if (!HexFormat.of().formatHex(seen).equals(expectedHash))
            {
                report.find(partition, sequence, -1, "batch differs from its anchor in audit entry "
                    + anchor.getValue().sequence() + " (replaced or altered)");
            }
        }
        report.lastSequence = state.expected - 1;
        report.headHash = running.headHex();
    }

    private void bridgeErasure(final String name, final AuditRecord erasure, final WalkState state,
        final VerifyReport report)
    {
        final Map<String, Object> f = erasure.fields();
        final long first;
        final long last;
        final byte[] before;
        final byte[] after;
        try
        {
            first = erasure.integer(AuditFields.FIRST_SEQUENCE);
            last = erasure.integer(AuditFields.LAST_SEQUENCE);
            before = erasure.hash(AuditFields.CHAIN_BEFORE);
            after = erasure.hash(AuditFields.CHAIN_AFTER);
        }
        catch (final StoreException ex)
        {
            // cannot bridge the gap: the batches after it will show as out of sequence as well
            report.find(name, -1, erasure.index(), ex.reason());
            return;
        }
        if (first != state.expected || !running.headEquals(before, 0))
        {
            report.find(name, first, -1, "erasure entry " + erasure.sequence() + " does not continue the chain "
                + "(expected batch " + state.expected + ")");
        }
        running.reset(after);
        state.expected = last + 1;
        report.erasedPartitions++;
        report.note("partition " + name + " erased (audit entry " + erasure.sequence() + "): batches " + first + ".."
            + last + ", " + f.get(AuditFields.RECORDS) + " records, key " + f.get(AuditFields.KEY_ID)
            + " fingerprint " + f.get(AuditFields.FINGERPRINT));
    }

    private void walkPartition(final String name, final DataKeyRing keys, final WalkState state,
        final Map<Long, AuditRecord> anchors, final Map<Long, byte[]> anchoredSeen, final VerifyReport report)
    {
        final long startSeconds = PartitionCycle.startOfName(name) / 1000;
        byte[] keyId = null;
        if (keys.exists(name))
        {
            try
            {
                final SealedDataKey sealed = keys.read(name);
                keyId = sealed.keyId();
            }
            catch (final StoreException ex)
            {
                report.find(name, -1, -1, ex.reason());
            }
        }
        else
        {
            report.find(name, -1, -1, "data key file missing (" + keys.keyFile(name) + ")");
        }
        final byte[] partitionKeyId = keyId;
        final long[] lastNonce = {0};
        try (PartitionDocuments docs = PartitionDocuments.open(layout.partition(name), name, settings.cycle()))
        {
            docs.forEach((doc, length, index) ->
            {
                if (state.pendingTorn != null)
                {
                    final Torn torn = state.pendingTorn;
                    state.pendingTorn = null;
                    if (length >= BatchHeader.LENGTH && header.wrap(doc).type() == BatchHeader.TYPE_RECOVERY
                        && names(doc, torn)
                        && Arrays.equals(doc, BatchHeader.PREVIOUS_HASH_OFFSET, BatchHeader.PREVIOUS_HASH_OFFSET + 32,
                        torn.headBefore, 0, 32))
                    {
                        running.reset(torn.headBefore);
                        state.expected = torn.expectedBefore;
                        if (torn.truncated)
                        {
                            report.note("partition " + name + ": torn batch at index " + Long.toHexString(torn.index)
                                + " (" + torn.reason + ") ignored, recovered by batch " + header.sequence());
                        }
                        else
                        {
                            report.find(torn.partition, torn.sequence, torn.index, torn.reason + "; recovery batch "
                                + header.sequence() + " bridges it, but the batch is complete, not torn (only a "
                                + "truncated batch may be bridged)");
                        }
                    }
                    else
                    {
                        report.find(torn.partition, torn.sequence, torn.index, torn.reason);
                    }
                }
                final String problem = check(doc, length, startSeconds, partitionKeyId, lastNonce[0], state.expected);
                final long sequence = length >= BatchHeader.LENGTH ? header.wrap(doc).sequence() : -1;
                if (problem != null)
                {
                    state.pendingTorn = new Torn(name, sequence, index, length, hasher.hashOf(doc, length), problem,
                        running.head(), state.expected, BatchHeader.truncated(doc, length));
                    if (length >= BatchHeader.LENGTH && header.magic() == BatchHeader.MAGIC)
                    {
                        // resynchronise on this batch so the ones after it are judged on their own
                        running.reset(hasher.hashOf(doc, length));
                        state.expected = sequence + 1;
                    }
                    return true;
                }
                if (header.type() == BatchHeader.TYPE_RECORDS)
                {
                    lastNonce[0] = header.nonceCounter();
                    report.records += header.recordCount();
                }
                report.batches++;
                report.bytes += length;
                running.advance(doc, length);
                if (anchors.containsKey(sequence))
                {
                    anchoredSeen.put(sequence, running.head());
                }
                state.expected = sequence + 1;
                return true;
            });
        }
        catch (final StoreException ex)
        {
            report.find(name, -1, -1, ex.reason());
        }
    }

    private String check(final byte[] doc, final int length, final long startSeconds, final byte[] keyId,
        final long lastNonce, final long expected)
    {
        if (length < BatchHeader.LENGTH)
        {
            return "document of " + length + " bytes is shorter than a batch header (truncated)";
        }
        header.wrap(doc);
        if (header.magic() != BatchHeader.MAGIC || header.reserved() != 0)
        {
            return "header corrupted (magic or reserved field)";
        }
        final String versionProblem = BatchHeader.versionProblem(header.version());
        if (versionProblem != null)
        {
            return versionProblem;
        }
        if (header.partitionStartSeconds() != startSeconds)
        {
            return "batch belongs to partition " + PartitionCycle.name(header.partitionStartSeconds() * 1000)
                + ", not this one (replayed or moved)";
        }
        if (length != BatchHeader.LENGTH + header.bodyLength())
        {
            return "length " + length + " does not match header body length " + header.bodyLength()
                + " (truncated or altered)";
        }
        if (header.sequence() != expected)
        {
            return "out of sequence: expected batch " + expected + ", found " + header.sequence()
                + " (batches deleted, inserted or reordered)";
        }
        if (header.type() == BatchHeader.TYPE_RECORDS)
        {
            final int count = header.recordCount();
            if (!BatchHeader.recordsBodyPlausible(count, header.bodyLength()))
            {
                return "record count " + count + " inconsistent with body length";
            }
            if (header.nonceCounter() <= lastNonce)
            {
                return "nonce counter " + header.nonceCounter() + " not above the previous " + lastNonce
                    + " (nonce reuse or reordering)";
            }
        }
        else if (header.type() != BatchHeader.TYPE_RECOVERY || header.bodyLength() != BatchHeader.RECOVERY_BODY_LENGTH)
        {
            return "unknown batch type " + header.type();
        }
        if (keyId != null && !Arrays.equals(doc, BatchHeader.KEY_ID_OFFSET,
            BatchHeader.KEY_ID_OFFSET + BatchHeader.KEY_ID_LENGTH, keyId, 0, keyId.length))
        {
            return "key ID is not the partition's data key";
        }
        if (!running.headEquals(doc, BatchHeader.PREVIOUS_HASH_OFFSET))
        {
            return "link to batch " + (expected - 1) + " broken: the stored previous-batch hash does not match "
                + "(batch " + (expected - 1) + " was altered or replaced, or this header was)";
        }
        return null;
    }

    private boolean names(final byte[] recovery, final Torn torn)
    {
        final UnsafeBuffer b = new UnsafeBuffer(recovery);
        return Arrays.equals(recovery, BatchHeader.LENGTH, BatchHeader.LENGTH + 32, torn.hash, 0, 32)
            && b.getLong(BatchHeader.LENGTH + 32) == torn.length
            && b.getLong(BatchHeader.LENGTH + 40) == torn.index;
    }

    private void verifyAudit(final List<AuditRecord> audit, final VerifyReport report)
    {
        final ChainHash chain = new ChainHash().reset(ChainHash.genesis(AuditLog.CHAIN_LABEL, settings.storeId()));
        long expected = 1;
        long lastSigned = 0;
        for (final AuditRecord r : audit)
        {
            if (r.type() < 0)
            {
                report.find("audit", r.sequence(), r.index(), "audit entry corrupted (header)");
            }
            else if (r.sequence() != expected)
            {
                report.find("audit", r.sequence(), r.index(), "audit entry out of sequence (expected " + expected
                    + "): entries removed, inserted or reordered");
            }
            else if (!chain.headEquals(r.previousHash(), 0))
            {
                report.find("audit", r.sequence(), r.index(), "audit chain broken: an earlier entry was altered");
            }
            else if (r.type() == AuditLog.TYPE_CHECKPOINT)
            {
                final Object sig = r.fields().get("signature");
                if (auditKey == null)
                {
                    report.find("audit", r.sequence(), r.index(), "no appliance public key to check the checkpoint");
                }
                else if (!(sig instanceof String s) || !ApplianceKey.verify(auditKey, r.signedBytes(), base64(s)))
                {
                    report.find("audit", r.sequence(), r.index(), "checkpoint signature does not verify with key "
                        + ApplianceKey.fingerprint(auditKey));
                }
                else
                {
                    lastSigned = r.sequence();
                }
            }
            chain.reset(r.hash());
            expected = r.sequence() + 1;
            report.auditEntries++;
        }
        report.auditLastSigned = lastSigned;
        report.auditHeadHash = chain.headHex();
        if (report.auditEntries > lastSigned)
        {
            report.note("audit entries " + (lastSigned + 1) + ".." + report.auditEntries
                + " follow the last signed checkpoint");
        }
    }

    /** Decodes a checkpoint signature; malformed base64 (a hand-edited entry) decodes to nothing, which fails. */
    private static byte[] base64(final String text)
    {
        try
        {
            return Base64.getDecoder().decode(text);
        }
        catch (final IllegalArgumentException ex)
        {
            return new byte[0];
        }
    }

    private static final class WalkState
    {
        long expected;
        Torn pendingTorn;
    }

    private record Torn(String partition, long sequence, long index, long length, byte[] hash, String reason,
        byte[] headBefore, long expectedBefore, boolean truncated)
    {
    }

    /** For callers that want every finding as one exception (e.g. before a query). */
    public static void requireOk(final VerifyReport report)
    {
        if (!report.ok())
        {
            final Finding first = report.findings().get(0);
            throw new StoreException(first.partition(), first.sequence(), first.reason()
                + (report.findings().size() > 1 ? " (and " + (report.findings().size() - 1) + " more findings)" : ""));
        }
    }
}
