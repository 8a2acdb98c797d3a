package dev.zeropool.benchmarks;

import dev.zeropool.PoolCounters;
import dev.zeropool.ZeroPool;
import java.util.Arrays;
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
 * What the metrics hook costs: the same ZeroPool work with no hook ({@code NONE}: the pool pays a null
 * check per run) and with {@link PoolCounters} installed ({@code COUNTERS}: {@code LongAdder}
 * increments per submission and per run). One operation = {@value #TASKS} trivial tasks; compare the
 * {@code NONE} and {@code COUNTERS} rows of the same method. Lower is better.
 *
 * <ul>
 *   <li>{@code zeroPoolBatch}: one uniform batch of {@value #TASKS} tasks that each write 42
 *       ({@link BatchBenchmark}'s {@code OVERHEAD} task), joined;</li>
 *   <li>{@code zeroPoolExecute}: {@value #TASKS} {@code execute(Runnable)} calls of a Runnable that only
 *       counts itself done, then a wait for the last.</li>
 * </ul>
 *
 * The pool has one worker per available processor. The hook is the pool parameter of this class
 * ({@link PoolParameter}): the report divides each row by the {@code NONE} row of the same method, so
 * the ratio is the cost of the counters (1.00 = free).
 *
 * <p>Latest results (2 forks, 3 × 200 ms warm-up, 10 × 300 ms measurement, GC profiler: quick mode is too
 * short to separate the two hooks), 2-core shared VM, JDK 17, 2 workers; indicative only (other builds
 * shared the machine). Counters cost nothing measurable on a batch (counted once per submission and once
 * per run) and an apparent ~12 ns per task on {@code execute} (counted once per call), within the error bars:
 * <pre>
 * | workload | pool | score (ns/op) | ± error | vs best JDK peer | alloc (B/op) |
 * |---|---|---:|---:|---:|---:|
 * | metrics=NONE | zeroPoolBatch | 33,670 | 6,401 | – | 49.9 |
 * | metrics=COUNTERS | zeroPoolBatch | 32,757 | 5,633 | – | 47.6 |
 * | metrics=NONE | zeroPoolExecute | 76,959 | 21,577 | – | 1.7 |
 * | metrics=COUNTERS | zeroPoolExecute | 88,748 | 11,545 | – | 2.0 |
 * </pre>
 */
@State(Scope.Benchmark)
@PoolParameter(name = "metrics", peers = {"NONE"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsOverheadBenchmark {

  /** Tasks per operation. */
  public static final int TASKS = 1000;

  /** The metrics hook installed in the pool. */
  public enum Hook {
    /** No hook: the default. */
    NONE,
    /** A {@link PoolCounters}. */
    COUNTERS
  }

  /** Which hook the pool has. */
  @Param({"NONE", "COUNTERS"})
  public Hook metrics;

  private final JobStreamBenchmark.Countdown countdown = new JobStreamBenchmark.Countdown();
  private final Runnable arrive = countdown::arrive;
  private long[] results;
  private BatchBenchmark.Slot[] slots;
  private PoolCounters counters;
  private ZeroPool pool;

  /** Creates the pool, with or without counters, and the batch's parameter objects. */
  @Setup(Level.Trial)
  public void setUp() {
    ZeroPool.Builder builder = ZeroPool.builder().workers(Runtime.getRuntime().availableProcessors());
    if (metrics == Hook.COUNTERS) {
      counters = new PoolCounters();
      builder.metrics(counters);
    }
    pool = builder.build();
    results = new long[TASKS];
    slots = new BatchBenchmark.Slot[TASKS];
    for (int i = 0; i < TASKS; i++) {
      slots[i] = new BatchBenchmark.Slot(i, results, BatchBenchmark.Workload.OVERHEAD);
    }
  }

  /** Clears the batch results so that {@link #verify()} sees only this iteration's writes. */
  @Setup(Level.Iteration)
  public void clearResults() {
    Arrays.fill(results, Long.MIN_VALUE);
  }

  /** Checks that every batch task wrote its result (when the batch is measured) and that the hook counts. */
  @TearDown(Level.Iteration)
  public void verify() {
    boolean batchRan = results[0] != Long.MIN_VALUE;
    for (int i = 0; batchRan && i < TASKS; i++) {
      if (results[i] != 42) {
        throw new IllegalStateException("results[" + i + "] = " + results[i] + ", expected 42");
      }
    }
    if (counters != null && counters.submitted() == 0) {
      throw new IllegalStateException("PoolCounters installed but nothing counted: " + counters);
    }
  }

  /** Shuts the pool down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    Pools.close(pool);
  }

  /** One uniform batch of {@value #TASKS} trivial tasks, joined. */
  @Benchmark
  public void zeroPoolBatch() {
    pool.submitBatch(BatchBenchmark.COMPUTE, slots).join();
  }

  /** {@value #TASKS} {@code execute} calls, then a wait until every Runnable has run. */
  @Benchmark
  public void zeroPoolExecute() {
    countdown.reset(TASKS);
    for (int i = 0; i < TASKS; i++) {
      pool.execute(arrive);
    }
    countdown.await();
  }
}
