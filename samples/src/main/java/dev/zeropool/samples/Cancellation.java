package dev.zeropool.samples;

import dev.zeropool.CancellationToken;
import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.TaskOptions;
import dev.zeropool.ZeroPool;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Skipping work that has not started: one {@link CancellationToken} shared by two submissions, and
 * {@link TaskFuture#cancel()} for a single one. Tasks already running finish; the rest never run.
 */
public final class Cancellation {

  /** Shared by the tasks of one demonstration: they start, then wait until the caller opens the gate. */
  static final class Gate {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    final AtomicInteger ran = new AtomicInteger();
  }

  static final TaskFn<Gate> WAIT_AT_GATE = g -> {
    g.ran.incrementAndGet();
    g.started.countDown();
    try {
      g.open.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };

  private Cancellation() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) throws InterruptedException {
    // One token, two submissions: a client request that fans out, then goes away.
    CancellationToken request = new CancellationToken();
    TaskOptions options = TaskOptions.DEFAULT.cancelledBy(request);
    Gate gate = new Gate();
    TaskFuture render = pool.submitBatch(WAIT_AT_GATE, filled(gate, 100), options);
    TaskFuture encode = pool.submitBatch(WAIT_AT_GATE, filled(gate, 100), options);
    gate.started.await(); // some tasks are running and blocked at the gate
    request.cancel();
    gate.open.countDown();
    System.out.println("token: " + outcome(render) + " / " + outcome(encode) + "; "
        + gate.ran.get() + " of 200 tasks ran, the rest were skipped");

    // Cancelling one submission through its future.
    Gate second = new Gate();
    TaskFuture batch = pool.submitBatch(WAIT_AT_GATE, filled(second, 100));
    second.started.await();
    boolean cancelled = batch.cancel();
    second.open.countDown();
    System.out.println("future.cancel() = " + cancelled + ": " + outcome(batch) + "; "
        + second.ran.get() + " of 100 tasks ran");
  }

  private static Gate[] filled(Gate gate, int count) {
    Gate[] params = new Gate[count];
    Arrays.fill(params, gate);
    return params;
  }

  /** Joins and says how the submission ended. */
  private static String outcome(TaskFuture future) {
    try {
      future.join();
      return "completed";
    } catch (CancellationException e) {
      return "cancelled: " + e.getMessage();
    } catch (CompletionException e) {
      return "failed with " + e.getCause().getClass().getSimpleName();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    try (ZeroPool pool = ZeroPool.create()) {
      run(pool);
    }
  }
}
