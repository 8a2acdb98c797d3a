package dev.zeropool.pinned;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One pinned thread: owns an {@link MpscInbox} and the items routed to it, runs their messages one at
 * a time in inbox order, and parks when the inbox is empty.
 *
 * <h2>Invariant</h2>
 * {@link #items} and every item in it are touched by this thread only. Messages run one at a time, in
 * the order the inbox hands them out, so an item never sees two messages at once and sees each
 * sender's messages in the order they were sent.
 *
 * <h2>Parking without a lost wake-up</h2>
 * The consumer (this thread) and a producer (a sender) each write one thing and then read the other's:
 * <ol>
 *   <li>Consumer, when {@link MpscInbox#state()} said empty: store {@code parked = 1}, full fence,
 *       read the inbox again; only if it is still empty, park until {@code parked} is 0 again.</li>
 *   <li>Producer, after {@link MpscInbox#offer} published its message: full fence, read
 *       {@code parked}; if 1, CAS it to 0 and unpark the consumer.</li>
 * </ol>
 * The two fences are ordered one before the other. If the producer's fence comes second, its read sees
 * {@code parked == 1} and it unparks. If the consumer's comes second, its re-read sees the published
 * message and it does not park. Either way the message is run. Only a producer's CAS clears
 * {@code parked}, so a spurious return from {@code park} just parks again, and at most one producer
 * pays for the {@code unpark}; while the thread is busy, senders pay one fence and one read.
 * Shutting the inbox down is published the same way (a CAS in the inbox, then {@link #signal()}).
 *
 * <h2>Spin window</h2>
 * Before parking the thread may spin (re-reading the inbox with {@link Thread#onSpinWait()}) for the
 * pool's spin window, so that a request that follows quickly is caught without an OS wake-up. The
 * default is 0: an idle pinned thread costs no CPU at all.
 */
final class PinnedThread<S> extends Thread implements MpscInbox.Sink {

  /** The operation of an {@code add}: the parameter is the factory. */
  static final Object ADD = new Object();
  /** The operation of a {@code remove}. */
  static final Object REMOVE = new Object();

  /** How many messages one {@link MpscInbox#drain} call hands over before the loop looks around again. */
  private static final int DRAIN_BATCH = 256;

  private static final VarHandle PARKED;
  private static final VarHandle ITEM_COUNT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PARKED = lookup.findVarHandle(PinnedThread.class, "parked", int.class);
      ITEM_COUNT = lookup.findVarHandle(PinnedThread.class, "itemCount", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final PinnedPool<S> pool;
  final int index;
  final MpscInbox inbox;
  private final ItemMap<S> items = new ItemMap<>();
  /** 1 while this thread is (about to be) parked; cleared only by a producer's CAS. */
  private volatile int parked;
  /** Items on this thread, for {@link PinnedPool#itemCounts()}; written by this thread only. */
  private volatile int itemCount;
  /** The id of the message running now; meaningful only while {@link #inMessage}. */
  long currentId;
  boolean inMessage;
  /** What the pool's thread-state factory made for this thread, or null. */
  Object threadState;

  PinnedThread(PinnedPool<S> pool, int index, String name, boolean daemon, int inboxCapacity) {
    super(name);
    this.pool = pool;
    this.index = index;
    this.inbox = new MpscInbox(inboxCapacity, MpscInbox.MAX_CAPACITY);
    setDaemon(daemon);
  }

  /** Producer side of the wake-up protocol; call after every accepted offer and after shutdown. */
  void signal() {
    VarHandle.fullFence(); // orders our publish (a release store in the inbox) before the read of parked
    if ((int) PARKED.getOpaque(this) == 1 && PARKED.compareAndSet(this, 1, 0)) {
      LockSupport.unpark(this);
    }
  }

  int itemCount() {
    return itemCount;
  }

  @Override
  public void run() {
    try {
      if (pool.threadStateFactory != null) {
        threadState = pool.threadStateFactory.apply(index);
      }
    } catch (Throwable t) {
      pool.reportFailure(-1, t);
    }
    try {
      while (true) {
        if (inbox.drain(this, DRAIN_BATCH) == 0 && !idle()) {
          return;
        }
      }
    } finally {
      items.clear(); // nothing can reach the items any more: let them go even if the pool is kept
      ITEM_COUNT.setRelease(this, 0);
    }
  }

  /**
   * Waits until the inbox has a message.
   *
   * @return false when the inbox is shut down and drained (the thread ends)
   */
  private boolean idle() {
    long spin = pool.spinWindowNanos;
    if (spin > 0) {
      long deadline = System.nanoTime() + spin;
      do {
        int state = inbox.state();
        if (state != MpscInbox.EMPTY) {
          return state == MpscInbox.READY;
        }
        Thread.onSpinWait();
      } while (System.nanoTime() - deadline < 0);
    }
    PARKED.setOpaque(this, 1);
    VarHandle.fullFence(); // orders the store of parked before the re-read of the inbox
    int state = inbox.state();
    if (state != MpscInbox.EMPTY) {
      PARKED.setOpaque(this, 0);
      return state == MpscInbox.READY;
    }
    while ((int) PARKED.getVolatile(this) == 1) {
      LockSupport.park(this);
      // An interrupt left by an item's handler (or sent from outside) would make park return at once
      // forever; interrupts mean nothing to an idle pinned thread, so drop them.
      Thread.interrupted();
    }
    return true;
  }

  @Override
  public void accept(Object op, long id, Object param, CompletableFuture<?> future) {
    if (pool.stopping) {
      CancellationException stopped = new CancellationException(
          "the pinned pool was stopped by shutdownNow() before this message (item " + id + ") ran");
      if (future != null) {
        future.completeExceptionally(stopped);
      } else {
        pool.reportFailure(id, stopped);
      }
      return;
    }
    if (future != null && future.isDone()) {
      return; // cancelled by its sender before it started: skipped, as the cancellation promised
    }
    currentId = id;
    inMessage = true;
    Object result = null;
    Throwable failure = null;
    try {
      if (pool.beforeEach != null) {
        pool.beforeEach.accept(id);
      }
      result = run(op, id, param);
    } catch (Throwable t) {
      failure = t;
    }
    if (pool.afterEach != null) {
      try {
        pool.afterEach.accept(id); // before completing, so a sender that sees the reply sees the hook done
      } catch (Throwable t) {
        pool.reportFailure(id, t);
      }
    }
    inMessage = false;
    if (future == null) {
      if (failure != null) {
        pool.reportFailure(id, failure);
      }
    } else if (failure != null) {
      future.completeExceptionally(failure);
    } else {
      complete(future, result);
    }
  }

  @SuppressWarnings("unchecked")
  private Object run(Object op, long id, Object param) throws Exception {
    if (op == ADD) {
      if (items.contains(id)) {
        throw new IllegalStateException("an item with id " + id + " already exists; the factory was not called");
      }
      S item = ((Supplier<? extends S>) param).get();
      if (item == null) {
        throw new NullPointerException("the factory for item " + id + " returned null; no item was added");
      }
      items.put(id, item);
      ITEM_COUNT.setRelease(this, items.size());
      return null;
    }
    if (op == REMOVE) {
      boolean existed = items.remove(id) != null;
      ITEM_COUNT.setRelease(this, items.size());
      return existed;
    }
    S item = items.get(id);
    if (item == null) {
      throw new NoSuchElementException("no item with id " + id + " on " + getName());
    }
    return ((ItemFn<S, Object, Object>) op).apply(item, param);
  }

  @SuppressWarnings("unchecked")
  private static void complete(CompletableFuture<?> future, Object result) {
    ((CompletableFuture<Object>) future).complete(result);
  }
}
