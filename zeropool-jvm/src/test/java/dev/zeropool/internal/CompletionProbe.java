package dev.zeropool.internal;

import dev.zeropool.TaskFuture;

/** Lets tests outside this package look at a completion's waiter stack. */
public final class CompletionProbe {

  private CompletionProbe() {}

  /** {@return the live waiters of {@code future}, which must be a pool's own future} */
  public static int waiters(TaskFuture future) {
    return ((Completion) future).waiterCount();
  }
}
