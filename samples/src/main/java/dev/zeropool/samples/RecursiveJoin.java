package dev.zeropool.samples;

import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.ZeroPool;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Recursive divide and conquer with {@link ZeroPool#join}: a parallel quicksort and fib. The caller
 * runs one side and helps only with work forked below it; joins nest to any depth without blocking
 * a worker while work of its own scope is waiting. Last, the same fib in the {@code RecursiveTask}
 * shape with task handles: {@code submitTask} one side from a worker, compute the other, join.
 */
public final class RecursiveJoin {

  private static final int SEQUENTIAL_BELOW = 8_192;

  private RecursiveJoin() {}

  /** Sorts {@code a[lo, hi)} in parallel. */
  static void quicksort(ZeroPool pool, int[] a, int lo, int hi) {
    if (hi - lo < SEQUENTIAL_BELOW) {
      Arrays.sort(a, lo, hi);
      return;
    }
    int p = partition(a, lo, hi);
    pool.join(() -> quicksort(pool, a, lo, p), () -> quicksort(pool, a, p + 1, hi));
  }

  /** Lomuto partition around the middle element; returns the pivot's final index. */
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

  static long fib(ZeroPool pool, int n) {
    if (n < 20) {
      return fibSequential(n);
    }
    return pool.join(() -> fib(pool, n - 1), () -> fib(pool, n - 2), Long::sum);
  }

  static long fibSequential(int n) {
    return n < 2 ? n : fibSequential(n - 1) + fibSequential(n - 2);
  }

  /** One part of the task-handle fib: its argument, its pool and, once it ran, its value. */
  static final class FibPart {
    final ZeroPool pool;
    final int n;
    long value;

    FibPart(ZeroPool pool, int n) {
      this.pool = pool;
      this.n = n;
    }
  }

  static final TaskFn<FibPart> FIB_PART = RecursiveJoin::fibBySubtasks;

  /**
   * Forks one side with {@code submitTask}: on a worker the subtask waits in that worker's own slot,
   * where an idle worker may steal it; the join below runs it in place if nobody did.
   */
  static void fibBySubtasks(FibPart part) {
    if (part.n < 20) {
      part.value = fibSequential(part.n);
      return;
    }
    FibPart first = new FibPart(part.pool, part.n - 1);
    TaskFuture forked = part.pool.submitTask(FIB_PART, first);
    FibPart second = new FibPart(part.pool, part.n - 2);
    fibBySubtasks(second);
    forked.join();
    part.value = first.value + second.value;
  }

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) throws InterruptedException {
    int[] data = new SplittableRandom(42).ints(1_000_000).toArray();
    int[] expected = data.clone();
    Arrays.sort(expected);
    quicksort(pool, data, 0, data.length);
    System.out.println("join: parallel quicksort of 1 000 000 ints sorted = " + Arrays.equals(data, expected)
        + "; fib(30) = " + fib(pool, 30));
    FibPart root = new FibPart(pool, 30);
    // A timed wait from outside the pool only parks (a join could run the root right here), so the
    // root, and every fork below it, starts on a worker.
    boolean done = pool.submitTask(FIB_PART, root).await(1, TimeUnit.MINUTES);
    System.out.println("submitTask + join: fib(30) = " + (done ? root.value : "not done in a minute"));
  }
}
