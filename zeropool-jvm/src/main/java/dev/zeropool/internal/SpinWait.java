package dev.zeropool.internal;

import java.util.concurrent.Future;

/**
 * A bounded spin before a thread blocks on a future. Why: the work a waiter is left waiting for
 * usually runs on another thread and ends within microseconds, while parking costs an OS wake-up on
 * both sides (the completer's unpark, then the waiter's way back to a core), 2–30 µs each on small
 * machines. The spin is bounded by the pool's spin window, so a long wait still parks.
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
   * Spins with {@link Thread#onSpinWait()} until {@code future} is done or {@code nanos} have passed.
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
      Thread.onSpinWait();
    }
    return true;
  }
}
