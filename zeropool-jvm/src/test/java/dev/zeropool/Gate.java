package dev.zeropool;

import java.util.concurrent.CountDownLatch;

/**
 * Holds a worker inside a task until {@link #release()}: tests use it to queue work behind a busy
 * worker and then look at the queue. Release it in a {@code finally}, so that a failed assertion
 * fails the test at once instead of leaving {@code close()} waiting for the held worker.
 */
final class Gate {

  /** The holding task; it also ends when its thread is interrupted (by {@code shutdownNow}). */
  static final TaskFn<Gate> HOLD = gate -> {
    gate.started.countDown();
    try {
      gate.release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };

  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** Submits the holding task and waits until a worker runs it; its run then holds nothing else. */
  static Gate hold(ZeroPool pool) throws InterruptedException {
    Gate gate = new Gate();
    gate.run(pool, HOLD);
    return gate;
  }

  /** Submits {@code fn} (which must run {@link #HOLD} on this gate) and waits until a worker is inside it. */
  TaskFuture run(ZeroPool pool, TaskFn<Gate> fn) throws InterruptedException {
    TaskFuture future = pool.submitTask(fn, this);
    Waits.open(started, "the gate task never started");
    return future;
  }

  void release() {
    release.countDown();
  }
}
