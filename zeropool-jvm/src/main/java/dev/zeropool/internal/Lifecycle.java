package dev.zeropool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool's run state and its termination.
 *
 * <h2>States</h2>
 * {@code RUNNING -> SHUTDOWN -> STOP -> TERMINATED}, each step a CAS that only moves forward.
 * {@code SHUTDOWN}: the queues refuse new work, accepted work still runs. {@code STOP}: no task starts
 * any more; what has not started is handed back (see {@link TaskRunner}). {@code TERMINATED}: every
 * thread that runs the pool's tasks (workers and temporary compensating workers) has ended.
 *
 * <h2>Invariant</h2>
 * {@code liveThreads} counts the threads that may still run a task of this pool; the pool is
 * terminated exactly when it reaches zero after a shutdown. A worker whose thread dies is replaced
 * (same count), so the pool keeps its size; a compensating worker counts itself in before it starts.
 */
final class Lifecycle {

  static final int RUNNING = 0;
  static final int SHUTDOWN = 1;
  static final int STOP = 2;
  static final int TERMINATED = 3;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Lifecycle.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final AtomicInteger liveThreads;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile int state;
  private volatile String stopReason = "pool stopped before this task started";

  Lifecycle(int workers) {
    this.liveThreads = new AtomicInteger(workers);
  }

  /**
   * Moves to {@code target} unless the state is already there or beyond. A failed CAS means another
   * thread moved the state: read it again at once (there is nothing to wait for).
   */
  void advanceTo(int target) {
    int s;
    while ((s = state) < target && !STATE.compareAndSet(this, s, target)) {
      // retry
    }
  }

  /** Moves to {@code STOP}, remembering why for the futures of tasks that will not start. */
  void stop(String reason) {
    if (state < STOP) {
      stopReason = reason;
    }
    advanceTo(STOP);
  }

  boolean isShutdown() {
    return state != RUNNING;
  }

  boolean isStopping() {
    return state >= STOP;
  }

  boolean isTerminated() {
    return state == TERMINATED;
  }

  String stopReason() {
    return stopReason;
  }

  /** Counts in a thread that will run tasks; false once the pool is terminated (the thread must not start). */
  boolean threadStarting() {
    for (;;) {
      int live = liveThreads.get();
      if (live == 0) {
        return false;
      }
      if (liveThreads.compareAndSet(live, live + 1)) {
        return true;
      }
    }
  }

  /** Counts out a thread that has ended for good; the last one terminates the pool. */
  void threadEnded() {
    if (liveThreads.decrementAndGet() == 0) {
      advanceTo(TERMINATED);
      terminated.countDown();
    }
  }

  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  String stateName() {
    switch (state) {
      case RUNNING: return "Running";
      case SHUTDOWN: return "Shutting down";
      case STOP: return "Stopping";
      default: return "Terminated";
    }
  }
}
