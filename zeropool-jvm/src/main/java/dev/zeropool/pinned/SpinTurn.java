package dev.zeropool.pinned;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The right to spin, shared by the threads of one {@link PinnedPool}: at most one pinned thread spins
 * at a time, and it stops while another thread of the pool has been woken and is not running yet.
 *
 * <h2>Invariant</h2>
 * {@link #taken} is true exactly while one pinned thread holds the turn (between a successful
 * {@link #tryTake()} and its {@link #release()}); only the holder spins. {@link #waking} counts the
 * pool's threads that a sender has unparked and that have not yet run since (it may read one too low
 * for an instant, while a sender is between its unpark and its count: harmless, see below).
 *
 * <h2>Why one spinner, and why it yields to a woken thread</h2>
 * A spinner saves the OS wake-up (2–30 µs) of the next message only if it has a core to itself. With
 * one spinner per pool, a waiting sender (see {@link PinnedFuture}) and the thread running a message
 * fit on two cores; a spinner per thread would not, and would slow the very thread that has work. A
 * thread that has been woken has messages and needs a core now: the spinner, which has none, gives its
 * core up and parks. This is the core scheduler's "one spinner" rule
 * ({@code dev.zeropool.internal.Parking}) applied to threads that cannot take each other's work.
 *
 * <p>Neither field takes part in the no-lost-wake-up protocol of {@link PinnedThread}: a spinner
 * re-checks its inbox through that protocol before it parks, whatever ended its spin.
 */
final class SpinTurn {

  private static final VarHandle TAKEN;
  private static final VarHandle WAKING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAKEN = lookup.findVarHandle(SpinTurn.class, "taken", boolean.class);
      WAKING = lookup.findVarHandle(SpinTurn.class, "waking", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile boolean taken;
  private volatile int waking;

  /** {@return true if the caller now holds the turn and may spin; it must {@link #release()} it} */
  boolean tryTake() {
    return !taken && TAKEN.compareAndSet(this, false, true);
  }

  /** Gives the turn back; only its holder calls this. */
  void release() {
    taken = false;
  }

  /** {@return true while a woken thread of the pool waits to run: the spinner should give up its core} */
  boolean someoneWaking() {
    return waking > 0;
  }

  /** A sender has unparked a thread of the pool. */
  void woke() {
    WAKING.getAndAdd(this, 1);
  }

  /** A thread that {@link #woke()} counted runs again. */
  void running() {
    WAKING.getAndAdd(this, -1);
  }
}
