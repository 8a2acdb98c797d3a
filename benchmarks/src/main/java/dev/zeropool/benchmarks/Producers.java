package dev.zeropool.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of producer threads that run one job at once: the calling (benchmark) thread is producer 0
 * and {@code count - 1} helper threads are the others. {@link #run} returns when every producer has
 * finished its part, so one benchmark operation is "{@code count} threads submit at the same time".
 *
 * <p>Invariant: each helper runs every published job exactly once. The caller writes {@code job} and
 * {@code remaining} before it bumps the volatile {@code generation}, so a helper that sees a new generation
 * also sees that generation's job; the caller does not publish the next job before {@code remaining} has
 * dropped to zero, i.e. before every helper has finished (and stopped reading) the current one. The
 * coordination costs the same for every pool under test, so it cancels out of the ratios.
 *
 * <pre>
 * try (Producers producers = new Producers(4)) {
 *   producers.run(p -&gt; pool.submitBatch(FN, slices[p]).join());
 * }
 * </pre>
 */
final class Producers implements AutoCloseable {

  /** One producer's part of a job. */
  @FunctionalInterface
  interface Part {
    /** Runs the part of producer {@code producer} (0 = the calling thread). */
    void run(int producer) throws Exception;
  }

  private final Thread[] helpers;
  private final AtomicInteger remaining = new AtomicInteger();
  private volatile Part job;
  private volatile long generation;
  private volatile Thread caller;
  private volatile Throwable failure;
  private volatile boolean closed;

  /** Starts {@code count - 1} helper threads (daemons, so a failed benchmark cannot hang its JVM). */
  Producers(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    helpers = new Thread[count - 1];
    for (int i = 0; i < helpers.length; i++) {
      int producer = i + 1;
      helpers[i] = new Thread(() -> helperLoop(producer), "producer-" + producer);
      helpers[i].setDaemon(true);
      helpers[i].start();
    }
  }

  /** {@return the number of producers, the calling thread included} */
  int count() {
    return helpers.length + 1;
  }

  /** Runs {@code part} on every producer at once and returns when all have finished; rethrows a failure. */
  void run(Part part) {
    if (helpers.length == 0) {
      runOwnPart(part);
      return;
    }
    failure = null;
    caller = Thread.currentThread();
    remaining.set(helpers.length);
    job = part;
    generation++; // the only writer: publishes job and remaining to the helpers
    for (Thread helper : helpers) {
      LockSupport.unpark(helper);
    }
    try {
      runOwnPart(part);
    } finally {
      while (remaining.get() != 0) {
        LockSupport.park(this);
      }
    }
    Throwable t = failure;
    if (t != null) {
      throw new IllegalStateException("a producer failed", t);
    }
  }

  private static void runOwnPart(Part part) {
    try {
      part.run(0);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("producer 0 failed", e);
    }
  }

  private void helperLoop(int producer) {
    long seen = 0;
    while (true) {
      long current;
      while ((current = generation) == seen && !closed) {
        LockSupport.park(this);
      }
      if (closed) {
        return;
      }
      seen = current;
      try {
        job.run(producer);
      } catch (Throwable t) {
        failure = t;
      }
      if (remaining.decrementAndGet() == 0) {
        LockSupport.unpark(caller);
      }
    }
  }

  /** Stops the helper threads and waits for them. */
  @Override
  public void close() {
    closed = true;
    for (Thread helper : helpers) {
      LockSupport.unpark(helper);
    }
    for (Thread helper : helpers) {
      try {
        helper.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping " + helper.getName(), e);
      }
      if (helper.isAlive()) {
        throw new IllegalStateException(helper.getName() + " did not stop within 10 s");
      }
    }
  }
}
