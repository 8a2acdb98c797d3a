package dev.zeropool;

import java.util.Objects;

/**
 * How a submission is scheduled: its {@link Priority} tier and an optional {@link CancellationToken}.
 * Immutable; keep frequently used options in {@code static final} fields so submitting with them
 * allocates nothing.
 *
 * <pre>{@code
 * static final TaskOptions LOW = TaskOptions.BACKGROUND;
 * pool.submitTask(REINDEX, shard, LOW);
 * pool.submitBatch(FETCH, urls, TaskOptions.DEFAULT.cancelledBy(token));
 * }</pre>
 */
public final class TaskOptions {

  /** Foreground, not cancellable: what the overloads without options use. */
  public static final TaskOptions DEFAULT = new TaskOptions(Priority.FOREGROUND, null);
  /** Background, not cancellable. */
  public static final TaskOptions BACKGROUND = new TaskOptions(Priority.BACKGROUND, null);

  private final Priority priority;
  private final CancellationToken token;

  private TaskOptions(Priority priority, CancellationToken token) {
    this.priority = priority;
    this.token = token;
  }

  /**
   * {@return these options with the given tier}
   *
   * @throws NullPointerException if {@code priority} is null
   */
  public TaskOptions withPriority(Priority priority) {
    return new TaskOptions(Objects.requireNonNull(priority, "priority"), token);
  }

  /**
   * {@return these options with tasks skipped once {@code token} is cancelled}
   *
   * @throws NullPointerException if {@code token} is null
   */
  public TaskOptions cancelledBy(CancellationToken token) {
    return new TaskOptions(priority, Objects.requireNonNull(token, "token"));
  }

  /** {@return the scheduling tier} */
  public Priority priority() {
    return priority;
  }

  /** {@return the cancellation token, or null if none} */
  public CancellationToken token() {
    return token;
  }

  @Override
  public String toString() {
    return "TaskOptions[" + priority + (token != null ? ", " + token : "") + "]";
  }
}
