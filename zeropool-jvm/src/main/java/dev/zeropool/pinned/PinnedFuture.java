package dev.zeropool.pinned;

import dev.zeropool.internal.SpinWait;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of one message: a plain {@link CompletableFuture} that knows which thread will complete
 * it, so that blocking on it <em>from that very thread</em> fails at once instead of deadlocking, and
 * so that a blocking wait can first spin for the pool's spin window when the reply is close (a quick
 * reply is then caught without parking the waiter and paying for its wake-up).
 *
 * <h2>Invariant</h2>
 * Only {@link #owner} completes it (or the sender, by cancelling). A thread that blocks in
 * {@link #join()} or {@link #get()} on an unfinished future waits for {@link #owner}; if it is the owner,
 * the wait can never end, because the owner runs one message at a time and is busy waiting. So those
 * calls throw {@link IllegalStateException} there. The check is one field comparison on the slow path
 * (the future is not done yet); dependent stages ({@code thenApply} and so on) are plain
 * {@code CompletableFuture}s without it.
 */
final class PinnedFuture<T> extends CompletableFuture<T> {

  private final PinnedThread<?> owner;

  PinnedFuture(PinnedThread<?> owner) {
    this.owner = owner;
  }

  @Override
  public T join() {
    beforeBlocking(Long.MAX_VALUE);
    return super.join();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    beforeBlocking(Long.MAX_VALUE);
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    long timeoutNanos = unit.toNanos(timeout);
    long start = System.nanoTime();
    beforeBlocking(timeoutNanos); // the spin counts against the timeout
    return super.get(timeoutNanos - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
  }

  /**
   * Refuses a wait that can never end, then spins for the spin window (at most {@code maxSpinNanos})
   * if the reply is close.
   */
  private void beforeBlocking(long maxSpinNanos) {
    if (isDone()) {
      return;
    }
    if (Thread.currentThread() == owner) {
      throw new IllegalStateException("waiting on a message to an item on this same pinned thread ("
          + owner.getName() + ") would deadlock: the thread runs one message at a time; compose with "
          + "thenApply/thenAccept instead, or route the two items to different threads");
    }
    long window = Math.min(owner.pool.spinWindowNanos, maxSpinNanos);
    // Spin only when the reply is close: at most one message waits in the owner's inbox (ours, or the
    // one before it). Behind a longer queue the owner has work for the whole window, and the spin
    // would burn CPU without saving a wake-up.
    if (owner.inbox.depth() <= 1) {
      SpinWait.untilDone(this, window); // yields: the owner may need this very core for our message
    }
  }
}
