package jp.senbetsu.bench.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.Durability;
import jp.senbetsu.store.SealedStore;
import jp.senbetsu.store.StoreConfiguration;
import jp.senbetsu.store.audit.Actor;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.MasterKeyStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealed appends on one thread: copy a 256-byte selected record into the open batch; every 256 records the batch
 * is encrypted (AES-256-GCM), hashed into the chain (SHA-256) and appended to the partition's Chronicle Queue.
 * One operation is one record, so the score is records per second (target: 2 million on one core with AES-NI).
 *
 * <p>Each measurement iteration writes into a fresh store that is deleted afterwards, so the score is the
 * append path and not how fast the machine can provision gigabytes of new page cache (run with
 * {@code -Dsenbetsu.bench.dir=/dev/shm} to take the disk out as well; {@code -p durability=SYNCED} adds an msync
 * per batch).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(SealedAppendBenchmark.PER_INVOCATION)
public class SealedAppendBenchmark
{
    static final int PER_INVOCATION = 4096;

    /** WRITTEN: acknowledged once in the mapped file; SYNCED: msync per batch too. */
    @Param({"WRITTEN"})
    public Durability durability;

    private Path store;
    private MasterKeyStore master;
    private AuditLog audit;
    private SealedStore sealed;
    private UnsafeBuffer records;

    @Setup(Level.Trial)
    public void records()
    {
        records = BenchStore.records();
    }

    @Setup(Level.Iteration)
    public void open() throws IOException
    {
        store = BenchStore.create();
        master = BenchStore.unlock(store);
        audit = BenchStore.audit(store);
        sealed = SealedStore.open(new StoreConfiguration(store).durability(durability), master, audit,
            Actor.appliance("bench"));
    }

    @Benchmark
    public long append()
    {
        for (int i = 0; i < PER_INVOCATION; i++)
        {
            sealed.append(records, (i & (BenchStore.RECORDS - 1)) * SelectedFlowRecord.FIXED_LENGTH);
        }
        return sealed.lastAcknowledgedSequence();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException
    {
        sealed.close();
        audit.close();
        master.close();
        BenchStore.delete(store);
    }
}
