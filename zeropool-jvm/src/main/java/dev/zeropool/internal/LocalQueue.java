package dev.zeropool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker's local FIFO of {@code Runnable}s it queued itself: tasks it gives way to
 * ({@code executeQueued}, a coroutine's {@code yield()}) and tasks pushed out of its run-next slot by a
 * newer one. Only the owner adds and {@link #poll polls}; idle workers {@link #steal} from the head.
 *
 * <p>Why: sending such a task through the shared queue makes every worker that yields CAS the shared
 * queue's tail and head, whose cache lines then bounce between cores on every task (most of the time
 * of a {@code yield()} loop was spent there). Here the owner's add is one volatile store and its take
 * one CAS, on lines nobody else writes while the other workers are busy; idle workers still steal, so
 * nothing waits behind a long task while a worker is free.
 *
 * <h2>Invariant</h2>
 * Indices {@code [consumer, producer)} hold the queued tasks, in order, each in slot
 * {@code index & mask}. A taker reads the slot of index {@code c}, then moves {@code consumer} from
 * {@code c} to {@code c + 1} with a CAS: only one taker wins index {@code c}, and the task it read is
 * the task of index {@code c}, because nobody writes that slot while {@code consumer == c} (the owner
 * adds at index {@code p} only while {@code p - consumer < capacity}, so it reuses the slot of index
 * {@code c} only once {@code consumer > c}, and it clears a slot only below {@code consumer}). The
 * owner writes a slot before it publishes it with a volatile store of {@code producer}. An add
 * refuses only when the ring is full; the owner then moves the older half to the shared queue
 * ({@link #takeOlderHalf}) and adds again.
 *
 * <p>Thieves do not write slots (a thief's late clear could wipe a task the owner has since added to
 * the same slot), so the owner clears what they took, lazily: the slots of indices below
 * {@code consumer} that it has not cleared yet, at its next poll. Until then a stolen task stays
 * reachable from the ring, at most {@link #CAPACITY} of them per worker.
 *
 * <p>The volatile store of {@code producer} also orders the add before the owner's following read of
 * the pool's parking state, which the no-lost-wake-up argument of {@link Parking} needs.
 */
final class LocalQueue {

  /** Slots per worker (a power of two); kotlinx's scheduler uses 128 too. */
  static final int CAPACITY = 128;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Runnable[].class);
  private static final VarHandle CONSUMER;

  static {
    try {
      CONSUMER = MethodHandles.lookup().findVarHandle(LocalQueue.class, "consumer", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Runnable[] slots;
  private final int mask;
  /** Next index to add at; written by the owner only. */
  private volatile long producer;
  /** Next index to take; moved by a CAS of the owner or a thief. */
  private volatile long consumer;
  /** The owner's own: slots of indices below this one have been cleared (or reused). */
  private long cleared;

  LocalQueue() {
    this(CAPACITY);
  }

  /** For tests: a ring of {@code capacity} slots, a power of two. */
  LocalQueue(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    slots = new Runnable[capacity];
    mask = capacity - 1;
  }

  /**
   * Owner only: appends {@code task}.
   *
   * @return false, with nothing added, when the ring is full
   */
  boolean offer(Runnable task) {
    long p = producer;
    if (p - consumer > mask) {
      return false;
    }
    SLOT.setOpaque(slots, (int) p & mask, task);
    producer = p + 1; // volatile: publishes the slot, and orders the add before the parking-state read
    return true;
  }

  /** Owner only: takes the oldest task, or returns null when there is none. */
  Runnable poll() {
    Runnable task = steal();
    clearTakenBelow(consumer); // every index below it is taken: ours, and any thieves took
    return task;
  }

  /** Any thread: takes the oldest task, or returns null when there is none. */
  Runnable steal() {
    for (;;) {
      long c = consumer;
      if (c - producer >= 0) {
        return null;
      }
      Runnable task = (Runnable) SLOT.getAcquire(slots, (int) c & mask);
      if (CONSUMER.compareAndSet(this, c, c + 1)) {
        return task;
      }
    }
  }

  /**
   * Owner only, for a full ring: takes the older half of the queued tasks (at least one when any, at
   * most {@code into.length}) into {@code into}, oldest first, with one CAS. The owner moves them to
   * the shared queue in one claim, so that a worker that keeps queueing pays one shared CAS per half
   * ring instead of one per task (Go's scheduler spills half its local run queue the same way).
   *
   * @return how many tasks were taken into {@code into[0..n)}
   */
  int takeOlderHalf(Object[] into) {
    for (;;) {
      long c = consumer;
      long queued = producer - c;
      if (queued <= 0) {
        return 0;
      }
      int n = (int) Math.min(into.length, Math.max(1, queued / 2));
      for (int j = 0; j < n; j++) {
        // Stable while consumer == c: the owner (this thread) writes a slot only once its index is taken.
        into[j] = SLOT.getAcquire(slots, (int) (c + j) & mask);
      }
      if (CONSUMER.compareAndSet(this, c, c + n)) {
        clearTakenBelow(c + n);
        return n;
      }
    }
  }

  /**
   * Owner only: clears the slots of the taken indices below {@code upTo} that still hold their task.
   * Those below {@code producer - capacity} were reused by later adds and must not be touched.
   */
  private void clearTakenBelow(long upTo) {
    for (long i = Math.max(cleared, producer - slots.length); i < upTo; i++) {
      SLOT.setOpaque(slots, (int) i & mask, null);
    }
    cleared = upTo;
  }

  boolean isEmpty() {
    return consumer - producer >= 0;
  }

  /** {@return the number of queued tasks; a snapshot that may be stale under concurrent use} */
  int size() {
    long c = consumer;
    return (int) Math.max(0, producer - c);
  }
}
