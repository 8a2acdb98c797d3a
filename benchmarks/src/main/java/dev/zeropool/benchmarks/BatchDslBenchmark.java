package dev.zeropool.benchmarks;

import dev.zeropool.TaskBatch;
import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The Kotlin batch DSL against the Java builder it wraps, for the allocation column (run with
 * {@code -prof gc}; the report does). One operation builds (or reuses) a batch of {@value #TASKS} tiny
 * tasks, one {@code task(...)} plus one {@code tasks(..., list)}, submits it and joins it.
 *
 * <ul>
 *   <li>{@code kotlinDslBuildAndSubmit}: {@code pool.submitBatch { task(fn, first); tasks(fn, rest) }}
 *       (inline, see {@link CoroutineWorkloads#submitWithDsl}).</li>
 *   <li>{@code javaBuilderBuildAndSubmit}: {@code pool.submitBatch(TaskBatch.builder().add(fn, first)
 *       .addAll(fn, rest).build())}.</li>
 *   <li>{@code kotlinBuildBatchReused} / {@code javaTaskBatchReused}: the same batch built once, by
 *       {@code buildBatch {}} or by the Java builder, and submitted again each operation.</li>
 * </ul>
 *
 * <p>Latest results, quick mode (1 fork, 3 × 200 ms warm-up, 5 × 200 ms measurement, GC profiler), 2-core shared VM,
 * JDK 17, pool of 2 workers; indicative only (load average ~1.7 from other builds, hence the wide error bars).
 * No JDK-peer ratio: the dispatcher is a parameter, not a method.
 * <pre>
 * | workload | pool | score (ns/op) | ± error | vs best JDK peer | alloc (B/op) |
 * |---|---|---:|---:|---:|---:|
 * |  | kotlinBuildBatchReused | 1,569 | 479 | – | 42.2 |
 * |  | javaTaskBatchReused | 1,645 | 2,076 | – | 41.3 |
 * |  | javaBuilderBuildAndSubmit | 3,881 | 1,444 | – | 793 |
 * |  | kotlinDslBuildAndSubmit | 4,169 | 2,280 | – | 793 |
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchDslBenchmark {

  /** Tasks per batch: one added with {@code task}, the rest with {@code tasks}. */
  public static final int TASKS = 16;

  /** A task's parameter object; each task of a batch has its own. */
  static final class Counter {
    long count;
  }

  /** The task handle: counts its runs. */
  static final TaskFn<Counter> COUNT = c -> c.count++;

  private ZeroPool pool;
  private Counter first;
  private List<Counter> rest;
  private TaskBatch kotlinBatch;
  private TaskBatch javaBatch;

  /** Creates the pool, the parameter objects and the two reusable batches. */
  @Setup(Level.Trial)
  public void setUp() {
    pool = ZeroPool.create(Runtime.getRuntime().availableProcessors());
    first = new Counter();
    List<Counter> others = new ArrayList<>();
    for (int i = 1; i < TASKS; i++) {
      others.add(new Counter());
    }
    rest = List.copyOf(others);
    kotlinBatch = CoroutineWorkloads.buildWithDsl(COUNT, first, rest);
    javaBatch = TaskBatch.builder().add(COUNT, first).addAll(COUNT, rest).build();
  }

  /** Shuts the pool down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    Pools.close(pool);
  }

  /** Kotlin: build with the inline {@code submitBatch {}} DSL, submit, join. */
  @Benchmark
  public long kotlinDslBuildAndSubmit() {
    CoroutineWorkloads.submitWithDsl(pool, COUNT, first, rest).join();
    return first.count;
  }

  /** Java: build with {@code TaskBatch.builder()}, submit, join. */
  @Benchmark
  public long javaBuilderBuildAndSubmit() {
    pool.submitBatch(TaskBatch.builder().add(COUNT, first).addAll(COUNT, rest).build()).join();
    return first.count;
  }

  /** Kotlin: a batch built once with {@code buildBatch {}}, submitted and joined. */
  @Benchmark
  public long kotlinBuildBatchReused() {
    pool.submitBatch(kotlinBatch).join();
    return first.count;
  }

  /** Java: a batch built once with {@code TaskBatch.builder()}, submitted and joined. */
  @Benchmark
  public long javaTaskBatchReused() {
    pool.submitBatch(javaBatch).join();
    return first.count;
  }
}
