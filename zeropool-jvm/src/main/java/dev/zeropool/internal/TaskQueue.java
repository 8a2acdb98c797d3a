package dev.zeropool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The pool's one queue: an unbounded, lock-free, multi-producer multi-consumer FIFO of task slots,
 * each holding a task handle, its parameter object and the completion it reports to.
 *
 * <h2>Structure</h2>
 * A singly linked list of {@link QueueSegment} rings. Producers work on {@code tailSegment},
 * consumers on {@code headSegment}; usually both are the same ring, reused lap after lap, so a queue
 * that keeps up with its producers allocates nothing. When a producer finds the tail ring full it
 * closes it and links a successor of twice the capacity (up to {@link QueueSegment#MAX_CAPACITY}),
 * so after a burst the queue settles on one ring big enough for it. Consumers finish a closed ring
 * before they move to its successor, which keeps FIFO order across rings.
 *
 * <h2>Trade-offs</h2>
 * <ol>
 *   <li>A batch of {@code n} tasks costs one CAS, not {@code n} atomic operations, and lands contiguously
 *       in one ring; only a batch larger than the largest ring ({@link QueueSegment#MAX_CAPACITY})
 *       is split, one CAS per ring. A consumer takes a run of published tasks with one CAS.</li>
 *   <li>Claims are CAS-increments of {@code tail}, not {@code getAndAdd}: a CAS can check first that the
 *       slots are free, so a full ring is detected before it is overrun, and there is never a
 *       reservation to undo.</li>
 *   <li>A consumer that meets a claimed-but-unpublished slot waits for it rather than skipping it
 *       (see {@link QueueSegment#tryTake}); that keeps the queue linearizable and FIFO per producer.</li>
 *   <li>Closing a ring for shutdown is the same CAS as claiming in it, so every offer is either accepted
 *       before the shutdown or refused after it: there is no window in which a task is accepted and
 *       then never run.</li>
 * </ol>
 */
public final class TaskQueue {

  /** Default capacity of the first ring; successors double up to {@link QueueSegment#MAX_CAPACITY}. */
  public static final int DEFAULT_CAPACITY =
      Integer.getInteger("zeropool.queue.initialCapacity", 1024);

  private static final VarHandle HEAD_SEGMENT;
  private static final VarHandle TAIL_SEGMENT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      HEAD_SEGMENT = lookup.findVarHandle(TaskQueue.class, "headSegment", QueueSegment.class);
      TAIL_SEGMENT = lookup.findVarHandle(TaskQueue.class, "tailSegment", QueueSegment.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int maxCapacity;
  private volatile QueueSegment headSegment;
  private volatile QueueSegment tailSegment;

  public TaskQueue() {
    this(DEFAULT_CAPACITY, QueueSegment.MAX_CAPACITY);
  }

  /**
   * @param initialCapacity slots in the first ring (a power of two)
   * @param maxCapacity largest ring the queue grows to (a power of two); tests use tiny rings to
   *     exercise the ring-to-ring hand-over
   */
  public TaskQueue(int initialCapacity, int maxCapacity) {
    if (maxCapacity < initialCapacity || Integer.bitCount(maxCapacity) != 1
        || maxCapacity > QueueSegment.MAX_CAPACITY) {
      throw new IllegalArgumentException("maxCapacity must be a power of two in ["
          + initialCapacity + ", " + QueueSegment.MAX_CAPACITY + "]: " + maxCapacity);
    }
    this.maxCapacity = maxCapacity;
    QueueSegment first = new QueueSegment(initialCapacity);
    this.headSegment = first;
    this.tailSegment = first;
  }

  /**
   * Appends one task.
   *
   * @return false if the queue is shut down (nothing was appended)
   */
  public boolean offer(Object fn, Object param, Object completion) {
    for (;;) {
      QueueSegment segment = tailSegment;
      long claim = segment.tryClaim(1);
      if (claim >= 0) {
        segment.fillOne(claim >>> QueueSegment.COUNT_BITS, fn, param, completion);
        return true;
      }
      if (claim == QueueSegment.CLAIM_SHUT_DOWN) {
        return false;
      }
      advanceTail(segment);
    }
  }

  /**
   * Appends {@code count} tasks in order: task {@code i} is {@code (fn != null ? fn : fns[i], params[i])}
   * where {@code params} is an {@code Object[]} or a {@code List}.
   *
   * @return how many were appended: {@code count}, or fewer if the queue was shut down meanwhile
   *     (the first ones were accepted and will run; the rest were not appended)
   */
  public int offerAll(Object fn, Object[] fns, Object params, int count, Object completion) {
    int done = 0;
    while (done < count) {
      QueueSegment segment = tailSegment;
      long claim = segment.tryClaim(Math.min(count - done, QueueSegment.MAX_CAPACITY));
      if (claim >= 0) {
        int claimed = (int) (claim & ((1 << QueueSegment.COUNT_BITS) - 1));
        segment.fill(claim >>> QueueSegment.COUNT_BITS, claimed, fn, fns, params, done, completion);
        done += claimed;
      } else if (claim == QueueSegment.CLAIM_SHUT_DOWN) {
        return done;
      } else {
        advanceTail(segment);
      }
    }
    return done;
  }

  /** Moves {@code tailSegment} past a closed segment, linking a successor if nobody has yet. */
  private void advanceTail(QueueSegment closed) {
    QueueSegment next = closed.lvNext();
    if (next == null) {
      QueueSegment fresh = new QueueSegment(Math.min(2 * closed.capacity, maxCapacity));
      next = closed.casNext(null, fresh) ? fresh : closed.lvNext();
    }
    TAIL_SEGMENT.compareAndSet(this, closed, next);
  }

  /**
   * Claims a run of up to {@code max} tasks from the head into {@code run}, which then reads them in
   * place and must be {@linkplain RunClaim#release() released}. See {@link QueueSegment#tryTake} for
   * {@code shareOf} and {@code only}.
   *
   * @return the number of tasks claimed; 0 if none is waiting (or, with {@code only}, if the head task
   *     belongs to another completion)
   */
  public int poll(RunClaim run, int max, int shareOf, Object only) {
    for (;;) {
      QueueSegment segment = headSegment;
      long taken = segment.tryTake(max, shareOf, only);
      if (taken > 0) {
        return run.set(segment, taken >>> QueueSegment.COUNT_BITS,
            (int) (taken & ((1 << QueueSegment.COUNT_BITS) - 1)));
      }
      if (taken != QueueSegment.TAKE_DRAINED) {
        return 0;
      }
      QueueSegment next = segment.lvNext();
      if (next == null) {
        return 0; // closed (full or shut down) and its successor not linked: nothing after it yet
      }
      HEAD_SEGMENT.compareAndSet(this, segment, next);
    }
  }

  /** True when no task is waiting (claimed tasks count as waiting). */
  public boolean isEmpty() {
    for (QueueSegment s = headSegment; s != null; s = s.lvNext()) {
      if (s.hasWaiting()) {
        return false;
      }
      if (!s.isDrained()) {
        return true;
      }
    }
    return true;
  }

  /**
   * True when a task is published at the head: a cheap poll for spinning workers that leaves the
   * producers' cache lines alone. It can miss a task being published right now (or one behind a
   * drained ring), so the check before parking is {@link #isEmpty()}.
   */
  boolean hasPublishedWork() {
    QueueSegment s = headSegment;
    return s.hasPublishedAtHead() || (s.lvNext() != null && !isEmpty());
  }

  /** The number of waiting tasks; exact when the queue is quiescent, an estimate otherwise. */
  public long size() {
    long size = 0;
    for (QueueSegment s = headSegment; s != null; s = s.lvNext()) {
      size += s.waiting();
    }
    return size;
  }

  /**
   * Refuses all further offers. Offers that claimed their slots before this call stay in the queue
   * and can still be polled.
   */
  public void shutDown() {
    for (;;) {
      QueueSegment segment = tailSegment;
      if (segment.tryShutDown() || segment.isShutDown()) {
        return;
      }
      advanceTail(segment);
    }
  }

  /** The rings linked from the head on; for tests of ring reuse. */
  int segmentCount() {
    int count = 0;
    for (QueueSegment s = headSegment; s != null; s = s.lvNext()) {
      count++;
    }
    return count;
  }

  /** True once {@link #shutDown()} has taken effect. */
  public boolean isShutDown() {
    QueueSegment segment = tailSegment;
    while (!segment.isShutDown()) {
      QueueSegment next = segment.lvNext();
      if (next == null) {
        return false;
      }
      segment = next;
    }
    return true;
  }
}
