package dev.zeropool.internal;

/**
 * A run of tasks claimed from a {@link TaskQueue}: the consumer reads them in place, in the ring,
 * then releases the slots. One per consumer thread (or per nesting level of a helping waiter),
 * reused for every run, so taking work allocates nothing.
 *
 * <p>Invariant: between {@link TaskQueue#poll} and the release of a slot, the slots
 * {@code [first, first + count)} of {@code segment} belong to this claim alone: no producer can reuse
 * them (their sequence numbers still say "published") and no other consumer can take them (the head
 * has moved past them).
 *
 * <p>A claim also remembers, for the thread that uses it, which submission's task it is running
 * ({@link #running}) and the claim of the enclosing nesting level ({@link #outer}), so that a wait can
 * tell that it would wait for a task on its own thread's stack (see {@link Helping}).
 */
public final class RunClaim {

  private QueueSegment segment;
  private long first;
  private int count;
  /** The completion whose task this claim is running now, or null; written only by its thread. */
  Completion running;
  /** The claim of the nesting level below this one on the same thread, or null. */
  RunClaim outer;

  int set(QueueSegment segment, long first, int count) {
    this.segment = segment;
    this.first = first;
    this.count = count;
    return count;
  }

  /** {@return the number of claimed tasks} */
  public int count() {
    return count;
  }

  /** {@return the handle of claimed task {@code i}} */
  public Object fn(int i) {
    return segment.fn(first + i);
  }

  /** {@return the parameter object of claimed task {@code i}} */
  public Object param(int i) {
    return segment.param(first + i);
  }

  /** {@return the completion of claimed task {@code i}} */
  public Object completion(int i) {
    return segment.completion(first + i);
  }

  /** Frees the slot of claimed task {@code i} for producers, once the task is done with it. */
  public void release(int i) {
    segment.release(first + i, 1);
  }
}
