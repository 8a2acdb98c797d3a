package dev.zeropool.samples;

import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.ZeroPool;

/** One task: a static handle plus a parameter object that also receives the result. */
public final class SingleTask {

  /** Input and output of one computation. */
  static final class SumParams {
    final long[] values;
    long sum;

    SumParams(long... values) {
      this.values = values;
    }
  }

  /** The handle lives in a static field: submitting it allocates nothing for the function. */
  static final TaskFn<SumParams> SUM = p -> {
    long s = 0;
    for (long v : p.values) {
      s += v;
    }
    p.sum = s;
  };

  private SingleTask() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) {
    SumParams params = new SumParams(1, 2, 3, 4, 5);
    TaskFuture future = pool.submitTask(SUM, params);
    future.join(); // after join, the task's write to params.sum is visible here
    System.out.println("single task: sum = " + params.sum);
  }

  public static void main(String[] args) {
    try (ZeroPool pool = ZeroPool.create()) {
      run(pool);
    }
  }
}
