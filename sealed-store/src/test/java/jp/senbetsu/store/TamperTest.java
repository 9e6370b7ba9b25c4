package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.batch.BatchHeader;
import jp.senbetsu.store.chain.Finding;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.partition.PartitionCycle;
import jp.senbetsu.store.partition.PartitionDocuments;
import jp.senbetsu.store.partition.PartitionQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of tampering with the files of a closed store is found by the keyless verify, which names the
 * partition, the batch sequence and the reason. The untampered store verifies first, so every failure below is
 * caused by the tampering.
 */
class TamperTest
{
    private static final int BATCHES_PER_PARTITION = 10;
    private static final String P1 = PartitionCycle.name(TestStores.T0);
    private static final String P2 = PartitionCycle.name(TestStores.T0 + 3_600_000L);
    private static final String P3 = PartitionCycle.name(TestStores.T0 + 7_200_000L);

    @TempDir
    Path dir;
    private StoreLayout layout;
    private final CachedEpochClock clock = new CachedEpochClock();
    private final TestRecords records = new TestRecords(7);
    private long written;

    @BeforeEach
    void writeThreePartitions()
    {
        TestStores.init(dir);
        layout = new StoreLayout(dir);
        write(0, 3);
        final VerifyReport clean = TestStores.verify(dir);
        assertTrue(clean.ok(), () -> "untampered store must verify: " + clean.findings());
    }

    @Test
    void flippedCiphertextByteIsFound() throws IOException
    {
        final List<byte[]> docs = documents(P2);
        final byte[] victim = docs.get(4);
        final long seq = sequence(victim);
        flipInFile(P2, victim, BatchHeader.LENGTH + 1000);
        assertFinding(P2, seq + 1, "link to batch " + seq + " broken");
    }

    @Test
    void flippedHeaderByteIsFound() throws IOException
    {
        final byte[] victim = documents(P2).get(6);
        flipInFile(P2, victim, BatchHeader.RECORD_COUNT_OFFSET);
        assertFinding(P2, sequence(victim), "record count");
    }

    @Test
    void aBatchInThePreReleaseFormatIsNamedNotCalledCorrupt() throws IOException
    {
        final byte[] victim = documents(P2).get(2);
        // version 2 becomes 1: the fixed 256-byte records of a pre-release build
        flipInFile(P2, victim, BatchHeader.VERSION_OFFSET, 0x03);
        assertFinding(P2, sequence(victim), "batch format version 1 (fixed 256-byte records");
    }

    @Test
    void deletedBatchIsFound()
    {
        final List<byte[]> docs = documents(P2);
        final long seq = sequence(docs.get(3));
        docs.remove(3);
        rewrite(P2, docs);
        assertFinding(P2, seq + 1, "expected batch " + seq);
    }

    @Test
    void swappedBatchesAreFound()
    {
        final List<byte[]> docs = documents(P1);
        final long seq = sequence(docs.get(5));
        final byte[] a = docs.get(5);
        docs.set(5, docs.get(6));
        docs.set(6, a);
        rewrite(P1, docs);
        assertFinding(P1, seq + 1, "expected batch " + seq);
    }

    @Test
    void truncatedFileIsFound() throws IOException
    {
        final List<byte[]> docs = documents(P3);
        final long lastSeq = sequence(docs.get(docs.size() - 1));
        final Path file = queueFile(P3);
        final long at = indexOf(Files.readAllBytes(file), Arrays.copyOf(docs.get(6), BatchHeader.LENGTH)) + 500;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(at);
        }
        assertFinding(P3, lastSeq, "missing");
    }

    @Test
    void partitionRemovedWithoutErasureIsFound() throws IOException
    {
        TestStores.deleteTree(layout.partition(P2));
        final VerifyReport report = TestStores.verify(dir);
        assertFalse(report.ok());
        assertTrue(report.findings().stream().anyMatch(f -> P2.equals(f.partition())
            && f.reason().contains("partition missing")), () -> "findings: " + report.findings());
        final long firstOfP3 = sequence(documents(P3).get(0));
        assertFinding(P3, firstOfP3, "expected batch " + (firstOfP3 - BATCHES_PER_PARTITION));
    }

    @Test
    void oldPartitionReplayedInPlaceOfANewerOneIsFound() throws IOException
    {
        final List<byte[]> old = documents(P1);
        final long lastOfP2 = sequence(documents(P2).get(BATCHES_PER_PARTITION - 1));
        rewrite(P2, old);
        assertFinding(P2, sequence(old.get(0)), "belongs to partition " + P1);
        assertFinding(P2, lastOfP2, "missing");
    }

    @Test
    void earlierSnapshotOfAPartitionReplayedIsFound() throws IOException
    {
        final Path snapshot = dir.resolveSibling(dir.getFileName() + "-snapshot");
        copyTree(layout.partition(P3), snapshot);
        write(2, 4);
        assertTrue(TestStores.verify(dir).ok(), "store with more batches verifies before the replay");
        final long lastOfP3 = sequence(documents(P3).get(documents(P3).size() - 1));
        TestStores.deleteTree(layout.partition(P3));
        copyTree(snapshot, layout.partition(P3));
        TestStores.deleteTree(snapshot);
        assertFinding(P3, lastOfP3, "missing");
    }

    private void assertFinding(final String partition, final long sequence, final String reason)
    {
        final VerifyReport report = TestStores.verify(dir);
        assertFalse(report.ok(), "tampering must be found");
        final boolean found = report.findings().stream().anyMatch((Finding f) -> partition.equals(f.partition())
            && f.sequence() == sequence && f.reason().contains(reason));
        assertTrue(found, () -> "expected a finding in " + partition + " batch " + sequence + " containing '"
            + reason + "', got " + report.findings());
    }

    /** Writes 10 full batches into each of the partitions [fromHour, toHour). */
    private void write(final int fromHour, final int toHour)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        try (MasterKeyStore master = TestStores.unlock(dir); AuditLog audit = TestStores.audit(dir);
            SealedStore store = SealedStore.open(new StoreConfiguration(dir).epochClock(clock), master, audit,
                TestStores.actor()))
        {
            for (int hour = fromHour; hour < toHour; hour++)
            {
                clock.update(TestStores.T0 + hour * 3_600_000L + 5_000);
                for (int i = 0; i < BATCHES_PER_PARTITION * 256; i++)
                {
                    records.fill(written++, buffer, 0);
                    store.append(buffer, 0);
                }
            }
        }
    }

    private List<byte[]> documents(final String partition)
    {
        final List<byte[]> docs = new ArrayList<>();
        try (PartitionDocuments pd = PartitionDocuments.open(layout.partition(partition), partition,
            PartitionCycle.HOURLY))
        {
            pd.forEach((doc, length, index) -> docs.add(Arrays.copyOf(doc, length)));
        }
        return docs;
    }

    private void rewrite(final String partition, final List<byte[]> docs)
    {
        TestStores.deleteTree(layout.partition(partition));
        try (SingleChronicleQueue queue = PartitionQueue.forAppend(layout.partition(partition),
            PartitionCycle.startOfName(partition), PartitionCycle.HOURLY);
            ExcerptAppender appender = queue.createAppender())
        {
            for (final byte[] doc : docs)
            {
                try (DocumentContext dc = appender.writingDocument())
                {
                    dc.wire().bytes().write(doc);
                }
            }
        }
    }

    private void flipInFile(final String partition, final byte[] doc, final int offsetInDoc) throws IOException
    {
        flipInFile(partition, doc, offsetInDoc, 0x01);
    }

    private void flipInFile(final String partition, final byte[] doc, final int offsetInDoc, final int mask)
        throws IOException
    {
        final Path file = queueFile(partition);
        final long at = indexOf(Files.readAllBytes(file), Arrays.copyOf(doc, BatchHeader.LENGTH)) + offsetInDoc;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte)(one.get(0) ^ mask)).rewind();
            channel.write(one, at);
        }
    }

    private Path queueFile(final String partition) throws IOException
    {
        try (Stream<Path> files = Files.list(layout.partition(partition)))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    private static long sequence(final byte[] doc)
    {
        return new BatchHeader().wrap(doc).sequence();
    }

    private static long indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("document not found in file");
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path p : files.toList())
            {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
