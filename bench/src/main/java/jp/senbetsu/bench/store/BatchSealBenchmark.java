package jp.senbetsu.bench.store;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;

import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.batch.BatchHeader;
import jp.senbetsu.store.batch.BatchSealer;
import jp.senbetsu.store.chain.ChainHash;
import jp.senbetsu.store.keys.DataKey;
import jp.senbetsu.store.keys.NonceCounter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of sealing alone, without the queue: AES-256-GCM over a full 256-record batch with the header as
 * associated data, plus the SHA-256 chain hash of header and ciphertext. One operation is one record.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(256)
public class BatchSealBenchmark
{
    private final BatchSealer sealer = new BatchSealer();
    private final ChainHash chain = new ChainHash();
    private final byte[] plain = new byte[256 * SelectedFlowRecord.FIXED_LENGTH];
    private final byte[] doc = new byte[BatchHeader.LENGTH + plain.length + BatchHeader.TAG_LENGTH];
    private java.nio.file.Path nonceFile;
    private NonceCounter nonces;
    private long sequence;

    @Setup(Level.Trial)
    public void key() throws java.io.IOException
    {
        final byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        BenchStore.records().getBytes(0, plain);
        nonceFile = java.nio.file.Files.createTempFile("senbetsu-bench-", ".nonce");
        nonces = NonceCounter.open(nonceFile, 1 << 24);
        sealer.use(new DataKey(new byte[16], "bench", new SecretKeySpec(raw, "AES"), "bench"), nonces, 0);
    }

    @Benchmark
    public int seal()
    {
        return sealer.seal(plain, 256, plain.length, ++sequence, chain, doc);
    }

    @TearDown(Level.Trial)
    public void close() throws java.io.IOException
    {
        nonces.close();
        java.nio.file.Files.deleteIfExists(nonceFile);
    }
}
