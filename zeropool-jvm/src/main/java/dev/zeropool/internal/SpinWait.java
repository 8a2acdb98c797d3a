package dev.zeropool.internal;

import java.util.concurrent.Future;

/**
 * A bounded spin before a thread blocks on a future. Why: the work a waiter is left waiting for
 * usually runs on another thread and ends within microseconds, while parking costs an OS wake-up on
 * both sides (the completer's unpark, then the waiter's way back to a core), 2–30 µs each on small
 * machines. The spin is bounded by the pool's spin window, so a long wait still parks.
 *
 * <p>Between looks the waiter calls {@link Thread#yield()}, not {@link Thread#onSpinWait()}: it never
 * runs the work it waits for, and on a machine with no core to spare the thread that does (a worker
 * running the waited-for task, or one that must be woken for it) would otherwise wait for the OS to
 * preempt the spinner, which takes milliseconds. With cores to spare, {@code yield} returns at once.
 *
 * <pre>{@code
 * if (!SpinWait.untilDone(future, spinNanos)) {
 *   park(); // the window passed: block as before
 * }
 * }</pre>
 */
public final class SpinWait {

  private SpinWait() {}

  /**
   * Spins, yielding the core between looks, until {@code future} is done or {@code nanos} have passed.
   *
   * @return whether the future is done
   */
  public static boolean untilDone(Future<?> future, long nanos) {
    if (nanos <= 0) {
      return future.isDone();
    }
    long deadline = System.nanoTime() + nanos;
    while (!future.isDone()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.yield();
    }
    return true;
  }
}
