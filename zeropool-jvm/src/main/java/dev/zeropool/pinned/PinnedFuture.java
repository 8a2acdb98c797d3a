package dev.zeropool.pinned;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of one message: a plain {@link CompletableFuture} that knows which thread will complete
 * it, so that blocking on it <em>from that very thread</em> fails at once instead of deadlocking, and
 * so that a blocking wait can first spin for the pool's spin window (a quick reply is then caught
 * without parking the waiter and paying for its wake-up).
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
    beforeBlocking();
    return super.join();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    beforeBlocking();
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    beforeBlocking();
    return super.get(timeout, unit);
  }

  /** Refuses a wait that can never end, then spins for the spin window while the reply may be close. */
  private void beforeBlocking() {
    if (isDone()) {
      return;
    }
    if (Thread.currentThread() == owner) {
      throw new IllegalStateException("waiting on a message to an item on this same pinned thread ("
          + owner.getName() + ") would deadlock: the thread runs one message at a time; compose with "
          + "thenApply/thenAccept instead, or route the two items to different threads");
    }
    long window = owner.pool.spinWindowNanos;
    if (window > 0) {
      long deadline = System.nanoTime() + window;
      while (!isDone() && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
    }
  }
}
