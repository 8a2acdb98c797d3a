package dev.zeropool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * One fixed-size ring of task slots; {@link TaskQueue} links them into an unbounded FIFO.
 *
 * <h2>Invariant</h2>
 * Every slot carries a 64-bit sequence number that says, for the one absolute index {@code i} that
 * may use the slot next, what state it is in:
 * <ul>
 *   <li>{@code seq == i}: free, a producer may claim index {@code i};</li>
 *   <li>{@code seq == i + 1}: published, the task at index {@code i} may be taken by a consumer;</li>
 *   <li>{@code seq == i + capacity}: taken and released, free again for index {@code i + capacity}.</li>
 * </ul>
 * Producers claim runs of free slots with one CAS of {@code tail}, consumers take runs of published
 * slots with one CAS of {@code head}. Both counters only grow, and a slot is written only after its
 * sequence number said it was free for exactly that index, so no stale thread can ever write or read
 * a slot that was reused in the meantime: a reused slot has a larger sequence number, and a stale
 * CAS on {@code head} or {@code tail} fails because the counter has moved on (no ABA, by construction).
 *
 * <h2>Recycling</h2>
 * Slots are recycled in place, lap after lap, so a segment that keeps up with its consumers serves
 * forever with no allocation. When a producer finds the slot it needs still occupied by the previous
 * lap (the ring is full, or too full to take a whole batch), it <em>closes</em> the segment by setting {@link #CLOSED} in {@code tail}
 * and the queue links a larger one behind it. A closed segment never reopens; once drained it is
 * unlinked and left to the garbage collector, which is what makes reclamation safe: no thread can
 * hold a reference to a segment that is being reused, because whole segments are never reused.
 * Nothing ever waits for a segment to come back, so there is no pool of segments that can run dry.
 *
 * <h2>Layout</h2>
 * {@code head} and {@code tail} sit on their own cache lines (the padding chain below) because
 * consumers and producers hammer them from different cores. Task references live in one array,
 * three per slot ({@code fn, param, completion}), sequence numbers in another.
 */
final class QueueSegment extends SegmentTail {

  /** {@code tail} flag: no more claims in this segment; the successor takes new work. */
  static final long CLOSED = 1L << 62;
  /** {@code tail} flag: the whole queue refuses new work (set together with {@link #CLOSED}). */
  static final long SHUT_DOWN = 1L << 61;
  private static final long INDEX_MASK = SHUT_DOWN - 1;

  /** Bits of a claim result that hold the claimed count; the rest holds the first index. */
  static final int COUNT_BITS = 17;
  /** Largest capacity: a whole ring's worth of claim must fit into {@link #COUNT_BITS}. */
  static final int MAX_CAPACITY = 1 << 16;
  /**
   * A segment that has handed out this many indices closes itself, so that {@code index << COUNT_BITS}
   * can never overflow. At a billion claims a second that is a new segment every ~9 hours.
   */
  static final long INDEX_LIMIT = 1L << (62 - COUNT_BITS);

  /** {@link #tryClaim} result: this segment is closed, move to its successor. */
  static final long CLAIM_CLOSED = -1;
  /** {@link #tryClaim} result: the queue is shut down. */
  static final long CLAIM_SHUT_DOWN = -2;

  /** {@link #tryTake} result: closed and fully taken, move to the successor. */
  static final long TAKE_DRAINED = -1;
  /** {@link #tryTake} result: the task at the head belongs to another completion. */
  static final long TAKE_NOT_OURS = -2;

  private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle NEXT;

  static {
    try {
      NEXT = MethodHandles.lookup().findVarHandle(QueueSegment.class, "next", QueueSegment.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final int capacity;
  private final int mask;
  private final long[] sequences;
  private final Object[] slots;
  private volatile QueueSegment next;

  QueueSegment(int capacity) {
    if (Integer.bitCount(capacity) != 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacity must be a power of two <= " + MAX_CAPACITY + ": " + capacity);
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.sequences = new long[capacity];
    this.slots = new Object[3 * capacity];
    for (int i = 0; i < capacity; i++) {
      sequences[i] = i;
    }
  }

  // ---- accessors: lv = volatile load, so = ordered (release) store, cas = compare-and-set ----

  private long lvSeq(long index) {
    return (long) SEQ.getAcquire(sequences, (int) index & mask);
  }

  private void soSeq(long index, long value) {
    SEQ.setRelease(sequences, (int) index & mask, value);
  }

  QueueSegment lvNext() {
    return next;
  }

  boolean casNext(QueueSegment expected, QueueSegment value) {
    return NEXT.compareAndSet(this, expected, value);
  }

  // ---- producers ----

  /**
   * Claims {@code wanted} consecutive free slots at the tail, all or nothing, when they fit in this
   * ring; a larger request claims as many as are free (at least one). A ring that cannot take the
   * request whole is closed, so the queue links a larger successor and the request goes there: a batch
   * that fits in a ring is appended contiguously, never interleaved with other producers' tasks.
   *
   * @return {@code (firstIndex << COUNT_BITS) | count} with {@code count >= 1}, or
   *     {@link #CLAIM_CLOSED} / {@link #CLAIM_SHUT_DOWN}
   */
  long tryClaim(int wanted) {
    int atLeast = wanted <= capacity ? wanted : 1;
    for (;;) {
      long t = lvTail();
      if ((t & CLOSED) != 0) {
        return (t & SHUT_DOWN) != 0 ? CLAIM_SHUT_DOWN : CLAIM_CLOSED;
      }
      if (t >= INDEX_LIMIT) {
        casTail(t, t | CLOSED);
        continue;
      }
      int free = 0;
      while (free < wanted && lvSeq(t + free) == t + free) {
        free++;
      }
      if (free >= atLeast) {
        if (casTail(t, t + free)) {
          return (t << COUNT_BITS) | free;
        }
        continue; // lost the race for index t to another producer
      }
      // Too few free slots at t. Either a faster producer already claimed t (its sequence moved past
      // t and our tail read is stale), or the previous lap's tasks are still there (the ring is full
      // for this request): then close it, unless the tail moved meanwhile.
      if (lvSeq(t) <= t && lvTail() == t && casTail(t, t | CLOSED)) {
        return CLAIM_CLOSED;
      }
    }
  }

  /**
   * Sets {@link #CLOSED} and {@link #SHUT_DOWN} unless this segment is already closed.
   *
   * @return true if this call shut the segment, false if it was closed before (for either reason)
   */
  boolean tryShutDown() {
    for (;;) {
      long t = lvTail();
      if ((t & CLOSED) != 0) {
        return false;
      }
      if (casTail(t, t | CLOSED | SHUT_DOWN)) {
        return true;
      }
    }
  }

  boolean isShutDown() {
    return (lvTail() & SHUT_DOWN) != 0;
  }

  /**
   * Writes the tasks {@code [from, from + count)} of a submission into claimed slots and publishes them.
   * Task {@code i} is {@code (fn != null ? fn : fns[i], params[i])}, where {@code params} is an
   * {@code Object[]} or a {@code List}.
   */
  void fill(long first, int count, Object fn, Object[] fns, Object params, int from, Object completion) {
    Object[] array = params instanceof Object[] ? (Object[]) params : null;
    List<?> list = array == null ? (List<?>) params : null;
    for (int j = 0; j < count; j++) {
      int src = from + j;
      int slot = 3 * ((int) (first + j) & mask);
      Object handle = fn != null ? fn : fns[src];
      if (slots[slot] != handle) { // usually the same static handle as last lap: skip the store and its GC barrier
        slots[slot] = handle;
      }
      slots[slot + 1] = array != null ? array[src] : list.get(src);
      slots[slot + 2] = completion;
      soSeq(first + j, first + j + 1); // publish: the consumer's acquire of seq sees the three writes
    }
  }

  /** Writes and publishes one claimed slot. */
  void fillOne(long index, Object fn, Object param, Object completion) {
    int slot = 3 * ((int) index & mask);
    if (slots[slot] != fn) {
      slots[slot] = fn;
    }
    slots[slot + 1] = param;
    slots[slot + 2] = completion;
    soSeq(index, index + 1);
  }

  // ---- consumers ----

  /**
   * Claims a run of published tasks at the head. The claimer reads them in place ({@link #fn},
   * {@link #param}, {@link #completion}) and then must {@link #release} them; until then the slots
   * stay occupied, so nothing is copied and no reference is written per task on the consumer side
   * (under G1 each reference store pays a write barrier).
   *
   * <p>The run is at most {@code max} long and at most the waiting tasks divided by {@code shareOf}.
   * With {@code only != null} it takes only tasks of that completion.
   *
   * @return {@code (firstIndex << COUNT_BITS) | count} with {@code count >= 1}, 0 when nothing is
   *     waiting, {@link #TAKE_DRAINED} or {@link #TAKE_NOT_OURS}
   */
  long tryTake(int max, int shareOf, Object only) {
    int spins = 0;
    for (;;) {
      long h = lvHead();
      // The head slot's sequence number first, the producers' tail only when that slot is not ready:
      // a consumer that chases the producer one task at a time would otherwise pull the tail's cache
      // line away from the producer on every take, and the producer's next CAS would miss.
      long seq = lvSeq(h);
      if (seq != h + 1) {
        if (seq > h + 1) {
          continue; // our head read was stale: the slot was taken and released meanwhile
        }
        long t = lvTail();
        if ((t & INDEX_MASK) <= h) {
          return (t & CLOSED) != 0 && h == lvHead() ? TAKE_DRAINED : 0;
        }
        if (h == lvHead()) {
          // We are racing with a producer that has claimed index h but not yet published it.
          // FIFO order (and linearizability) says we must not skip it, so wait: it is a handful
          // of instructions away unless the producer was descheduled.
          spins = backOff(spins);
        }
        continue;
      }
      if (only != null && completion(h) != only) {
        if (h == lvHead()) {
          return TAKE_NOT_OURS;
        }
        continue;
      }
      int ready = 1;
      while (ready < max && lvSeq(h + ready) == h + ready + 1
          && (only == null || completion(h + ready) == only)) {
        ready++;
      }
      // Guided self-scheduling: big runs while much waits, single tasks near the end, so that workers
      // finish together. The tail is read only when a full run is ready: then the producers are far
      // ahead and no longer writing the lines around the head.
      long waiting = ready < max ? ready : (lvTail() & INDEX_MASK) - h;
      int run = (int) Math.max(1, Math.min(ready, waiting / shareOf));
      if (casHead(h, h + run)) {
        return (h << COUNT_BITS) | run;
      }
    }
  }

  /**
   * True when the task at the head is published. Cheaper than {@link #hasWaiting} (it does not touch
   * the producers' tail), but it misses a task that is claimed and not yet published: use it to poll
   * for work, never as the last check before parking.
   */
  boolean hasPublishedAtHead() {
    long h = lvHead();
    return lvSeq(h) == h + 1;
  }

  /** The handle of a claimed task. */
  Object fn(long index) {
    return slots[3 * ((int) index & mask)];
  }

  /** The parameter object of a claimed task. */
  Object param(long index) {
    return slots[3 * ((int) index & mask) + 1];
  }

  /** The completion of a claimed (or, racily, a published) task. */
  Object completion(long index) {
    return slots[3 * ((int) index & mask) + 2];
  }

  /**
   * Frees claimed slots for the producers of the next lap. Only the parameter object is cleared, so
   * that the caller's data can be collected; the handle (meant to be a static singleton) and the
   * completion (a small finished future) stay until the next lap overwrites them, which lets a
   * producer skip re-storing an unchanged handle.
   */
  void release(long first, int count) {
    for (int j = 0; j < count; j++) {
      slots[3 * ((int) (first + j) & mask) + 1] = null;
      soSeq(first + j, first + j + capacity);
    }
  }

  /** Spin briefly, then yield the core: the producer we wait for may need it to finish. */
  private static int backOff(int spins) {
    if (spins < 64) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
    return spins + 1;
  }

  /** True when a consumer would find a task here now or after a short wait (claimed, not yet published). */
  boolean hasWaiting() {
    long h = lvHead(); // head first: read after tail, a consumer could have moved it past the tail we saw
    return (lvTail() & INDEX_MASK) > h;
  }

  /** True when this segment is closed and every claimed slot has been taken. */
  boolean isDrained() {
    long h = lvHead();
    long t = lvTail();
    return (t & CLOSED) != 0 && (t & INDEX_MASK) == h;
  }

  /** Tasks claimed and not yet taken (an estimate under concurrency). */
  long waiting() {
    long h = lvHead();
    return Math.max(0, (lvTail() & INDEX_MASK) - h);
  }
}

/* Padding chain: head and tail each get a cache line (128 bytes, for adjacent-line prefetch) to themselves. */

abstract class SegmentPad0 {
  long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class SegmentHead extends SegmentPad0 {
  private static final VarHandle HEAD;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(SegmentHead.class, "head", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long head;

  final long lvHead() {
    return head;
  }

  final boolean casHead(long expected, long value) {
    return HEAD.compareAndSet(this, expected, value);
  }
}

abstract class SegmentPad1 extends SegmentHead {
  long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;
}

abstract class SegmentTail extends SegmentPad1 {
  private static final VarHandle TAIL;

  static {
    try {
      TAIL = MethodHandles.lookup().findVarHandle(SegmentTail.class, "tail", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long tail;
  long p40, p41, p42, p43, p44, p45, p46, p47, p48, p49, p50, p51, p52, p53, p54, p55;

  final long lvTail() {
    return tail;
  }

  final boolean casTail(long expected, long value) {
    return TAIL.compareAndSet(this, expected, value);
  }
}
