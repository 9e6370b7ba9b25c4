package jp.senbetsu.store.query;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.StoreLayout;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.batch.BatchHeader;
import jp.senbetsu.store.batch.BatchOpener;
import jp.senbetsu.store.keys.DataKey;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.partition.PartitionCycle;
import jp.senbetsu.store.partition.PartitionDocuments;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decrypts the store's batches in chain order and hands each authenticated record to a visitor, through one
 * flyweight over one reusable plaintext buffer. A batch that does not authenticate stops the scan with a
 * {@link StoreException} naming partition and batch.
 */
public final class RecordReader
{
    /** Receives records; the flyweight is valid only during the call. */
    @FunctionalInterface
    public interface Visitor
    {
        void visit(SelectedFlowRecord record, String partition, long batch);
    }

    private final StoreLayout layout;
    private final StoreSettings settings;
    private final DataKeyRing keys;
    private final BatchOpener opener = new BatchOpener();
    private final byte[] plain = new byte[BatchOpener.PLAIN_CAPACITY];
    private final UnsafeBuffer plainBuffer = new UnsafeBuffer(plain);
    private final SelectedFlowRecord record = new SelectedFlowRecord();
    private final BatchHeader header = new BatchHeader();

    public RecordReader(final StoreLayout layout, final StoreSettings settings, final DataKeyRing keys)
    {
        this.layout = layout;
        this.settings = settings;
        this.keys = keys;
    }

    /**
     * Visits every record of partitions that can hold flows ending at or after {@code fromNs} (a record is stored
     * after its flow ends, so partitions ending before {@code fromNs} are skipped). Returns records visited.
     */
    public long scan(final long fromNs, final Visitor visitor)
    {
        return scan(fromNs, Long.MAX_VALUE, visitor);
    }

    /**
     * As {@link #scan(long, Visitor)}, but stops before any batch after {@code lastSequence}, so that two passes
     * over a store that a live appliance keeps appending to see the same records.
     */
    public long scan(final long fromNs, final long lastSequence, final Visitor visitor)
    {
        long visited = 0;
        final PartitionCycle cycle = settings.cycle();
        for (final String name : layout.partitionNames())
        {
            final long start = PartitionCycle.startOfName(name);
            if (fromNs != Long.MIN_VALUE && (start + cycle.lengthMs()) * 1_000_000L < fromNs)
            {
                continue;
            }
            try (PartitionDocuments docs = PartitionDocuments.open(layout.partition(name), name, cycle))
            {
                if (docs == null)
                {
                    continue;
                }
                final DataKey key = keys.load(name);
                final long[] count = {0};
                docs.forEach((doc, length, index) ->
                {
                    final long batch = header.wrap(doc).sequence();
                    if (batch > lastSequence)
                    {
                        return false;
                    }
                    final int records = opener.open(key, doc, length, plain);
                    for (int i = 0; i < records; i++)
                    {
                        record.wrap(plainBuffer, opener.recordOffset(i));
                        visitor.visit(record, name, batch);
                    }
                    count[0] += records;
                    return true;
                });
                visited += count[0];
            }
        }
        return visited;
    }
}
