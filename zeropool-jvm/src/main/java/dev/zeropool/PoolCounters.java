package dev.zeropool;

import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link PoolMetrics} hook that counts everything with {@link LongAdder}s (no contended writes).
 * {@link ZeroPool#stats()} reads it when installed.
 *
 * <pre>{@code
 * PoolCounters counters = new PoolCounters();
 * try (ZeroPool pool = ZeroPool.builder().metrics(counters).build()) {
 *   pool.submitBatch(SQUARE, cells).join();
 *   long done = counters.completed();
 * }
 * }</pre>
 */
public final class PoolCounters implements PoolMetrics {

  private final LongAdder submitted = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder wakeUps = new LongAdder();

  /** Creates counters at zero. */
  public PoolCounters() {}

  @Override
  public void tasksSubmitted(int count) {
    submitted.add(count);
  }

  @Override
  public void tasksCompleted(int count) {
    completed.add(count);
  }

  @Override
  public void taskFailed() {
    failed.increment();
  }

  @Override
  public void tasksCancelled(int count) {
    cancelled.add(count);
  }

  @Override
  public void tasksRejected(int count) {
    rejected.add(count);
  }

  @Override
  public void workerWokeUp() {
    wakeUps.increment();
  }

  /** {@return tasks accepted} */
  public long submitted() {
    return submitted.sum();
  }

  /** {@return tasks that ran and returned normally} */
  public long completed() {
    return completed.sum();
  }

  /** {@return tasks that threw} */
  public long failed() {
    return failed.sum();
  }

  /** {@return tasks skipped by cancellation or handed back by shutdownNow} */
  public long cancelled() {
    return cancelled.sum();
  }

  /** {@return tasks refused after shutdown} */
  public long rejected() {
    return rejected.sum();
  }

  /** {@return idle workers unparked} */
  public long wakeUps() {
    return wakeUps.sum();
  }

  @Override
  public String toString() {
    return "PoolCounters[submitted=" + submitted() + ", completed=" + completed() + ", failed=" + failed()
        + ", cancelled=" + cancelled() + ", rejected=" + rejected() + ", wakeUps=" + wakeUps() + "]";
  }
}
