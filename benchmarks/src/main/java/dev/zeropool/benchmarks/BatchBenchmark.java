package dev.zeropool.benchmarks;

import dev.zeropool.TaskBatch;
import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.ZeroPool;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * One operation = 1000 independent tasks, each writing its result into {@code results[i]}, submitted
 * and awaited as a whole (the workloads of zero-pool's own benchmarks). Lower is better.
 *
 * <ul>
 *   <li>{@code OVERHEAD}: the task writes 42 (pure scheduling cost);</li>
 *   <li>{@code LIGHT}: a 100-step arithmetic loop (~0.1 µs);</li>
 *   <li>{@code HEAVY}: a 30 000-step LCG loop (~38 µs).</li>
 * </ul>
 *
 * Every pool has {@code workers} threads (0 = one per available processor). ZeroPool tasks use a
 * static {@link TaskFn} and pre-allocated parameter objects; the JDK pools get the idiomatic code a
 * user would write (a lambda per task, a parallel stream).
 *
 * <p>Latest results, quick mode (1 fork, 3 × 200 ms warm-up, 5 × 200 ms measurement, GC profiler), 2-core shared VM,
 * JDK 17, workers = 2; indicative only (other builds shared the machine):
 * <pre>
 * | workload | pool | score (ns/op) | ± error | vs best JDK peer | alloc (B/op) |
 * |---|---|---:|---:|---:|---:|
 * | workers=2, workload=OVERHEAD | forkJoinParallelStream | 21,397 | 12,941 | 1.00 | 750 |
 * | workers=2, workload=OVERHEAD | zeroPoolTaskBatch | 24,381 | 2,839 | 1.14 | 40.6 |
 * | workers=2, workload=OVERHEAD | zeroPoolBatch | 35,102 | 25,539 | 1.64 | 41.0 |
 * | workers=2, workload=OVERHEAD | forkJoinSubmitAll | 86,578 | 114,832 | 4.05 | 48,308 |
 * | workers=2, workload=OVERHEAD | zeroPoolSingleTasks | 128,052 | 61,203 | 5.98 | 32,075 |
 * | workers=2, workload=OVERHEAD | threadPoolSubmitAll | 181,759 | 42,516 | 8.49 | 108,092 |
 * | workers=2, workload=LIGHT | zeroPoolBatch | 126,937 | 53,885 | 0.65 | 45.2 |
 * | workers=2, workload=LIGHT | zeroPoolTaskBatch | 131,744 | 46,218 | 0.68 | 43.5 |
 * | workers=2, workload=LIGHT | forkJoinParallelStream | 195,007 | 191,657 | 1.00 | 766 |
 * | workers=2, workload=LIGHT | zeroPoolSingleTasks | 252,943 | 245,268 | 1.30 | 32,565 |
 * | workers=2, workload=LIGHT | forkJoinSubmitAll | 261,356 | 196,330 | 1.34 | 48,784 |
 * | workers=2, workload=LIGHT | threadPoolSubmitAll | 428,402 | 248,095 | 2.20 | 106,068 |
 * | workers=2, workload=HEAVY | forkJoinParallelStream | 20,834,780 | 1,809,100 | 1.00 | 1,424 |
 * | workers=2, workload=HEAVY | zeroPoolTaskBatch | 21,422,100 | 5,105,421 | 1.03 | 693 |
 * | workers=2, workload=HEAVY | zeroPoolBatch | 21,908,640 | 14,990,728 | 1.05 | 710 |
 * | workers=2, workload=HEAVY | zeroPoolSingleTasks | 22,697,173 | 2,251,218 | 1.09 | 42,187 |
 * | workers=2, workload=HEAVY | threadPoolSubmitAll | 25,081,879 | 3,944,232 | 1.20 | 116,884 |
 * | workers=2, workload=HEAVY | forkJoinSubmitAll | 28,819,944 | 11,500,393 | 1.38 | 61,801 |
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchBenchmark {

  /** Tasks per operation. */
  public static final int TASKS = 1000;

  /** What each task computes; all are pure functions of the task index. */
  public enum Workload {
    /** Writes a constant: measures only the pool. */
    OVERHEAD {
      @Override
      long compute(int i) {
        return 42;
      }
    },
    /** A 100-step arithmetic loop. */
    LIGHT {
      @Override
      long compute(int i) {
        return Kernels.light(i);
      }
    },
    /** A 30 000-step LCG loop. */
    HEAVY {
      @Override
      long compute(int i) {
        return Kernels.lcg(i, Kernels.HEAVY_STEPS);
      }
    };

    abstract long compute(int i);
  }

  /** A ZeroPool task's parameter object: where to write and what to compute. */
  static final class Slot {
    final int index;
    final long[] results;
    final Workload workload;

    Slot(int index, long[] results, Workload workload) {
      this.index = index;
      this.results = results;
      this.workload = workload;
    }
  }

  /** The ZeroPool task handle, a non-capturing singleton. */
  static final TaskFn<Slot> COMPUTE = s -> s.results[s.index] = s.workload.compute(s.index);

  /** Worker threads in every pool; 0 means one per available processor. */
  @Param({"0"})
  public int workers;

  /** The task body. */
  @Param({"OVERHEAD", "LIGHT", "HEAVY"})
  public Workload workload;

  private long[] results;
  private Slot[] slots;
  private TaskBatch prebuilt;
  private TaskFuture[] zeroPoolFutures;
  private ForkJoinTask<?>[] forkJoinFutures;
  private Future<?>[] threadPoolFutures;

  private ZeroPool zeroPool;
  private ForkJoinPool forkJoinPool;
  private ExecutorService threadPool;

  /** Creates the three pools and the pre-allocated task parameters. */
  @Setup(Level.Trial)
  public void setUp() {
    int threads = Pools.resolveWorkers(workers);
    zeroPool = ZeroPool.create(threads);
    forkJoinPool = new ForkJoinPool(threads);
    threadPool = Executors.newFixedThreadPool(threads);
    results = new long[TASKS];
    slots = new Slot[TASKS];
    for (int i = 0; i < TASKS; i++) {
      slots[i] = new Slot(i, results, workload);
    }
    prebuilt = TaskBatch.builder().addAll(COMPUTE, slots).build();
    zeroPoolFutures = new TaskFuture[TASKS];
    forkJoinFutures = new ForkJoinTask<?>[TASKS];
    threadPoolFutures = new Future<?>[TASKS];
  }

  /** Clears the results so that {@link #verify()} sees only this iteration's writes. */
  @Setup(Level.Iteration)
  public void clearResults() {
    Arrays.fill(results, Long.MIN_VALUE);
  }

  /** Checks that every task of the iteration ran and its write is visible to the benchmark thread. */
  @TearDown(Level.Iteration)
  public void verify() {
    for (int i = 0; i < TASKS; i++) {
      if (results[i] != workload.compute(i)) {
        throw new IllegalStateException("results[" + i + "] = " + results[i] + ", expected " + workload.compute(i));
      }
    }
  }

  /** Shuts the pools down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    Pools.close(zeroPool);
    Pools.close(forkJoinPool);
    Pools.close(threadPool);
  }

  /** ZeroPool uniform batch: one handle, 1000 pre-allocated parameter objects, one future. */
  @Benchmark
  public void zeroPoolBatch() {
    zeroPool.submitBatch(COMPUTE, slots).join();
  }

  /** ZeroPool pre-built {@link TaskBatch}, submitted again each operation. */
  @Benchmark
  public void zeroPoolTaskBatch() {
    zeroPool.submitBatch(prebuilt).join();
  }

  /** ZeroPool, 1000 single {@code submitTask} calls, then a join of each future. */
  @Benchmark
  public void zeroPoolSingleTasks() {
    TaskFuture[] futures = zeroPoolFutures;
    for (int i = 0; i < TASKS; i++) {
      futures[i] = zeroPool.submitTask(COMPUTE, slots[i]);
    }
    for (int i = 0; i < TASKS; i++) {
      futures[i].join();
      futures[i] = null;
    }
  }

  /** ForkJoinPool, idiomatic data parallelism: a parallel stream run inside the dedicated pool. */
  @Benchmark
  public void forkJoinParallelStream() {
    long[] out = results;
    Workload w = workload;
    forkJoinPool.submit(() -> IntStream.range(0, TASKS).parallel().forEach(i -> out[i] = w.compute(i))).join();
  }

  /** ForkJoinPool, 1000 {@code submit} calls of a Runnable lambda each, then a join of each task. */
  @Benchmark
  public void forkJoinSubmitAll() {
    long[] out = results;
    Workload w = workload;
    ForkJoinTask<?>[] futures = forkJoinFutures;
    for (int i = 0; i < TASKS; i++) {
      int index = i;
      futures[i] = forkJoinPool.submit(() -> {
        out[index] = w.compute(index);
      });
    }
    for (int i = 0; i < TASKS; i++) {
      futures[i].join();
      futures[i] = null;
    }
  }

  /** Fixed ThreadPoolExecutor (LinkedBlockingQueue), 1000 {@code submit} calls, then a get of each. */
  @Benchmark
  public void threadPoolSubmitAll() throws InterruptedException, ExecutionException {
    long[] out = results;
    Workload w = workload;
    Future<?>[] futures = threadPoolFutures;
    for (int i = 0; i < TASKS; i++) {
      int index = i;
      futures[i] = threadPool.submit(() -> {
        out[index] = w.compute(index);
      });
    }
    for (int i = 0; i < TASKS; i++) {
      futures[i].get();
      futures[i] = null;
    }
  }
}
