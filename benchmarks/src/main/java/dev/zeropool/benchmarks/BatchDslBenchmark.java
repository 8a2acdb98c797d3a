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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Kotlin batch DSL against the Java builder it wraps, for the allocation column (run with
 * {@code -prof gc}; the report does). One operation builds (or reuses) a batch of {@value #TASKS} tiny
 * tasks, one {@code task(...)} plus one {@code tasks(..., list)}, submits it and joins it. The parameter
 * {@code api} is the pool of this class ({@link PoolParameter}): the report divides each {@code KOTLIN_DSL}
 * row by the {@code JAVA_BUILDER} row of the same method.
 *
 * <ul>
 *   <li>{@code buildAndSubmit}: {@code KOTLIN_DSL} is {@code pool.submitBatch { task(fn, first); tasks(fn, rest) }}
 *       (inline, see {@link CoroutineWorkloads#submitWithDsl}); {@code JAVA_BUILDER} is
 *       {@code pool.submitBatch(TaskBatch.builder().add(fn, first).addAll(fn, rest).build())}.</li>
 *   <li>{@code resubmitPrebuilt}: the same batch built once, by {@code buildBatch {}} or by the Java
 *       builder, and submitted again each operation.</li>
 * </ul>
 *
 * <p>Results of an earlier layout of this class (one method per API: {@code kotlinDslBuildAndSubmit} is
 * now {@code buildAndSubmit} with {@code api=KOTLIN_DSL}, {@code kotlinBuildBatchReused} is
 * {@code resubmitPrebuilt} with {@code api=KOTLIN_DSL}, and so on), quick mode (1 fork, 3 × 200 ms warm-up,
 * 5 × 200 ms measurement, GC profiler), 2-core shared VM, JDK 17, pool of 2 workers; indicative only (load
 * average ~1.7 from other builds, hence the wide error bars):
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
@PoolParameter(name = "api", peers = {"JAVA_BUILDER"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchDslBenchmark {

  /** Tasks per batch: one added with {@code task}, the rest with {@code tasks}. */
  public static final int TASKS = 16;

  /** How the batch is built. */
  public enum Api {
    /** The Kotlin DSL of zeropool-coroutines: {@code submitBatch {}} and {@code buildBatch {}}. */
    KOTLIN_DSL,
    /** The Java builder, {@code TaskBatch.builder()}. */
    JAVA_BUILDER
  }

  /** A task's parameter object; each task of a batch has its own. */
  static final class Counter {
    long count;
  }

  /** The task handle: counts its runs. */
  static final TaskFn<Counter> COUNT = c -> c.count++;

  /** The API under test. */
  @Param({"KOTLIN_DSL", "JAVA_BUILDER"})
  public Api api;

  private ZeroPool pool;
  private Counter first;
  private List<Counter> rest;
  private TaskBatch prebuilt;

  /** Creates the pool, the parameter objects and the reusable batch, built with the API under test. */
  @Setup(Level.Trial)
  public void setUp() {
    pool = ZeroPool.create(Runtime.getRuntime().availableProcessors());
    first = new Counter();
    List<Counter> others = new ArrayList<>();
    for (int i = 1; i < TASKS; i++) {
      others.add(new Counter());
    }
    rest = List.copyOf(others);
    prebuilt = api == Api.KOTLIN_DSL
        ? CoroutineWorkloads.buildWithDsl(COUNT, first, rest)
        : TaskBatch.builder().add(COUNT, first).addAll(COUNT, rest).build();
  }

  /** Shuts the pool down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    Pools.close(pool);
  }

  /** Build the batch with the API under test, submit it, join it. */
  @Benchmark
  public long buildAndSubmit() {
    if (api == Api.KOTLIN_DSL) {
      CoroutineWorkloads.submitWithDsl(pool, COUNT, first, rest).join();
    } else {
      pool.submitBatch(TaskBatch.builder().add(COUNT, first).addAll(COUNT, rest).build()).join();
    }
    return first.count;
  }

  /** Submit the batch built once with the API under test, join it. */
  @Benchmark
  public long resubmitPrebuilt() {
    pool.submitBatch(prebuilt).join();
    return first.count;
  }
}
