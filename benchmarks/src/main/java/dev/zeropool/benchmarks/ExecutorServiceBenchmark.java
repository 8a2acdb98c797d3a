package dev.zeropool.benchmarks;

import dev.zeropool.ZeroPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * ZeroPool used as a plain {@link ExecutorService}, the drop-in case: code written against the JDK
 * interface, with no {@code TaskFn} and no batches. One operation = {@value #CALLS} trivial
 * {@link Callable}s (each returns its index) and the sum of their results. Lower is better.
 *
 * <ul>
 *   <li>{@code SUBMIT_GET}: {@value #CALLS} {@code submit(Callable)} calls, then {@code get()} on each
 *       future;</li>
 *   <li>{@code INVOKE_ALL}: one {@code invokeAll} of the {@value #CALLS} Callables, then {@code get()}
 *       on each (already done) future.</li>
 * </ul>
 *
 * The three benchmark methods run the very same code on a different executor: ZeroPool, a fixed
 * {@code ThreadPoolExecutor} ({@link Executors#newFixedThreadPool}) and a {@code ForkJoinPool}, each with
 * one worker per available processor. The Callables are pre-allocated, so <em>alloc</em> is what each
 * executor allocates itself (ZeroPool: one 56-byte future per call, and for {@code INVOKE_ALL} one batch
 * entry whose units run the futures; ThreadPoolExecutor: one {@code FutureTask} per call from
 * {@code AbstractExecutorService}; ForkJoinPool: its own task adapters) plus the boxed {@code Long}
 * results, which are the same for all three.
 *
 * <p>Latest results: the full report of 2026-12-03 (fourth run; 2 forks, 5 × 1 s warm-up, 5 × 1 s
 * measurement, GC profiler), 2-core shared VM in a noisy hour, JDK 17, 2 workers. {@code INVOKE_ALL}
 * submits its tasks as one batch, which the calling thread helps run; {@code SUBMIT_GET} is within the
 * error of ForkJoinPool (both switch between a ~75 µs and a ~150–250 µs mode on this VM; see
 * {@code docs/benchmarks.md}):
 * <pre>
 * | workload | pool | score (ns/op) | ± error | vs best JDK peer | alloc (B/op) |
 * |---|---|---:|---:|---:|---:|
 * | api=SUBMIT_GET | forkJoinPool | 97,892 | 48,978 | 1.00 | 53,061 |
 * | api=SUBMIT_GET | zeroPool | 108,886 | 99,579 | 1.11 | 77,004 |
 * | api=SUBMIT_GET | threadPoolExecutor | 237,113 | 11,812 | 2.42 | 80,264 |
 * | api=INVOKE_ALL | zeroPool | 39,982 | 18,619 | 0.47 | 81,050 |
 * | api=INVOKE_ALL | forkJoinPool | 85,711 | 9,069 | 1.00 | 56,993 |
 * | api=INVOKE_ALL | threadPoolExecutor | 230,643 | 17,063 | 2.69 | 84,522 |
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExecutorServiceBenchmark {

  /** Callables per operation. */
  public static final int CALLS = 1000;

  /** The sum of the results of one operation: 0 + 1 + ... + (CALLS - 1). */
  private static final long EXPECTED_SUM = (long) CALLS * (CALLS - 1) / 2;

  /** How the Callables are handed to the executor. */
  public enum Api {
    /** One {@code submit(Callable)} per Callable, then a {@code get()} of each future. */
    SUBMIT_GET {
      @Override
      long run(ExecutorService executor, List<Callable<Long>> calls, Future<Long>[] futures)
          throws InterruptedException, ExecutionException {
        for (int i = 0; i < futures.length; i++) {
          futures[i] = executor.submit(calls.get(i));
        }
        long sum = 0;
        for (int i = 0; i < futures.length; i++) {
          sum += futures[i].get();
          futures[i] = null;
        }
        return sum;
      }
    },
    /** One {@code invokeAll}, then a {@code get()} of each future. */
    INVOKE_ALL {
      @Override
      long run(ExecutorService executor, List<Callable<Long>> calls, Future<Long>[] futures)
          throws InterruptedException, ExecutionException {
        long sum = 0;
        for (Future<Long> f : executor.invokeAll(calls)) {
          sum += f.get();
        }
        return sum;
      }
    };

    /** {@return the sum of the Callables' results} {@code futures} is scratch space of {@link #CALLS} slots. */
    abstract long run(ExecutorService executor, List<Callable<Long>> calls, Future<Long>[] futures)
        throws InterruptedException, ExecutionException;
  }

  /** The submission path under test. */
  @Param({"SUBMIT_GET", "INVOKE_ALL"})
  public Api api;

  private List<Callable<Long>> calls;
  private Future<Long>[] futures;
  private ZeroPool zeroPool;
  private ForkJoinPool forkJoinPool;
  private ExecutorService threadPool;

  /** Creates the three executors, each with one worker per available processor, and the Callables. */
  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() {
    int threads = Runtime.getRuntime().availableProcessors();
    zeroPool = ZeroPool.create(threads);
    forkJoinPool = new ForkJoinPool(threads);
    threadPool = Executors.newFixedThreadPool(threads);
    calls = new ArrayList<>(CALLS);
    for (int i = 0; i < CALLS; i++) {
      long value = i;
      calls.add(() -> value);
    }
    futures = (Future<Long>[]) new Future<?>[CALLS];
  }

  /** Shuts the executors down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    Pools.close(zeroPool);
    Pools.close(forkJoinPool);
    Pools.close(threadPool);
  }

  private long run(ExecutorService executor) throws InterruptedException, ExecutionException {
    long sum = api.run(executor, calls, futures);
    if (sum != EXPECTED_SUM) {
      throw new IllegalStateException(executor + " summed " + sum + ", expected " + EXPECTED_SUM);
    }
    return sum;
  }

  /** ZeroPool through the {@link ExecutorService} interface. */
  @Benchmark
  public long zeroPool() throws InterruptedException, ExecutionException {
    return run(zeroPool);
  }

  /** {@code ForkJoinPool} through the {@link ExecutorService} interface. */
  @Benchmark
  public long forkJoinPool() throws InterruptedException, ExecutionException {
    return run(forkJoinPool);
  }

  /** Fixed {@code ThreadPoolExecutor} (LinkedBlockingQueue) through the {@link ExecutorService} interface. */
  @Benchmark
  public long threadPoolExecutor() throws InterruptedException, ExecutionException {
    return run(threadPool);
  }
}
