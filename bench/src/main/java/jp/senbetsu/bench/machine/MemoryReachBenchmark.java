package jp.senbetsu.bench.machine;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the machine charges for the reads a large rule set's lookups make: the selection's cost at 100 000 rules is
 * set by how many distinct lines and pages its 12–13 MB structure is read from (see docs/performance.md,
 * Selection), so these numbers say what to expect of the selection on a given machine before its own benchmark runs.
 *
 * <p>{@code batched}: reads of {@link #lines} distinct cache lines in random order, 64 independent reads at a
 * time, as the selection's batch walks read (time per read). With {@code pagesPerLine} 1 the lines lie together;
 * with 64 each has a 4 KiB page of its own, so the same lines cost a translation each: the difference is the price
 * of a page walk. {@code chase}: one dependent read at a time through the same lines (a random cycle), the latency
 * a lone lookup waits on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class MemoryReachBenchmark
{
    private static final int LONGS_PER_LINE = 8;
    private static final int BATCH = 64;
    private static final int ORDER = 1 << 20;

    /** Distinct cache lines read: 4 096 lines are 256 KiB, less than a core's second-level cache. */
    @Param({"4096", "65536"})
    int lines;

    /** 1: the lines lie together; 64: one line per 4 KiB page. */
    @Param({"1", "64"})
    int pagesPerLine;

    private long[] memory;
    private final int[] order = new int[ORDER];
    private int next;
    private int at;

    @Setup
    public void setUp()
    {
        final int stride = pagesPerLine == 1 ? LONGS_PER_LINE : LONGS_PER_LINE * 64;
        memory = new long[lines * stride + LONGS_PER_LINE];
        final SplittableRandom random = new SplittableRandom(20261127L);
        for (int i = 0; i < ORDER; i++)
        {
            order[i] = random.nextInt(lines) * stride;
        }
        // one random cycle through all lines for the chase: each line holds the index of the next
        final int[] cycle = new int[lines];
        for (int i = 0; i < lines; i++)
        {
            cycle[i] = i;
        }
        for (int i = lines - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = cycle[i];
            cycle[i] = cycle[j];
            cycle[j] = t;
        }
        for (int i = 0; i < lines; i++)
        {
            memory[cycle[i] * stride] = (long)cycle[(i + 1) % lines] * stride;
        }
        at = cycle[0] * stride;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batched()
    {
        final long[] memory = this.memory;
        final int[] order = this.order;
        final int from = next;
        long sum = 0;
        for (int j = 0; j < BATCH; j++)
        {
            sum += memory[order[(from + j) & (ORDER - 1)]];
        }
        next = from + BATCH;
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long chase()
    {
        final long[] memory = this.memory;
        int i = at;
        for (int j = 0; j < BATCH; j++)
        {
            i = (int)memory[i];
        }
        at = i;
        return i;
    }
}
