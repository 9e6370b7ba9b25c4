package jp.senbetsu.store.partition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import jp.senbetsu.store.StoreException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads the documents of one partition, read-only, in order. Each document is copied into one reusable array
 * (grown as needed), so iterating a partition allocates nothing per document.
 */
public final class PartitionDocuments implements AutoCloseable
{
    /** Receives each document; {@code doc[0, length)} is valid only during the call. */
    @FunctionalInterface
    public interface Visitor
    {
        /** Returns false to stop. */
        boolean visit(byte[] doc, int length, long index);
    }

    private final String name;
    private final SingleChronicleQueue queue;
    private byte[] doc = new byte[96 + 256 * 256 + 16];

    private PartitionDocuments(final String name, final SingleChronicleQueue queue)
    {
        this.name = name;
        this.queue = queue;
    }

    /** Opens a partition directory; null if it holds no queue file. */
    public static PartitionDocuments open(final Path dir, final String name, final PartitionCycle cycle)
    {
        if (!hasQueueFile(dir))
        {
            return null;
        }
        try
        {
            return new PartitionDocuments(name, PartitionQueue.forRead(dir, PartitionCycle.startOfName(name), cycle));
        }
        catch (final RuntimeException ex)
        {
            throw new StoreException(name, StoreException.NO_BATCH, "partition queue unreadable: " + ex, ex);
        }
    }

    /** Whether {@code dir} holds a Chronicle cycle file. */
    public static boolean hasQueueFile(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** Visits every document in order. */
    public void forEach(final Visitor visitor)
    {
        try (ExcerptTailer tailer = queue.createTailer().toStart())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return;
                    }
                    final int length = copy(dc.wire().bytes());
                    if (!visitor.visit(doc, length, dc.index()))
                    {
                        return;
                    }
                }
            }
        }
        catch (final StoreException ex)
        {
            throw ex;
        }
        catch (final RuntimeException | InternalError ex)
        {
            throw new StoreException(name, StoreException.NO_BATCH, "partition file unreadable (truncated or "
                + "corrupted Chronicle structure): " + ex, ex);
        }
    }

    /** Copies of the last {@code n} documents, newest first, with their indexes. */
    public List<Document> last(final int n)
    {
        final List<Document> docs = new ArrayList<>();
        try (ExcerptTailer tailer = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd())
        {
            while (docs.size() < n)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final int length = copy(dc.wire().bytes());
                    docs.add(new Document(Arrays.copyOf(doc, length), dc.index()));
                }
            }
        }
        return docs;
    }

    /** A copied document and its Chronicle index. */
    public record Document(byte[] bytes, long index)
    {
    }

    private int copy(final Bytes<?> bytes)
    {
        final long remaining = bytes.readRemaining();
        if (remaining > Integer.MAX_VALUE - 16)
        {
            throw new StoreException(name, StoreException.NO_BATCH, "document of " + remaining + " bytes");
        }
        final int length = (int)remaining;
        if (length > doc.length)
        {
            doc = new byte[length];
        }
        bytes.read(bytes.readPosition(), doc, 0, length);
        return length;
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
