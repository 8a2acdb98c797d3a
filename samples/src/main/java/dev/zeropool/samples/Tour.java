package dev.zeropool.samples;

import dev.zeropool.TaskBatch;
import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The main job: runs every sample (Java and Kotlin), then times 1000 small tasks on ZeroPool and on a ForkJoinPool of
 * the same size, side by side. A rough look only (medians of plain timing loops); the JMH suite in
 * {@code benchmarks} gives the real figures.
 *
 * <pre>{@code mvn -B -q install -DskipTests && mvn -B -q -pl samples exec:java}</pre>
 */
public final class Tour {

  private static final int TASKS = 1000;
  private static final int ROUNDS = 3000;

  /** One task's slot in the shared result array. */
  static final class Slot {
    final int index;
    final long[] results;

    Slot(int index, long[] results) {
      this.index = index;
      this.results = results;
    }
  }

  static final TaskFn<Slot> LIGHT = s -> s.results[s.index] = light(s.index);

  private Tour() {}

  /** A 100-step arithmetic loop: the light-compute task of zero-pool's benchmarks. */
  static long light(int seed) {
    long x = seed;
    for (int i = 0; i < 100; i++) {
      x = x * 31 + i;
    }
    return x;
  }

  public static void main(String[] args) throws Exception {
    int workers = Runtime.getRuntime().availableProcessors();
    System.out.println("ZeroPool tour, " + workers + " workers");
    try (ZeroPool pool = ZeroPool.create(workers)) {
      SingleTask.run(pool);
      UniformBatch.run(pool);
      IndependentSubmissions.run(pool);
      IndexedWrites.run(pool);
      MixedBatch.run(pool);
      PrebuiltBatch.run(pool);
      ExecutorInterop.run(pool);
      Cancellation.run(pool);
      Priorities.run(pool);
      ThrowingTasks.run(pool);
      SuspendingSubmission.run(pool); // the Kotlin samples: suspend, dispatcher, DSL, Flow
      PoolDispatcher.run(pool);
      BatchDsl.run(pool);
      ParallelFlow.run(pool);
      ParallelLoops.run(pool); // fork-join and parallel iteration (micropool's system)
      RecursiveJoin.run(pool);
      SpawnedTasks.run(pool);
      ScopeRule.run(pool);
      ForkJoinKt.run(pool);
      CoroutineContextElements.run(pool); // a ThreadContextElement (MDC-style) across worker hops
      System.out.println(pool);
      compareWithForkJoinPool(pool, workers);
    }
    Metrics.run(workers); // these build and end pools of their own
    MicrometerMetrics.run(workers); // the same figures in a Micrometer registry
    GracefulShutdown.run(workers);
    ContextPropagation.run(workers); // a pool with a TaskDecorator that carries a request id
    PinnedRandoms.run(workers); // pinned items (messaging_thread_pool's examples), each with a pool of its own
    PinnedChatRoom.run(workers);
    PinnedUserSession.run(workers);
    PinnedTwoLevel.run(workers);
    PinnedUnitTesting.run(workers);
    PinnedItems.run(workers);
  }

  private static void compareWithForkJoinPool(ZeroPool pool, int workers) {
    long[] results = new long[TASKS];
    Slot[] slots = new Slot[TASKS];
    for (int i = 0; i < TASKS; i++) {
      slots[i] = new Slot(i, results);
    }
    TaskBatch prebuilt = TaskBatch.builder().addAll(LIGHT, slots).build();
    ForkJoinPool fjp = new ForkJoinPool(workers);
    try {
      Runnable zeroPoolBatch = () -> pool.submitBatch(prebuilt).join();
      Runnable forkJoinStream = () -> fjp.submit(
          () -> IntStream.range(0, TASKS).parallel().forEach(i -> results[i] = light(i))).join();
      double zp = 0;
      double fj = 0;
      for (int pass = 0; pass < 2; pass++) { // the first pass warms both up
        zp = medianMicros(zeroPoolBatch);
        fj = medianMicros(forkJoinStream);
      }
      System.out.printf("%n1000 light tasks per batch, median of %d batches (plain timing, not JMH):%n", ROUNDS);
      System.out.printf("  ZeroPool pre-built batch      %8.1f us%n", zp);
      System.out.printf("  ForkJoinPool parallel stream  %8.1f us%n", fj);
      System.out.printf("  ZeroPool is %.2fx %s%n", Math.max(zp, fj) / Math.min(zp, fj), zp <= fj ? "faster" : "slower");
    } finally {
      fjp.shutdown();
    }
  }

  private static double medianMicros(Runnable batch) {
    long[] nanos = new long[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      long start = System.nanoTime();
      batch.run();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return nanos[ROUNDS / 2] / 1000.0;
  }
}
