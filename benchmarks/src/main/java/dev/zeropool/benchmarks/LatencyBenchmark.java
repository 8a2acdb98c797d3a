package dev.zeropool.benchmarks;

import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Submit-to-complete round trip of one tiny task, from an idle pool: before each call the benchmark
 * thread sleeps {@value #IDLE_GAP_MICROS} µs so that the workers have parked. {@link Mode#SampleTime}
 * records every call, so the report shows percentiles as well as the mean. Lower is better.
 *
 * <p>What a caller sees, not a pure worker wake-up: ZeroPool's {@code join()} and ForkJoinPool's
 * {@code join()} from an outside thread may run the task on the caller if no worker has taken it
 * yet; ThreadPoolExecutor's {@code get()} always waits for a worker.
 *
 * <p>Latest results, quick mode (1 fork, 3 × 200 ms warm-up, 5 × 200 ms measurement, GC profiler), 2-core shared VM,
 * JDK 17, workers = 2; indicative only (other builds shared the machine):
 * <pre>
 * | workload | pool | score (ns/op) | ± error | vs best JDK peer | alloc (B/op) |
 * |---|---|---:|---:|---:|---:|
 * | workers=2 | zeroPoolRoundTrip | 14,404 | 1,406 | 0.55 | 309 |
 * | workers=2 | threadPoolRoundTrip | 26,194 | 6,249 | 1.00 | 439 |
 * | workers=2 | forkJoinRoundTrip | 26,483 | 5,175 | 1.01 | 344 |
 *
 * | workload | pool | p50 (ns) | p90 (ns) | p99 (ns) | p99.9 (ns) | max (ns) | samples |
 * |---|---|---:|---:|---:|---:|---:|---:|
 * | workers=2 | zeroPoolRoundTrip | 13,120 | 20,029 | 47,293 | 108,402 | 1,277,952 | 3140 |
 * | workers=2 | threadPoolRoundTrip | 21,408 | 28,765 | 88,739 | 1,595,068 | 4,046,848 | 2920 |
 * | workers=2 | forkJoinRoundTrip | 18,816 | 26,541 | 135,946 | 1,077,740 | 3,964,928 | 2847 |
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LatencyBenchmark {

  /** How long the benchmark thread sleeps before each call, so that the pool is idle. */
  public static final int IDLE_GAP_MICROS = 200;

  /** A ZeroPool task's parameter object: the task writes into it. */
  static final class Cell {
    volatile long value;
  }

  /** The ZeroPool task handle: writes 42. */
  static final TaskFn<Cell> WRITE = c -> c.value = 42;

  /** Worker threads in every pool; 0 means one per available processor. */
  @Param({"0"})
  public int workers;

  private final Cell cell = new Cell();
  private final Runnable write = () -> cell.value = 42;
  private ZeroPool zeroPool;
  private ForkJoinPool forkJoinPool;
  private ExecutorService threadPool;

  /** Creates the three pools. */
  @Setup(Level.Trial)
  public void setUp() {
    int threads = Pools.resolveWorkers(workers);
    zeroPool = ZeroPool.create(threads);
    forkJoinPool = new ForkJoinPool(threads);
    threadPool = Executors.newFixedThreadPool(threads);
  }

  /** Lets every worker finish spinning and park before the next call (not timed). */
  @Setup(Level.Invocation)
  public void letPoolsGoIdle() {
    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(IDLE_GAP_MICROS));
  }

  /** Shuts the pools down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    Pools.close(zeroPool);
    Pools.close(forkJoinPool);
    Pools.close(threadPool);
  }

  /** ZeroPool {@code submitTask(...).join()}. */
  @Benchmark
  public long zeroPoolRoundTrip() {
    zeroPool.submitTask(WRITE, cell).join();
    return cell.value;
  }

  /** ForkJoinPool {@code submit(Runnable).join()}. */
  @Benchmark
  public long forkJoinRoundTrip() {
    forkJoinPool.submit(write).join();
    return cell.value;
  }

  /** ThreadPoolExecutor {@code submit(Runnable).get()}. */
  @Benchmark
  public long threadPoolRoundTrip() throws InterruptedException, ExecutionException {
    threadPool.submit(write).get();
    return cell.value;
  }
}
