package dev.zeropool;

/**
 * A cancellation signal shared by any number of submissions. Once cancelled, every task of those
 * submissions that has not started yet is skipped (it never runs) and its future fails with a
 * {@link java.util.concurrent.CancellationException}; tasks already running finish normally.
 *
 * <pre>{@code
 * CancellationToken request = new CancellationToken();
 * TaskOptions options = TaskOptions.DEFAULT.cancelledBy(request);
 * TaskFuture a = pool.submitBatch(RENDER, tiles, options);
 * TaskFuture b = pool.submitBatch(ENCODE, frames, options);
 * request.cancel();   // client went away: skip whatever has not started in a and b
 * }</pre>
 *
 * <p>Workers check the token right before they start each task (as wpool checks a job's
 * context), so a cancel is seen by every task that starts after it.
 */
public final class CancellationToken {

  private volatile boolean cancelled;

  /** Creates a token that is not cancelled. */
  public CancellationToken() {}

  /** Cancels; idempotent. Tasks that have not started will be skipped. */
  public void cancel() {
    cancelled = true;
  }

  /** {@return true once {@link #cancel()} was called} */
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public String toString() {
    return cancelled ? "CancellationToken[cancelled]" : "CancellationToken[active]";
  }
}
