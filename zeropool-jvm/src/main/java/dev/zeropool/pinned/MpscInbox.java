package dev.zeropool.pinned;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * One pinned thread's inbox: an unbounded, lock-free, multi-producer single-consumer FIFO of
 * messages, built from linked fixed-size rings of slots.
 *
 * <h2>Invariant</h2>
 * A message slot holds four things: the operation (an {@link ItemFn}, or the {@code ADD}/{@code REMOVE}
 * marker), the item id, the parameter (the {@code add} factory for an add) and the future to complete
 * (null for a fire-and-forget post). Each slot also carries a 64-bit sequence number that says, for
 * the one index {@code i} of its segment that may use it next, what state it is in:
 * <ul>
 *   <li>{@code seq == i}: free, a producer may claim index {@code i};</li>
 *   <li>{@code seq == i + 1}: published, the consumer may take the message at {@code i};</li>
 *   <li>{@code seq == i + capacity}: taken, free again for index {@code i + capacity}.</li>
 * </ul>
 * Producers claim one index with one CAS of the segment's {@code tail}, write the slot, then publish
 * it with a release store of its sequence number. The single consumer reads slots at {@code head} in
 * index order. A producer's second message gets a later index than its first (its CAS comes later), and
 * a later segment is only read once the earlier one is drained, so each producer's messages come out in
 * the order it offered them.
 *
 * <h2>Recycling and growth</h2>
 * Slots are reused lap after lap, so a ring that keeps up with its consumer serves forever with no
 * allocation. A producer that finds the slot it needs still holding the previous lap's message (the
 * ring is full) <em>closes</em> the segment ({@link #CLOSED} in {@code tail}) and the message goes to a
 * successor of twice the size (up to {@link #MAX_CAPACITY}), linked by CAS. A closed segment never
 * reopens; once the consumer has drained it, it moves on and leaves the old ring to the garbage
 * collector. Whole segments are never reused, so no thread can hold a stale ring that is being
 * recycled under it, and nothing ever waits for a free segment.
 *
 * <h2>Shutdown</h2>
 * {@link #shutdown()} sets {@link #CLOSED} and {@link #SHUT_DOWN} in the last open segment's
 * {@code tail} with the same CAS a claim uses, so every offer is either accepted before the shutdown
 * (and will be drained) or refused after it: there is no window in which a message is accepted and then
 * never seen. No successor is ever linked behind a shut-down segment.
 *
 * <h2>Parking is not in here</h2>
 * Offers never block, and the consumer's {@link #drain} and {@link #state()} never park (drain may spin
 * for a message that a producer has claimed and is writing, see there); the
 * wake-up protocol (park when {@link #state()} says empty, unpark after an offer) is in
 * {@link PinnedThread}, which keeps this class model-checkable (see {@code MpscInboxLincheckTest}).
 */
final class MpscInbox {

  /** Largest ring a successor grows to. */
  static final int MAX_CAPACITY = 1 << 16;
  /** {@code tail} flag: no more claims in this segment; a successor takes new messages. */
  static final long CLOSED = 1L << 62;
  /** {@code tail} flag: the inbox refuses new messages (always set together with {@link #CLOSED}). */
  static final long SHUT_DOWN = 1L << 61;
  private static final long INDEX_MASK = SHUT_DOWN - 1;

  /** {@link #state()}: at least one message is in the inbox; {@link #drain} takes it now. */
  static final int READY = 0;
  /** {@link #state()}: nothing to drain now; a producer that offers later will signal. */
  static final int EMPTY = 1;
  /** {@link #state()}: shut down and fully drained; nothing will ever arrive. */
  static final int TERMINATED = 2;

  private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle TAIL_SEGMENT;

  static {
    try {
      TAIL_SEGMENT = MethodHandles.lookup().findVarHandle(MpscInbox.class, "tailSegment", Segment.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Receives drained messages, one call per message, on the consumer thread. */
  interface Sink {
    /** Handles one message; the slot is already free again when this runs. */
    void accept(Object op, long id, Object param, CompletableFuture<?> future);
  }

  private final int maxCapacity;
  /** The segment the consumer reads; written only by the consumer, read by {@link #depth()} anywhere. */
  private volatile Segment headSegment;
  /** A hint for producers: the newest segment someone has seen; only ever advanced along {@code next}. */
  private volatile Segment tailSegment;

  /**
   * @param initialCapacity the first ring's size, a power of two
   * @param maxCapacity the largest size successors grow to, a power of two {@code <= MAX_CAPACITY}
   */
  MpscInbox(int initialCapacity, int maxCapacity) {
    if (Integer.bitCount(maxCapacity) != 1 || maxCapacity > MAX_CAPACITY || initialCapacity > maxCapacity) {
      throw new IllegalArgumentException("maxCapacity must be a power of two in [initialCapacity, "
          + MAX_CAPACITY + "]: " + maxCapacity);
    }
    this.maxCapacity = maxCapacity;
    Segment first = new Segment(initialCapacity);
    this.headSegment = first;
    this.tailSegment = first;
  }

  // ---- producers (any thread) ----

  /**
   * Appends one message.
   *
   * @return true if accepted; false if the inbox is shut down (then nothing was written)
   */
  boolean offer(Object op, long id, Object param, CompletableFuture<?> future) {
    Segment s = tailSegment;
    while (true) {
      long t = s.lvTail();
      if ((t & CLOSED) != 0) {
        if ((t & SHUT_DOWN) != 0) {
          return false;
        }
        s = successorOf(s);
        continue;
      }
      long seq = s.lvSeq(t);
      if (seq == t) {
        if (s.casTail(t, t + 1)) {
          s.write(t, op, id, param, future);
          return true;
        }
      } else if (seq < t) {
        // The slot still holds the previous lap's message (taken or not): the ring is full. Close it
        // so that every producer moves to the successor; if another producer claimed or closed first
        // the CAS fails and we re-read.
        s.casTail(t, t | CLOSED);
      }
      // seq > t: our tail read is stale (another producer claimed t since); re-read.
    }
  }

  /**
   * Appends a run of messages in order: message {@code k} of the run is operation {@code op} for item
   * {@code ids[order[k]]} with {@code params[order[k]]} and {@code futures[order[k]]}, for {@code k} in
   * {@code [from, to)}. One CAS claims as many consecutive slots as the ring has free (a sender's batch
   * to one thread costs one claim instead of one per message); what does not fit goes one slot at a
   * time through {@link #offer}'s rules (closing the full ring, moving to its successor).
   *
   * <p>Why one look at the block's last slot is enough: the consumer frees slots in index order, so if
   * the last one is free for this lap, every slot before it is too.
   *
   * @return how many messages were accepted: all of them, or the ones before a shutdown
   */
  int offerAll(Object op, long[] ids, Object[] params, CompletableFuture<?>[] futures, int[] order, int from,
      int to) {
    int k = from;
    while (k < to) {
      Segment s = tailSegment;
      long t = s.lvTail();
      long last = t + Math.min(to - k, s.capacity) - 1;
      if ((t & CLOSED) == 0 && last > t && s.lvSeq(last) == last) {
        if (s.casTail(t, last + 1)) {
          for (long index = t; index <= last; index++, k++) {
            int m = order[k];
            s.write(index, op, ids[m], params[m], futures[m]);
          }
        }
        continue; // CAS lost: re-read the tail
      }
      int m = order[k]; // no block free here: one message by offer's rules (full ring, successor, shutdown)
      if (!offer(op, ids[m], params[m], futures[m])) {
        break;
      }
      k++;
    }
    return k - from;
  }

  /**
   * Refuses every later offer. Messages accepted before stay and are drained as usual.
   *
   * @return true if this call shut the inbox down, false if it already was
   */
  boolean shutdown() {
    Segment s = tailSegment;
    while (true) {
      long t = s.lvTail();
      if ((t & SHUT_DOWN) != 0) {
        return false;
      }
      if ((t & CLOSED) != 0) {
        s = successorOf(s);
      } else if (s.casTail(t, t | CLOSED | SHUT_DOWN)) {
        return true;
      }
    }
  }

  /** {@return the successor of closed (not shut-down) segment {@code s}, linking one if needed} */
  private Segment successorOf(Segment s) {
    Segment next = s.next;
    if (next == null) {
      Segment fresh = new Segment(Math.min(s.capacity * 2, maxCapacity));
      next = s.casNext(fresh) ? fresh : s.next;
    }
    // Advance the hint only from s, so that it never moves backwards.
    TAIL_SEGMENT.compareAndSet(this, s, next);
    return next;
  }

  /**
   * {@return about how many messages are waiting (offered, not yet taken)} Any thread; a snapshot of
   * moving counters, for monitoring only.
   */
  int depth() {
    long total = 0;
    for (Segment s = headSegment; s != null; s = s.next) {
      total += Math.max(0, (s.lvTail() & INDEX_MASK) - s.lvHead());
    }
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  // ---- the consumer (one thread) ----

  /**
   * Takes up to {@code max} messages in FIFO order and hands each to {@code sink}. Only the consumer
   * thread may call this.
   *
   * <p>An offer takes effect at its claiming CAS, so a message that is claimed but not yet written is
   * already in the queue: the consumer waits for its producer to publish it (a few instructions,
   * unless that producer is descheduled right there) rather than skip it or report the inbox empty.
   * That keeps the inbox a linearizable FIFO.
   *
   * @return how many messages were handed over (0 when the inbox is empty right now)
   */
  int drain(Sink sink, int max) {
    Segment s = headSegment;
    long h = s.lpHead();
    long t = 0; // the last tail read: every index below it is claimed, so it is re-read only when reached
    int n = 0;
    while (n < max) {
      if ((t & INDEX_MASK) <= h) {
        t = s.lvTail(); // producers write tail on every claim: one read per run of claims, not per message
      }
      if ((t & INDEX_MASK) > h) {
        // Racing with the producer that claimed h: it may not have published the slot yet.
        while (s.lvSeq(h) != h + 1) {
          Thread.onSpinWait();
        }
        Object op = s.opAt(h);
        long id = s.idAt(h);
        Object param = s.paramAt(h);
        CompletableFuture<?> future = s.futureAt(h);
        s.release(h);
        s.soHead(++h);
        n++;
        sink.accept(op, id, param, future);
        continue;
      }
      if ((t & CLOSED) == 0 || (t & SHUT_DOWN) != 0) {
        break; // empty for now, or shut down and drained
      }
      Segment next = s.next;
      if (next == null) {
        break; // the closer has not linked the successor yet, so nothing was claimed there yet
      }
      headSegment = next; // the drained ring is now unreachable from the inbox
      s = next;
      h = s.lpHead();
      t = 0;
    }
    return n;
  }

  /** {@return {@link #READY}, {@link #EMPTY} or {@link #TERMINATED}} Only the consumer thread may call this. */
  int state() {
    Segment s = headSegment;
    long h = s.lpHead();
    while (true) {
      long t = s.lvTail();
      if ((t & INDEX_MASK) > h) {
        return READY; // claimed or published: drain takes it
      }
      if ((t & CLOSED) == 0) {
        return EMPTY;
      }
      if ((t & SHUT_DOWN) != 0) {
        return TERMINATED;
      }
      s = s.next;
      if (s == null) {
        return EMPTY;
      }
      h = s.lpHead();
    }
  }

  // ---- one ring ----

  /** Padding before the consumer's index, so that it does not share a cache line with the object header's neighbours. */
  abstract static class HeadPad {
    long p00, p01, p02, p03, p04, p05, p06, p07;
  }

  /** The consumer's next index. */
  abstract static class HeadField extends HeadPad {
    static final VarHandle HEAD;

    static {
      try {
        HEAD = MethodHandles.lookup().findVarHandle(HeadField.class, "head", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile long head;

    /** Plain read: the consumer reads its own writes. */
    final long lpHead() {
      return (long) HEAD.get(this);
    }

    final long lvHead() {
      return head;
    }

    /** Ordered store: monitoring readers see a recent value; no one synchronizes on it. */
    final void soHead(long value) {
      HEAD.setRelease(this, value);
    }
  }

  /** Padding between the consumer's {@code head} and the producers' {@code tail}: different cores write them. */
  abstract static class TailPad extends HeadField {
    long p10, p11, p12, p13, p14, p15, p16, p17;
  }

  /** The producers' next index plus the {@link #CLOSED} and {@link #SHUT_DOWN} flags. */
  abstract static class TailField extends TailPad {
    static final VarHandle TAIL;

    static {
      try {
        TAIL = MethodHandles.lookup().findVarHandle(TailField.class, "tail", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile long tail;

    final long lvTail() {
      return tail;
    }

    final boolean casTail(long expected, long value) {
      return TAIL.compareAndSet(this, expected, value);
    }
  }

  /** Padding after {@code tail}, before the segment's other fields. */
  abstract static class TailPadAfter extends TailField {
    long p20, p21, p22, p23, p24, p25, p26, p27;
  }

  /** One fixed-size ring; see the class comment of {@link MpscInbox} for its slot states. */
  static final class Segment extends TailPadAfter {
    private static final VarHandle NEXT;

    static {
      try {
        NEXT = MethodHandles.lookup().findVarHandle(Segment.class, "next", Segment.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final int capacity;
    private final int mask;
    private final long[] sequences;
    private final long[] ids;
    /** Three references per slot: operation, parameter, future. */
    private final Object[] refs;
    volatile Segment next;

    Segment(int capacity) {
      if (Integer.bitCount(capacity) != 1 || capacity > MAX_CAPACITY) {
        throw new IllegalArgumentException("capacity must be a power of two <= " + MAX_CAPACITY + ": " + capacity);
      }
      this.capacity = capacity;
      this.mask = capacity - 1;
      this.sequences = new long[capacity];
      this.ids = new long[capacity];
      this.refs = new Object[3 * capacity];
      for (int i = 0; i < capacity; i++) {
        sequences[i] = i;
      }
    }

    long lvSeq(long index) {
      return (long) SEQ.getAcquire(sequences, (int) index & mask);
    }

    boolean casNext(Segment value) {
      return NEXT.compareAndSet(this, null, value);
    }

    /** Producer, after claiming {@code index}: fill the slot, then publish it (release store). */
    void write(long index, Object op, long id, Object param, CompletableFuture<?> future) {
      int i = (int) index & mask;
      refs[3 * i] = op;
      refs[3 * i + 1] = param;
      refs[3 * i + 2] = future;
      ids[i] = id;
      SEQ.setRelease(sequences, i, index + 1);
    }

    Object opAt(long index) {
      return refs[3 * ((int) index & mask)];
    }

    long idAt(long index) {
      return ids[(int) index & mask];
    }

    Object paramAt(long index) {
      return refs[3 * ((int) index & mask) + 1];
    }

    CompletableFuture<?> futureAt(long index) {
      return (CompletableFuture<?>) refs[3 * ((int) index & mask) + 2];
    }

    /**
     * Consumer: clear the slot's references (so the ring keeps no user object alive) and hand it to the
     * next lap. The release store orders the clearing before any producer's reuse of the slot.
     */
    void release(long index) {
      int i = (int) index & mask;
      refs[3 * i] = null;
      refs[3 * i + 1] = null;
      refs[3 * i + 2] = null;
      SEQ.setRelease(sequences, i, index + capacity);
    }
  }
}
