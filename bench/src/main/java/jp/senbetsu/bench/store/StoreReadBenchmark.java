package jp.senbetsu.bench.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.SealedStore;
import jp.senbetsu.store.StoreConfiguration;
import jp.senbetsu.store.StoreLayout;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.audit.Actor;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.chain.ChainVerifier;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.query.RecordFilter;
import jp.senbetsu.store.query.RecordJson;
import jp.senbetsu.store.query.RecordReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a store of 2 million records (512 MB of records, 7,813 batches): keyless {@code verify} (chain hashing
 * over every byte, reported as bytes per second) and query (decrypt and authenticate every batch, filter, and
 * optionally format matches as JSON Lines, reported as records per second).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class StoreReadBenchmark
{
    static final int STORED = 2_000_000;

    private Path store;
    private MasterKeyStore master;
    private StoreLayout layout;
    private StoreSettings settings;
    private java.security.PublicKey auditKey;
    private RecordReader reader;
    private final RecordFilter filter = new RecordFilter().port(53);
    private final RecordJson json = new RecordJson();
    private final StringBuilder line = new StringBuilder(512);

    /** Per-iteration totals JMH turns into rates. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counted
    {
        public long bytes;
        public long records;
    }

    @Setup(Level.Trial)
    public void fill() throws IOException
    {
        store = BenchStore.create();
        master = BenchStore.unlock(store);
        final UnsafeBuffer records = BenchStore.records();
        try (AuditLog audit = BenchStore.audit(store);
            SealedStore sealed = SealedStore.open(new StoreConfiguration(store), master, audit,
                Actor.appliance("bench")))
        {
            for (int i = 0; i < STORED; i++)
            {
                sealed.append(records, (i & (BenchStore.RECORDS - 1)) * SelectedFlowRecord.FIXED_LENGTH);
            }
        }
        layout = new StoreLayout(store);
        settings = StoreSettings.load(layout.settings());
        auditKey = ApplianceKey.loadPublic(layout.keys().resolve(ApplianceKey.PUBLIC_FILE));
        reader = new RecordReader(layout, settings, new DataKeyRing(layout.keys(), master));
    }

    @Benchmark
    public long verify(final Counted counted)
    {
        final VerifyReport report = new ChainVerifier(layout, settings, auditKey).verify();
        if (!report.ok())
        {
            throw new IllegalStateException(report.findings().toString());
        }
        counted.bytes += report.bytes();
        counted.records += report.records();
        return report.lastSequence();
    }

    @Benchmark
    public long queryFilter(final Counted counted)
    {
        final long[] matches = {0};
        counted.records += reader.scan(Long.MIN_VALUE, (record, partition, batch) ->
        {
            if (filter.matches(record))
            {
                matches[0]++;
            }
        });
        counted.bytes += (long)STORED * SelectedFlowRecord.FIXED_LENGTH;
        return matches[0];
    }

    @Benchmark
    public long queryJson(final Counted counted)
    {
        final long[] length = {0};
        counted.records += reader.scan(Long.MIN_VALUE, (record, partition, batch) ->
        {
            if (filter.matches(record))
            {
                line.setLength(0);
                json.write(record, partition, batch, line);
                length[0] += line.length();
            }
        });
        return length[0];
    }

    @TearDown(Level.Trial)
    public void close() throws IOException
    {
        master.close();
        BenchStore.delete(store);
    }
}
