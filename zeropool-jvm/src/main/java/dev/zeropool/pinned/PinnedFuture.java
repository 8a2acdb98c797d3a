package dev.zeropool.pinned;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of one message: a plain {@link CompletableFuture} that knows which thread will complete
 * it, so that blocking on it <em>from that very thread</em> fails at once instead of deadlocking.
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

  private final Thread owner;

  PinnedFuture(Thread owner) {
    this.owner = owner;
  }

  @Override
  public T join() {
    refuseSelfWait();
    return super.join();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    refuseSelfWait();
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    refuseSelfWait();
    return super.get(timeout, unit);
  }

  private void refuseSelfWait() {
    if (!isDone() && Thread.currentThread() == owner) {
      throw new IllegalStateException("waiting on a message to an item on this same pinned thread ("
          + owner.getName() + ") would deadlock: the thread runs one message at a time; compose with "
          + "thenApply/thenAccept instead, or route the two items to different threads");
    }
  }
}
