package dev.zeropool.benchmarks;

import dev.zeropool.Split;
import dev.zeropool.ZeroPool;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.IntToLongFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * micropool's parallel-iteration benchmarks on ZeroPool: {@code sum} of a {@code long[]} and {@code add}
 * ({@code out[i] = a[i] + b[i]}), with {@link Split#byThreads()} and with the default (adaptive) split,
 * against the plain sequential loop and the JDK's parallel equivalents (a parallel {@code LongStream}
 * and {@code Arrays.parallelSetAll}) run inside a dedicated {@link ForkJoinPool} of the same size.
 * The loop bodies are created once in {@code @Setup}, so the allocation column shows what each call
 * itself allocates. Lower is better.
 *
 * <p>Latest results, a short run (1 fork, 2 × 1 s warm-up, 3 × 1 s measurement, GC profiler) on a
 * shared, noisy 2-core VM, workers = 2, ns/op (errors and allocation in docs/benchmarks.md):
 * <pre>
 * | benchmark | 10 000 | 1 000 000 | 10 000 000 |
 * |---|---:|---:|---:|
 * | sumSequential | 2,887 | 294,257 | 4,698,785 |
 * | sumZeroPoolAdaptive | 3,521 | 212,292 | 3,260,659 |
 * | sumZeroPoolByThreads | 3,534 | 217,698 | 3,327,106 |
 * | sumForkJoinParallelStream | 21,316 | 261,091 | 3,266,899 |
 * | addSequential | 2,422 | 698,370 | 13,613,476 |
 * | addZeroPoolAdaptive | 2,914 | 562,666 | 9,182,965 |
 * | addZeroPoolByThreads | 2,779 | 489,128 | 9,897,972 |
 * | addForkJoinParallelSetAll | 24,457 | 750,934 | 10,384,679 |
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForkJoinLoopBenchmark {

  /** Elements per operation; add 10 000 000 with {@code -p size=10000000} (slow to set up). */
  @Param({"10000", "1000000"})
  public int size;

  /** Worker threads of both pools; 0 = one per available processor. */
  @Param({"0"})
  public int workers;

  private long[] a;
  private long[] b;
  private long[] out;
  private ZeroPool pool;
  private ForkJoinPool forkJoinPool;
  private IntToLongFunction readA;
  private IntConsumer add;

  @Setup
  public void setUp() {
    a = new long[size];
    b = new long[size];
    out = new long[size];
    Arrays.setAll(a, i -> i);
    Arrays.setAll(b, i -> 3L * i);
    int threads = Pools.resolveWorkers(workers);
    pool = ZeroPool.create(threads);
    forkJoinPool = new ForkJoinPool(threads);
    long[] xs = a;
    long[] ys = b;
    long[] zs = out;
    readA = i -> xs[i];
    add = i -> zs[i] = xs[i] + ys[i];
  }

  @TearDown
  public void tearDown() {
    Pools.close(pool);
    Pools.close(forkJoinPool);
  }

  @Benchmark
  public long sumSequential() {
    long[] xs = a;
    long sum = 0;
    for (int i = 0; i < xs.length; i++) {
      sum += xs[i];
    }
    return sum;
  }

  @Benchmark
  public long sumZeroPoolAdaptive() {
    return pool.sumLong(0, size, readA);
  }

  @Benchmark
  public long sumZeroPoolByThreads() {
    return pool.sumLong(0, size, Split.byThreads(), readA);
  }

  @Benchmark
  public long sumForkJoinParallelStream() {
    long[] xs = a;
    return forkJoinPool.submit(() -> Arrays.stream(xs).parallel().sum()).join();
  }

  @Benchmark
  public long[] addSequential() {
    long[] xs = a;
    long[] ys = b;
    long[] zs = out;
    for (int i = 0; i < zs.length; i++) {
      zs[i] = xs[i] + ys[i];
    }
    return zs;
  }

  @Benchmark
  public long[] addZeroPoolAdaptive() {
    pool.forRange(0, size, add);
    return out;
  }

  @Benchmark
  public long[] addZeroPoolByThreads() {
    pool.forRange(0, size, Split.byThreads(), add);
    return out;
  }

  @Benchmark
  public long[] addForkJoinParallelSetAll() {
    long[] xs = a;
    long[] ys = b;
    long[] zs = out;
    forkJoinPool.submit(() -> Arrays.parallelSetAll(zs, i -> xs[i] + ys[i])).join();
    return zs;
  }
}
