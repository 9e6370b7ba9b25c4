package jp.senbetsu.store.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.chain.ChainHash;
import jp.senbetsu.store.json.JsonParser;
import jp.senbetsu.store.json.JsonWriter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The record of handling: a second, append-only Chronicle Queue beside the store, hash-chained like the batches
 * and signed periodically with the appliance's Ed25519 key. It needs no data key to write or read.
 *
 * <p>Several processes may append (the appliance, an analyst's query, an auditor's verify): a file lock
 * ({@code audit.lock}) makes "read the chain head, append the next entry" atomic across them.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Magic "SBA1" (LE)                         |   0
 *  +-------------------------------+-------------------------------+
 *  |        Format version         | Type (0 entry, 1 checkpoint)  |   4
 *  +-------------------------------+-------------------------------+
 *  |                 Entry sequence (64), from 1                   |   8
 *  |                 Time (epoch ms, 64)                           |  16
 *  +---------------------------------------------------------------+
 *  |                 Previous entry hash: SHA-256 (32 bytes)       |  24
 *  +---------------------------------------------------------------+
 *  |                 Body length                                   |  56
 *  +---------------------------------------------------------------+
 *  |                 Body: one JSON object, UTF-8                  |  60
 *  +---------------------------------------------------------------+
 * </pre>
 * A checkpoint's body carries an Ed25519 signature over header bytes [0, 56): its sequence, time and the hash of
 * every entry before it.
 */
public final class AuditLog implements AutoCloseable
{
    public static final int MAGIC = 0x31414253;
    public static final int FORMAT_VERSION = 1;
    public static final int TYPE_ENTRY = 0;
    public static final int TYPE_CHECKPOINT = 1;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int TIME_OFFSET = 16;
    public static final int PREVIOUS_HASH_OFFSET = 24;
    public static final int BODY_LENGTH_OFFSET = 56;
    public static final int HEADER_LENGTH = 60;
    /** Header bytes a checkpoint signature covers. */
    public static final int SIGNED_LENGTH = BODY_LENGTH_OFFSET;
    /** Genesis label of the audit chain. */
    public static final String CHAIN_LABEL = "audit";

    private final Path dir;
    private final String storeId;
    private final ApplianceKey signer;
    private final int checkpointEvery;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final FileChannel lockChannel;
    private final ChainHash chain = new ChainHash();
    private int sinceCheckpoint;

    private AuditLog(final Path dir, final String storeId, final ApplianceKey signer, final int checkpointEvery)
    {
        this.dir = dir;
        this.storeId = storeId;
        this.signer = signer;
        this.checkpointEvery = checkpointEvery;
        try
        {
            Files.createDirectories(dir);
            this.lockChannel = FileChannel.open(dir.resolve("audit.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        }
        catch (final IOException ex)
        {
            throw new StoreException("cannot open audit log " + dir + ": " + ex.getMessage(), ex);
        }
        SingleChronicleQueue opened = null;
        try
        {
            opened = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_DAILY).timeoutMS(2_000).build();
            this.queue = opened;
            this.appender = opened.createAppender();
        }
        catch (final RuntimeException ex)
        {
            // a permissions mistake or a damaged queue file: say which directory, and leak nothing
            if (opened != null)
            {
                opened.close();
            }
            try
            {
                lockChannel.close();
            }
            catch (final IOException ignored)
            {
                // reporting the open failure matters more
            }
            throw new StoreException("cannot open audit log " + dir + ": " + oneLine(ex), ex);
        }
    }

    /** A Chronicle failure's message on one line, with its type when it has none. */
    private static String oneLine(final RuntimeException ex)
    {
        final String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * Opens the audit log for appending. {@code signer} signs a checkpoint every {@code checkpointEvery} entries
     * and at close; without a private key entries are still chained but not signed.
     */
    public static AuditLog open(final Path dir, final String storeId, final ApplianceKey signer,
        final int checkpointEvery)
    {
        return new AuditLog(dir, storeId, signer, checkpointEvery);
    }

    /**
     * Appends one entry and returns its sequence. Safe to call from several threads (the appliance's control
     * thread and the store writer both record events); entries are serialised in call order.
     */
    public synchronized long append(final AuditEvent event, final Actor actor, final Map<String, ?> details)
    {
        final StringBuilder sb = new StringBuilder(256);
        final JsonWriter json = new JsonWriter(sb).begin();
        json.field("event", event.label());
        if (actor != null)
        {
            json.field("user", actor.user());
            if (!actor.user().equals(actor.processUser()))
            {
                json.field("processUser", actor.processUser());
            }
            json.field("role", actor.role());
            if (actor.credential() != null)
            {
                json.field("credential", actor.credential());
            }
        }
        if (details != null)
        {
            for (final Map.Entry<String, ?> e : details.entrySet())
            {
                json.field(e.getKey(), e.getValue());
            }
        }
        json.end();
        try (FileLock ignored = lockChannel.lock())
        {
            final long sequence = append(TYPE_ENTRY, sb.toString().getBytes(StandardCharsets.UTF_8), null);
            if (++sinceCheckpoint >= checkpointEvery)
            {
                checkpointLocked();
            }
            return sequence;
        }
        catch (final IOException ex)
        {
            throw new StoreException("cannot lock audit log " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /** Signs a checkpoint now, if there is a signing key and anything to sign. */
    public synchronized void checkpoint()
    {
        try (FileLock ignored = lockChannel.lock())
        {
            checkpointLocked();
        }
        catch (final IOException ex)
        {
            throw new StoreException("cannot lock audit log " + dir + ": " + ex.getMessage(), ex);
        }
    }

    private void checkpointLocked()
    {
        if (signer == null || !signer.canSign())
        {
            return;
        }
        append(TYPE_CHECKPOINT, null, signer);
        sinceCheckpoint = 0;
    }

    private long append(final int type, final byte[] body, final ApplianceKey signWith)
    {
        final byte[] previous = readLast();
        long sequence = 1;
        if (previous == null)
        {
            chain.reset(ChainHash.genesis(CHAIN_LABEL, storeId));
        }
        else
        {
            sequence = new UnsafeBuffer(previous).getLong(SEQUENCE_OFFSET) + 1;
            chain.reset(chain.hashOf(previous, previous.length));
        }
        final byte[] header = new byte[HEADER_LENGTH];
        final UnsafeBuffer h = new UnsafeBuffer(header);
        h.putInt(0, MAGIC);
        h.putShort(4, (short)FORMAT_VERSION);
        h.putShort(6, (short)type);
        h.putLong(SEQUENCE_OFFSET, sequence);
        h.putLong(TIME_OFFSET, System.currentTimeMillis());
        chain.copyHead(header, PREVIOUS_HASH_OFFSET);
        byte[] payload = body;
        if (signWith != null)
        {
            final byte[] signature = signWith.sign(Arrays.copyOf(header, SIGNED_LENGTH));
            final StringBuilder sb = new StringBuilder();
            new JsonWriter(sb).begin()
                .field("event", AuditEvent.CHECKPOINT.label())
                .field("signer", ApplianceKey.fingerprint(signWith.publicKey()))
                .field("signature", Base64.getEncoder().encodeToString(signature))
                .end();
            payload = sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        h.putInt(BODY_LENGTH_OFFSET, payload.length);
        // the appender belongs to whichever thread holds this object's lock
        appender.singleThreadedCheckReset();
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(header).write(payload);
        }
        return sequence;
    }

    private byte[] readLast()
    {
        try (ExcerptTailer tailer = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd();
            DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return null;
            }
            return copy(dc.wire().bytes());
        }
    }

    @Override
    public synchronized void close()
    {
        try
        {
            if (sinceCheckpoint > 0)
            {
                checkpoint();
            }
        }
        finally
        {
            appender.singleThreadedCheckReset();
            appender.close();
            queue.close();
            try
            {
                lockChannel.close();
            }
            catch (final IOException ignored)
            {
                // nothing held any more
            }
        }
    }

    /** Reads every entry, oldest first, without any key. Returns an empty list if the log does not exist. */
    public static List<AuditRecord> read(final Path dir)
    {
        final List<AuditRecord> records = new ArrayList<>();
        if (!Files.isDirectory(dir) || !hasQueueFiles(dir))
        {
            return records;
        }
        final ChainHash hasher = new ChainHash();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_DAILY)
            .readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final byte[] doc = copy(dc.wire().bytes());
                    records.add(parse(doc, hasher, dc.index()));
                }
            }
        }
        return records;
    }

    private static AuditRecord parse(final byte[] doc, final ChainHash hasher, final long index)
    {
        final byte[] hash = hasher.hashOf(doc, doc.length);
        if (doc.length < HEADER_LENGTH)
        {
            return new AuditRecord(-1, 0, -1, "", Map.of(), new byte[32], hash, doc, index);
        }
        final UnsafeBuffer h = new UnsafeBuffer(doc);
        final int bodyLength = h.getInt(BODY_LENGTH_OFFSET);
        String body = "";
        Map<String, Object> fields;
        try
        {
            body = new String(doc, HEADER_LENGTH, Math.max(0, Math.min(bodyLength, doc.length - HEADER_LENGTH)),
                StandardCharsets.UTF_8);
            fields = JsonParser.parseObject(body);
        }
        catch (final RuntimeException ex)
        {
            fields = new LinkedHashMap<>();
            fields.put("event", "unparseable");
        }
        final int type = h.getInt(0) == MAGIC ? h.getShort(6) : -1;
        return new AuditRecord(h.getLong(SEQUENCE_OFFSET), h.getLong(TIME_OFFSET), type, body, fields,
            Arrays.copyOfRange(doc, PREVIOUS_HASH_OFFSET, PREVIOUS_HASH_OFFSET + 32), hash,
            Arrays.copyOf(doc, SIGNED_LENGTH), index);
    }

    private static boolean hasQueueFiles(final Path dir)
    {
        try (var files = Files.list(dir))
        {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static byte[] copy(final Bytes<?> bytes)
    {
        final byte[] doc = new byte[(int)bytes.readRemaining()];
        bytes.read(bytes.readPosition(), doc, 0, doc.length);
        return doc;
    }

    /** ISO-8601 UTC time of an entry. */
    public static String isoTime(final long epochMs)
    {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
