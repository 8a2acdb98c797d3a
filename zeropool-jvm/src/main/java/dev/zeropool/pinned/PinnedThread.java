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
 *   <li>Consumer, when {@link MpscInbox#state()} said empty: store {@code parked = IDLE}, full fence,
 *       read the inbox again; only if it is still empty, park until {@code parked} is no longer
 *       {@code IDLE}.</li>
 *   <li>Producer, after {@link MpscInbox#offer} published its message: full fence, read
 *       {@code parked}; if {@code IDLE}, CAS it to {@code RUNNING} and unpark the consumer.</li>
 * </ol>
 * The two fences are ordered one before the other. If the producer's fence comes second, its read sees
 * {@code parked == IDLE} and it unparks. If the consumer's comes second, its re-read sees the published
 * message and it does not park. Either way the message is run. Only a producer's CAS (or the consumer
 * itself, when its re-read found a message) ends {@code IDLE}, so a spurious return from {@code park}
 * (or a permit left by a producer whose CAS came after such a re-read) just parks again, and at most
 * one producer pays for the {@code unpark}; while the thread is busy, senders pay one fence and one read.
 * Shutting the inbox down is published the same way (a CAS in the inbox, then {@link #signal()}).
 *
 * <h2>Spin window</h2>
 * A thread that has just run messages one by one (see {@link #SPIN_AFTER_AT_MOST}) and finds its inbox
 * empty re-reads it for the pool's spin window before it parks, so that a request that follows quickly
 * is caught without an OS wake-up. Between reads it calls {@link Thread#yield()}, not
 * {@link Thread#onSpinWait()}: a round trip involves the sender, the thread that just replied and the
 * thread the next request goes to, often more threads than cores, and a spinner that kept its core
 * would leave the thread with work waiting for the OS to preempt it (milliseconds). A yielding spinner
 * gives its core to any thread that can run, so every thread of the pool may spin at once. A thread that
 * wakes up, finds nothing and parks again never spins, so an idle pool costs no CPU after one window.
 */
final class PinnedThread<S> extends Thread implements MpscInbox.Sink {

  /** The operation of an {@code add}: the parameter is the factory. */
  static final Object ADD = new Object();
  /** The operation of a {@code remove}. */
  static final Object REMOVE = new Object();

  /** How many messages one {@link MpscInbox#drain} call hands over before the loop looks around again. */
  private static final int DRAIN_BATCH = 256;
  /**
   * A thread spins only if its last drain took at most this many messages: requests that come one by
   * one (a round trip, a slow stream) are where the next one is imminent. A drain that found a batch
   * followed a burst; once the burst is drained the sender is waiting for replies or doing other work,
   * and a spinner would only take a core from the threads still busy with it.
   */
  private static final int SPIN_AFTER_AT_MOST = 2;

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
  /** {@link #parked}: running (or spinning); senders leave it alone. */
  private static final int PARKED_RUNNING = 0;
  /** {@link #parked}: parked or about to park; the first sender to see it moves it to {@link #PARKED_RUNNING} and unparks. */
  private static final int PARKED_IDLE = 1;

  /** One of {@code PARKED_...}; only this thread sets it to idle. */
  private volatile int parked;
  /** Items on this thread, for {@link PinnedPool#itemCounts()}; written by this thread only. */
  private volatile int itemCount;
  /** The message running now; written per message, so kept off the cache line senders read. */
  final Current current = new Current();
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
    if ((int) PARKED.getOpaque(this) == PARKED_IDLE && PARKED.compareAndSet(this, PARKED_IDLE, PARKED_RUNNING)) {
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
      boolean oneByOne = false;
      while (true) {
        int ran = inbox.drain(this, DRAIN_BATCH);
        if (ran == 0 && !idle(oneByOne)) {
          return;
        }
        oneByOne = ran > 0 && ran <= SPIN_AFTER_AT_MOST;
      }
    } finally {
      items.clear(); // nothing can reach the items any more: let them go even if the pool is kept
      ITEM_COUNT.setRelease(this, 0);
    }
  }

  /**
   * Waits until the inbox has a message.
   *
   * @param maySpin whether the thread has just run messages one by one (only then is a quick follow-up likely)
   * @return false when the inbox is shut down and drained (the thread ends)
   */
  private boolean idle(boolean maySpin) {
    if (maySpin && pool.spinWindowNanos > 0) {
      int state = spin(pool.spinWindowNanos);
      if (state != MpscInbox.EMPTY) {
        return state == MpscInbox.READY;
      }
    }
    PARKED.setOpaque(this, PARKED_IDLE);
    VarHandle.fullFence(); // orders the store of parked before the re-read of the inbox
    int state = inbox.state();
    if (state != MpscInbox.EMPTY) {
      PARKED.compareAndSet(this, PARKED_IDLE, PARKED_RUNNING); // fails only if a sender did it for us
      return state == MpscInbox.READY;
    }
    while ((int) PARKED.getVolatile(this) == PARKED_IDLE) {
      LockSupport.park(this);
      // An interrupt left by an item's handler (or sent from outside) would make park return at once
      // forever; interrupts mean nothing to an idle pinned thread, so drop them.
      Thread.interrupted();
    }
    return true;
  }

  /**
   * Re-reads the inbox, yielding the core between reads, until it has a message or the window ends.
   *
   * @return the inbox's last {@link MpscInbox#state()}
   */
  private int spin(long windowNanos) {
    long deadline = System.nanoTime() + windowNanos;
    int state;
    do {
      state = inbox.state();
      if (state != MpscInbox.EMPTY) {
        return state;
      }
      Thread.yield();
    } while (System.nanoTime() - deadline < 0);
    return state;
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
    Current current = this.current;
    current.id = id;
    current.active = true;
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
    current.active = false;
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

  /** Padding before {@link Current}'s fields. */
  abstract static class CurrentPad {
    long p00, p01, p02, p03, p04, p05, p06, p07;
  }

  /** The id of the message this thread runs now, meaningful only while {@code active}. */
  abstract static class CurrentFields extends CurrentPad {
    long id;
    boolean active;
  }

  /**
   * What the thread runs now, for {@link PinnedPool#currentItemId()}; touched by this thread only. This
   * thread writes it twice per message, while every send reads {@link #parked} and {@link #inbox}: on
   * one cache line, each message would pull that line away from the senders' cores. Padded on both
   * sides (a superclass before, fields after), as the inbox pads its indices.
   */
  static final class Current extends CurrentFields {
    long p10, p11, p12, p13, p14, p15, p16, p17;
  }
}
