package dev.zeropool.benchmarks;

import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.ZeroPool;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
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
 * Recursive divide and conquer: fib(30) with a sequential cutoff below 15 (about 2 000 joins per
 * operation) and a quicksort of 1 000 000 ints (sequential below 8 192 elements), with
 * {@link ZeroPool#join} (and, for fib, {@code submitTask} + {@code join} from the workers, the
 * {@code RecursiveTask} shape) against {@link RecursiveTask}/{@link RecursiveAction} on a dedicated
 * {@link ForkJoinPool} of the same size and the same code run sequentially. The quicksort copies the
 * unsorted input into a work array first (every variant pays that copy). The fork-then-join pair
 * measures the machinery alone: 1000 empty subtasks, each forked from a worker and joined at once.
 * Lower is better.
 *
 * <p>Latest results, a short run (1 fork, 2 × 1 s warm-up, 3 × 1 s measurement, GC profiler) on a
 * shared, noisy 2-core VM, workers = 2 (errors in docs/benchmarks.md):
 * <pre>
 * | benchmark | µs/op | alloc (B/op) |
 * |---|---:|---:|
 * | fibSequential | 2,733 | 0 |
 * | fibZeroPoolJoin | 1,824 | 475,285 |
 * | fibForkJoinRecursiveTask | 1,852 | 184,882 |
 * | quicksortSequential | 73,594 | 0 |
 * | quicksortZeroPoolJoin | 45,863 | 36,791 |
 * | quicksortForkJoinRecursiveAction | 41,416 | 15,778 |
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForkJoinRecursionBenchmark {

  static final int FIB_N = 30;
  static final int FIB_CUTOFF = 15;
  static final int SORT_SIZE = 1_000_000;
  static final int SORT_CUTOFF = 8_192;

  /** Worker threads of both pools; 0 = one per available processor. */
  @Param({"0"})
  public int workers;

  private ZeroPool pool;
  private ForkJoinPool forkJoinPool;
  private int[] unsorted;
  private int[] work;

  @Setup
  public void setUp() {
    int threads = Pools.resolveWorkers(workers);
    pool = ZeroPool.create(threads);
    forkJoinPool = new ForkJoinPool(threads);
    unsorted = new SplittableRandom(7).ints(SORT_SIZE).toArray();
    work = new int[SORT_SIZE];
  }

  @TearDown
  public void tearDown() {
    Pools.close(pool);
    Pools.close(forkJoinPool);
  }

  static long fibSequential(int n) {
    return n < 2 ? n : fibSequential(n - 1) + fibSequential(n - 2);
  }

  static long fibZeroPool(ZeroPool pool, int n) {
    if (n < FIB_CUTOFF) {
      return fibSequential(n);
    }
    return pool.join(() -> fibZeroPool(pool, n - 1), () -> fibZeroPool(pool, n - 2), Long::sum);
  }

  /** The textbook {@code RecursiveTask}: fork one side, compute the other, join. */
  static final class Fib extends RecursiveTask<Long> {
    private final int n;

    Fib(int n) {
      this.n = n;
    }

    @Override
    protected Long compute() {
      if (n < FIB_CUTOFF) {
        return fibSequential(n);
      }
      Fib left = new Fib(n - 1);
      left.fork();
      return new Fib(n - 2).compute() + left.join();
    }
  }

  /** One part of the {@code submitTask} variant: its argument, its pool and, once run, its value. */
  static final class FibPart {
    final ZeroPool pool;
    final int n;
    long value;

    FibPart(ZeroPool pool, int n) {
      this.pool = pool;
      this.n = n;
    }
  }

  static final TaskFn<FibPart> FIB_PART = ForkJoinRecursionBenchmark::fibSubmitTask;

  /** The {@code RecursiveTask} shape with the task-handle API: submit one side, compute the other, join. */
  static void fibSubmitTask(FibPart part) {
    if (part.n < FIB_CUTOFF) {
      part.value = fibSequential(part.n);
      return;
    }
    FibPart left = new FibPart(part.pool, part.n - 1);
    TaskFuture forked = part.pool.submitTask(FIB_PART, left);
    FibPart right = new FibPart(part.pool, part.n - 2);
    fibSubmitTask(right);
    forked.join();
    part.value = left.value + right.value;
  }

  @Benchmark
  public long fibSequential() {
    return fibSequential(FIB_N);
  }

  @Benchmark
  public long fibZeroPoolJoin() {
    return fibZeroPool(pool, FIB_N);
  }

  /**
   * The root runs on a worker, as {@code ForkJoinPool.invoke} runs it: a timed wait from outside the
   * pool only parks, where {@code join()} would run the root on the calling thread, whose forks would
   * then go through the shared queue.
   */
  @Benchmark
  public long fibZeroPoolSubmitTask() throws Exception {
    FibPart root = new FibPart(pool, FIB_N);
    pool.submitTask(FIB_PART, root).await(1, TimeUnit.MINUTES);
    return root.value;
  }

  @Benchmark
  public long fibForkJoinRecursiveTask() {
    return forkJoinPool.invoke(new Fib(FIB_N));
  }

  /** Forks handed out per operation by the fork-then-join benchmarks. */
  static final int FORKS = 1_000;

  static final TaskFn<Object> NOTHING = ignored -> { };

  /** From a worker, {@link #FORKS} times: fork an empty task, then join it at once. */
  static final TaskFn<ZeroPool> FORK_THEN_JOIN = pool -> {
    for (int i = 0; i < FORKS; i++) {
      pool.submitTask(NOTHING, null).join();
    }
  };

  /**
   * The cost of the fork-join machinery itself: a task on a worker forks an empty subtask and joins it,
   * 1000 times, so each join finds its subtask still waiting where the fork left it.
   */
  /** The root runs on a worker (see {@link #fibZeroPoolSubmitTask}). */
  @Benchmark
  public boolean forkThenJoinZeroPool() throws Exception {
    return pool.submitTask(FORK_THEN_JOIN, pool).await(1, TimeUnit.MINUTES);
  }

  static final class Nothing extends RecursiveAction {
    @Override
    protected void compute() {}
  }

  static final class ForkThenJoin extends RecursiveAction {
    @Override
    protected void compute() {
      for (int i = 0; i < FORKS; i++) {
        new Nothing().fork().join();
      }
    }
  }

  @Benchmark
  public void forkThenJoinForkJoinPool() {
    forkJoinPool.invoke(new ForkThenJoin());
  }

  static int partition(int[] a, int lo, int hi) {
    int mid = (lo + hi) >>> 1;
    swap(a, mid, hi - 1);
    int pivot = a[hi - 1];
    int store = lo;
    for (int i = lo; i < hi - 1; i++) {
      if (a[i] < pivot) {
        swap(a, i, store++);
      }
    }
    swap(a, store, hi - 1);
    return store;
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  static void sortSequential(int[] a, int lo, int hi) {
    if (hi - lo < SORT_CUTOFF) {
      Arrays.sort(a, lo, hi);
      return;
    }
    int p = partition(a, lo, hi);
    sortSequential(a, lo, p);
    sortSequential(a, p + 1, hi);
  }

  static void sortZeroPool(ZeroPool pool, int[] a, int lo, int hi) {
    if (hi - lo < SORT_CUTOFF) {
      Arrays.sort(a, lo, hi);
      return;
    }
    int p = partition(a, lo, hi);
    pool.join(() -> sortZeroPool(pool, a, lo, p), () -> sortZeroPool(pool, a, p + 1, hi));
  }

  static final class Sort extends RecursiveAction {
    private final int[] a;
    private final int lo;
    private final int hi;

    Sort(int[] a, int lo, int hi) {
      this.a = a;
      this.lo = lo;
      this.hi = hi;
    }

    @Override
    protected void compute() {
      if (hi - lo < SORT_CUTOFF) {
        Arrays.sort(a, lo, hi);
        return;
      }
      int p = partition(a, lo, hi);
      invokeAll(new Sort(a, lo, p), new Sort(a, p + 1, hi));
    }
  }

  @Benchmark
  public int[] quicksortSequential() {
    System.arraycopy(unsorted, 0, work, 0, SORT_SIZE);
    sortSequential(work, 0, SORT_SIZE);
    return work;
  }

  @Benchmark
  public int[] quicksortZeroPoolJoin() {
    System.arraycopy(unsorted, 0, work, 0, SORT_SIZE);
    sortZeroPool(pool, work, 0, SORT_SIZE);
    return work;
  }

  @Benchmark
  public int[] quicksortForkJoinRecursiveAction() {
    System.arraycopy(unsorted, 0, work, 0, SORT_SIZE);
    forkJoinPool.invoke(new Sort(work, 0, SORT_SIZE));
    return work;
  }
}
