package dev.zeropool.benchmarks;

import dev.zeropool.TaskFuture;
import dev.zeropool.ZeroPool;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * The scaling set for tasks: {@value #TASKS} trivial tasks (each writes 42 into {@code results[i]}, as
 * {@link BatchBenchmark}'s {@code OVERHEAD}) per operation, submitted by {@code producers} threads at
 * once (each its own slice of {@code TASKS / producers} tasks, see {@link Producers}) into a pool of
 * {@code workers} threads. The total work per operation stays the same, so the score is per task and
 * an ideal pool gets faster with workers up to the core count and no slower with producers. Above the
 * core count it measures oversubscription (park/unpark storms). Lower is better.
 *
 * <ul>
 *   <li>{@code zeroPoolBatch} / {@code forkJoinParallelStream}: each producer submits its slice as one
 *       uniform batch, or as a parallel stream over its index range inside the ForkJoinPool, and joins it;</li>
 *   <li>{@code zeroPoolSingleTasks} / {@code forkJoinSubmitAll}: each producer calls {@code submitTask}
 *       (or {@code ForkJoinPool.submit} of a lambda) once per task of its slice, then joins each.</li>
 * </ul>
 *
 * Run just this set (and {@code ScalingCoroutineBenchmark}) with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.Report scaling}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScalingBenchmark {

  /** Tasks per operation, all producers together; divisible by every {@code producers} value. */
  public static final int TASKS = 1000;

  /** Worker threads of both pools. */
  @Param({"1", "2", "4", "8", "16"})
  public int workers;

  /** Threads submitting at once, the benchmark thread included. */
  @Param({"1", "2", "4"})
  public int producers;

  private long[] results;
  private BatchBenchmark.Slot[] slots;
  private BatchBenchmark.Slot[][] slices;
  private TaskFuture[] zeroPoolFutures;
  private ForkJoinTask<?>[] forkJoinFutures;
  private ZeroPool zeroPool;
  private ForkJoinPool forkJoinPool;
  private Producers producerThreads;

  // One Part per method, built once, so that alloc shows only what the pools allocate.
  private final Producers.Part zeroPoolBatchPart = p -> zeroPool.submitBatch(BatchBenchmark.COMPUTE, slices[p]).join();
  private final Producers.Part forkJoinParallelStreamPart = this::parallelStreamSlice;
  private final Producers.Part zeroPoolSingleTasksPart = this::submitTaskSlice;
  private final Producers.Part forkJoinSubmitAllPart = this::forkJoinSubmitSlice;

  /** Creates the pools, the producer threads and each producer's slice of task parameters. */
  @Setup(Level.Trial)
  public void setUp() {
    zeroPool = ZeroPool.create(workers);
    forkJoinPool = new ForkJoinPool(workers);
    producerThreads = new Producers(producers);
    results = new long[TASKS];
    slots = new BatchBenchmark.Slot[TASKS];
    for (int i = 0; i < TASKS; i++) {
      slots[i] = new BatchBenchmark.Slot(i, results, BatchBenchmark.Workload.OVERHEAD);
    }
    slices = new BatchBenchmark.Slot[producers][];
    for (int p = 0; p < producers; p++) {
      slices[p] = Arrays.copyOfRange(slots, from(p), to(p));
    }
    zeroPoolFutures = new TaskFuture[TASKS];
    forkJoinFutures = new ForkJoinTask<?>[TASKS];
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
      if (results[i] != 42) {
        throw new IllegalStateException("results[" + i + "] = " + results[i] + ", expected 42");
      }
    }
  }

  /** Stops the producer threads and shuts the pools down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    producerThreads.close();
    Pools.close(zeroPool);
    Pools.close(forkJoinPool);
  }

  private int from(int producer) {
    return producer * (TASKS / producers);
  }

  private int to(int producer) {
    return (producer + 1) * (TASKS / producers);
  }

  /** Each producer: its slice as one ZeroPool uniform batch, joined; per task. */
  @Benchmark
  @OperationsPerInvocation(TASKS)
  public void zeroPoolBatch() {
    producerThreads.run(zeroPoolBatchPart);
  }

  /** Each producer: a parallel stream over its index range inside the ForkJoinPool, joined; per task. */
  @Benchmark
  @OperationsPerInvocation(TASKS)
  public void forkJoinParallelStream() {
    producerThreads.run(forkJoinParallelStreamPart);
  }

  /** Each producer: one {@code submitTask} per task of its slice, then a join of each; per task. */
  @Benchmark
  @OperationsPerInvocation(TASKS)
  public void zeroPoolSingleTasks() {
    producerThreads.run(zeroPoolSingleTasksPart);
  }

  /** Each producer: one {@code ForkJoinPool.submit} per task of its slice, then a join of each; per task. */
  @Benchmark
  @OperationsPerInvocation(TASKS)
  public void forkJoinSubmitAll() {
    producerThreads.run(forkJoinSubmitAllPart);
  }

  private void parallelStreamSlice(int producer) {
    long[] out = results;
    forkJoinPool.submit(() -> IntStream.range(from(producer), to(producer)).parallel().forEach(i -> out[i] = 42))
        .join();
  }

  private void submitTaskSlice(int producer) {
    TaskFuture[] futures = zeroPoolFutures;
    for (int i = from(producer), end = to(producer); i < end; i++) {
      futures[i] = zeroPool.submitTask(BatchBenchmark.COMPUTE, slots[i]);
    }
    for (int i = from(producer), end = to(producer); i < end; i++) {
      futures[i].join();
      futures[i] = null;
    }
  }

  private void forkJoinSubmitSlice(int producer) {
    long[] out = results;
    ForkJoinTask<?>[] futures = forkJoinFutures;
    for (int i = from(producer), end = to(producer); i < end; i++) {
      int index = i;
      futures[i] = forkJoinPool.submit(() -> {
        out[index] = 42;
      });
    }
    for (int i = from(producer), end = to(producer); i < end; i++) {
      futures[i].join();
      futures[i] = null;
    }
  }
}
