package dev.zeropool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One submission of {@code units} units of work, numbered {@code [0, units)}, that any number of
 * threads claim by index: the descriptor behind a fork ({@code join}, {@code joinAll}), a parallel
 * loop and a spawned task. It is the only object a call allocates: nothing is stored per unit on the
 * submitting side or the running side, so a call costs the same whether it has 2 units or 2 million.
 *
 * <h2>Claiming</h2>
 * A thread claims a chunk {@code [c, min(c + size, units))} with one {@code getAndAdd(cursor, size)}
 * returning {@code c}; a result {@code >= units} is a failed claim. The chunk size is either fixed
 * (a {@code Split} asked for it; joins use 1) or guided: the unclaimed units divided by twice the
 * number of parties (workers + the caller), so chunks are big while much is left and single units
 * at the end. The size is computed from a plain read of the cursor; a stale read only makes a chunk
 * a little too big or too small, never wrong.
 *
 * <p><b>Cursor invariant.</b> Each unit in {@code [0, units)} is inside exactly one successful claim
 * (the {@code getAndAdd} results of successive claims are disjoint and increasing), and the cursor
 * never overflows: every {@code getAndAdd} is preceded by a read that saw {@code cursor < units} and
 * adds at most {@code units}, so {@code cursor < units * (1 + T)} for {@code T} threads claiming at
 * once, which a {@code long} cannot exceed. Stale claims (a worker taking a queue slot of an entry
 * that finished long ago) read the cursor, see it exhausted and add nothing.
 *
 * <h2>Completion</h2>
 * {@code unfinished} counts units not yet finished; a claimer subtracts its chunk after running it
 * (one atomic per chunk). The thread that brings it to zero swaps the waiter list for {@code DONE}
 * and unparks the waiters. The chain of volatile read-modify-writes makes every unit's writes visible
 * to whoever sees zero. A unit that throws ends its chunk (the chunk's later units are skipped); the
 * first failure is kept as a {@link CompletionException} and later ones are attached as suppressed
 * (at most {@link #MAX_SUPPRESSED}); then every unclaimed unit is skipped: one
 * {@code getAndAdd(cursor, units)} claims the whole rest, which is counted as finished without running.
 * The failure is published before the decrement that follows it, so whoever sees zero sees it.
 *
 * <h2>Reaching the workers</h2>
 * {@link #publish()} puts one slot on the pool's queue: the handle {@link WorkerPool#RUN_RUNNABLE}
 * with this entry as its parameter, foreground tier (background for spawned tasks). A worker that
 * polls the slot claims its first chunk and, if units are still unclaimed and fewer than
 * {@code workers} slots were issued, puts one more slot on the queue before running it, which wakes
 * the next idle worker: the submitter pays for one queue append and one wake-up, the workers for the
 * rest (the {@code ForkJoinPool} cascade, one level up). A slot of an entry that is already exhausted
 * costs its worker one failed claim. After {@code shutdownNow()} a slot is handed back as a
 * {@code Runnable} that claims what is left, so nothing is run twice.
 *
 * <h2>The caller works too</h2>
 * The thread that made the call runs units itself from the start ({@link #invoke()}). With a fixed
 * chunk size it publishes first, so workers wake while it works. With the guided default it first
 * runs chunks of 1, 4, 16, ... units alone, timing them, and publishes only once the measured rate
 * says the rest would take longer than {@link #PUBLISH_NANOS} (a wake-up costs microseconds): a loop
 * too short to gain from other threads runs like a plain loop, with no wake-up and no shared writes.
 *
 * <h2>Scope: who may help whom</h2>
 * A thread that waits for an entry runs only units of its <em>scope</em>: the entry itself and the
 * entries forked, directly or transitively, by its units. Never another caller's entry, never a
 * spawned task it did not join, never an unrelated queued task (so a lock held across a join can
 * never be needed by the work the waiter picks up, the cycle {@code ForkJoinPool.helpJoin} can close).
 * The tree is kept like this:
 * <ul>
 *   <li>A thread that runs a chunk notes the entry in its {@link Frame} for that time. An entry
 *       created meanwhile (a nested {@code join} or loop inside a unit) takes it as its
 *       {@code parent}; spawned tasks take none (nobody waits for them through their spawner).</li>
 *   <li>When an entry is published it pushes itself on its parent's {@code children}, a Treiber
 *       stack threaded through the entries' own {@code nextSibling} fields (no node objects). The
 *       push drops the finished entries on top of the stack, so it stays short: at most one live child
 *       per running unit of the parent, plus finished ones buried below a live one. An entry is
 *       pushed once and never reused, so a stale CAS cannot succeed (no ABA).</li>
 *   <li>A waiter whose entry has nothing left to claim walks its children depth first and runs one
 *       chunk of the first descendant that has one, then looks again from the top.</li>
 * </ul>
 *
 * <h2>Why waiting cannot deadlock</h2>
 * Every unit of an entry {@code E} is either unclaimed, and then {@code E}'s waiter can claim and run
 * it itself (nothing ever blocks a claim), or claimed by a thread that is running it. A thread
 * running a unit is either executing user code or waiting for an entry created inside that unit,
 * which is deeper in the tree. A waiter only ever runs, on top of its own wait, chunks of entries
 * below the one it waits for. So every chain of threads waiting on each other follows the tree
 * downwards and ends at a thread executing user code: by induction on the depth below {@code E}
 * (finite, since every call returns only once its entry is done), every claimed unit of {@code E}
 * finishes, and with it {@code E}. A blocked waiter pins no worker that its own scope needs.
 *
 * <h2>Waiting</h2>
 * When neither its entry nor any descendant has a unit left to claim (all of them are running on
 * other threads), the waiter spins for {@link #SPIN_NANOS} with {@link Thread#onSpinWait()}, looking
 * for new descendants between spins, then lists itself on the waiter list and parks. The last unit to
 * finish unparks it; so does a child pushed on its entry (it may help that child). A child is pushed
 * (CAS of {@code children}, then a read of {@code waiters}) while a waiter lists itself (CAS of
 * {@code waiters}, then a walk of {@code children}): all volatile, so at least one side sees the other
 * and no new child goes unnoticed by a parked waiter. A grandchild does not wake it: its parent's
 * own thread is running and will run it.
 */
public abstract class RangeEntry implements Runnable {

  /** The failed-claim result of {@link #claim}. */
  static final long NONE = -1L;

  /** Most failures attached as suppressed to the first one (the rest are counted only by their absence). */
  static final int MAX_SUPPRESSED = 16;

  /** How long a waiter spins before it parks; {@code -Dzeropool.forkJoin.spinNanos}. */
  static final long SPIN_NANOS = Math.max(0, Long.getLong("zeropool.forkJoin.spinNanos", 20_000L));

  /**
   * The guided caller publishes once the rest of its range is estimated to take longer than this
   * ({@code -Dzeropool.forkJoin.publishNanos}): a parked worker needs 2-13 µs to run after a
   * wake-up here, so shorter work is over before help could arrive.
   */
  static final long PUBLISH_NANOS = Math.max(0, Long.getLong("zeropool.forkJoin.publishNanos", 20_000L));

  /** Measurements shorter than this are too coarse (timer granularity) to extrapolate from. */
  private static final long MIN_PROBE_NANOS = 1_000L;

  /** The entry whose chunk the current thread is running, per thread. */
  private static final ThreadLocal<Frame> FRAME = ThreadLocal.withInitial(Frame::new);

  /** Marks the waiter list of a finished entry. */
  private static final Object DONE = new Object();

  private static final VarHandle CURSOR;
  private static final VarHandle UNFINISHED;
  private static final VarHandle FAILURE;
  private static final VarHandle SUPPRESSED;
  private static final VarHandle WAITERS;
  private static final VarHandle SLOTS;
  private static final VarHandle CHILDREN;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CURSOR = lookup.findVarHandle(RangeEntry.class, "cursor", long.class);
      UNFINISHED = lookup.findVarHandle(RangeEntry.class, "unfinished", int.class);
      FAILURE = lookup.findVarHandle(RangeEntry.class, "failure", CompletionException.class);
      SUPPRESSED = lookup.findVarHandle(RangeEntry.class, "suppressed", int.class);
      WAITERS = lookup.findVarHandle(RangeEntry.class, "waiters", Object.class);
      SLOTS = lookup.findVarHandle(RangeEntry.class, "slots", int.class);
      CHILDREN = lookup.findVarHandle(RangeEntry.class, "children", RangeEntry.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Null only in model tests, which drive claiming and counting by hand. */
  final WorkerPool pool;
  final int units;
  /** Units per claim, or 0 for guided sizes. */
  private final int fixedChunk;
  /** Guided sizes divide the rest among this many parties. */
  private final int parties;
  private final boolean inBackground;
  /** The entry whose unit created this one, or null: whose waiters may help this one. */
  private final RangeEntry parent;
  private volatile long cursor;
  private volatile int unfinished;
  private volatile CompletionException failure;
  private volatile int suppressed;
  /** Null, a parked {@link Thread}, a {@link Waiter} chain, or {@link #DONE}. */
  private volatile Object waiters;
  /** Queue slots issued for this entry. */
  private volatile int slots;
  /** Top of the stack of published child entries. */
  private volatile RangeEntry children;
  /** The next entry down in the parent's {@code children}; written once, before the push. */
  private RangeEntry nextSibling;

  /**
   * @param pool the pool whose workers help (null only in model tests)
   * @param units number of units, at least 1
   * @param fixedChunk units per claim, or 0 for guided sizes
   * @param inBackground whether the slots go to the background tier
   * @param parent the entry whose waiters may help this one ({@link #current()} for a fork), or null
   */
  protected RangeEntry(WorkerPool pool, int units, int fixedChunk, boolean inBackground, RangeEntry parent) {
    this.pool = pool;
    this.units = units;
    this.fixedChunk = fixedChunk;
    this.parties = pool == null ? 2 : pool.shareOf;
    this.inBackground = inBackground;
    this.parent = parent;
    this.unfinished = units;
  }

  /** {@return the entry whose unit the calling thread is running, or null} */
  public static RangeEntry current() {
    return FRAME.get().current;
  }

  /**
   * Runs units {@code [from, to)} in order. A throw ends the chunk; the failure is recorded and the
   * units after the throwing one are skipped.
   */
  protected abstract void runUnits(int from, int to) throws Exception;

  // ---- claiming and counting ----

  /** Claims a chunk of the default size: {@code (from << 32) | to}, or {@link #NONE}. */
  final long claim() {
    // an exhausted cursor gives size 1 here, and claim(int) answers NONE without an atomic
    return claim(fixedChunk > 0 ? fixedChunk : (int) Math.max(1, (units - cursor) / (2L * parties)));
  }

  /** Claims up to {@code size} units: {@code (from << 32) | to}, or {@link #NONE}. */
  final long claim(int size) {
    if (cursor >= units) {
      return NONE; // exhausted: no atomic, so stale claims never move the cursor
    }
    long from = (long) CURSOR.getAndAdd(this, (long) size);
    if (from >= units) {
      return NONE;
    }
    return (from << 32) | Math.min(from + size, units);
  }

  /** Records that {@code count} claimed units finished (ran, failed or were skipped). */
  final void finish(int count) {
    if ((int) UNFINISHED.getAndAdd(this, -count) == count) {
      complete();
    }
  }

  /** Claims every unit nobody has claimed yet and counts it as finished without running it. */
  final void skipRest() {
    if (cursor >= units) {
      return;
    }
    long from = (long) CURSOR.getAndAdd(this, (long) units);
    if (from < units) {
      finish((int) (units - from));
    }
  }

  /** Records a failure: the first becomes the cause, later ones are suppressed (capped). */
  final void recordFailure(Throwable error) {
    CompletionException wrapped = error instanceof CompletionException && error.getCause() != null
        ? (CompletionException) error // a nested join's failure: keep one level of wrapping
        : null;
    if (failure == null && FAILURE.compareAndSet(this, null,
        wrapped != null ? wrapped : new CompletionException(error))) {
      return;
    }
    CompletionException first = failure;
    if (first != error && first.getCause() != error
        && (int) SUPPRESSED.getAndAdd(this, 1) < MAX_SUPPRESSED) {
      first.addSuppressed(error);
    }
  }

  /**
   * Runs a claimed chunk as the current entry of {@code frame} (so entries its units create become
   * children of this one), records a failure and skips the rest after one, then counts it finished.
   */
  final void runChunk(long claimed, Frame frame) {
    int from = (int) (claimed >>> 32);
    int to = (int) claimed;
    RangeEntry outer = frame.current;
    frame.current = this;
    try {
      runUnits(from, to);
    } catch (Throwable error) {
      recordFailure(error);
      skipRest();
    } finally {
      frame.current = outer;
    }
    finish(to - from);
  }

  /** {@link #runChunk(long, Frame)} for the calling thread. */
  final void runChunk(long claimed) {
    runChunk(claimed, FRAME.get());
  }

  /** {@return true once every unit has finished} */
  public final boolean isDone() {
    return unfinished == 0;
  }

  /** {@return true once no unit is left to claim (all claimed, or the rest skipped)} */
  public final boolean isExhausted() {
    return cursor >= units;
  }

  /** {@return the first failure, or null} */
  final CompletionException failure() {
    return failure;
  }

  /** Throws the first failure, if any; call once {@link #isDone()}. */
  protected final void throwIfFailed() {
    CompletionException error = failure;
    if (error != null) {
      throw error;
    }
  }

  // ---- publishing and workers ----

  /**
   * Puts one slot for this entry on the queue. Returns false if the pool is shut down (the caller
   * then runs every unit itself).
   */
  final boolean publish() {
    if (parent != null) {
      parent.addChild(this);
    }
    SLOTS.getAndAdd(this, 1);
    return pool.submit(WorkerPool.RUN_RUNNABLE, this, null, inBackground);
  }

  /**
   * What a worker does with a slot: claims chunks until none are left, first putting one more slot
   * on the queue (waking the next worker) if units are still unclaimed.
   */
  @Override
  public final void run() {
    long claimed = claim();
    if (claimed == NONE) {
      return; // a stale slot
    }
    if (cursor < units) {
      int issued = slots;
      if (issued < pool.workers.length && SLOTS.compareAndSet(this, issued, issued + 1)) {
        pool.submit(WorkerPool.RUN_RUNNABLE, this, null, inBackground);
      }
    }
    Frame frame = FRAME.get();
    do {
      runChunk(claimed, frame);
    } while ((claimed = claim()) != NONE);
  }

  /** Pushes a published child, dropping finished ones from the top, and wakes parked waiters to help it. */
  private void addChild(RangeEntry child) {
    for (;;) {
      RangeEntry top = children;
      RangeEntry below = top;
      while (below != null && below.unfinished == 0) {
        below = below.nextSibling;
      }
      child.nextSibling = below;
      if (CHILDREN.compareAndSet(this, top, child)) {
        break;
      }
    }
    Object w = waiters;
    if (w != null && w != DONE) {
      wake(w, false);
    }
  }

  /**
   * Runs one chunk of the first descendant of {@code entry} (depth first, newest child first) that
   * has one left to claim.
   *
   * @return false if no descendant has an unclaimed unit
   */
  private static boolean helpDescendants(RangeEntry entry, Frame frame) {
    for (RangeEntry child = entry.children; child != null; child = child.nextSibling) {
      if (child.unfinished == 0) {
        continue;
      }
      long claimed = child.claim();
      if (claimed != NONE) {
        child.runChunk(claimed, frame);
        return true;
      }
      if (helpDescendants(child, frame)) {
        return true;
      }
    }
    return false;
  }

  // ---- the caller ----

  /**
   * Runs the entry from the calling thread: claims and runs units until none are left (publishing
   * at once with a fixed chunk size, or once the guided probe says it pays), waits for the units
   * others are running, and throws the first failure.
   */
  public final void invoke() {
    Frame frame = FRAME.get();
    long claimed;
    if (fixedChunk > 0) {
      if (units > fixedChunk) {
        publish(); // with one chunk in all there is nothing to share
      }
    } else {
      long start = System.nanoTime();
      int size = 1;
      int done = 0;
      while ((claimed = claim(size)) != NONE) {
        runChunk(claimed, frame);
        done += (int) claimed - (int) (claimed >>> 32);
        long elapsed = System.nanoTime() - start;
        if (elapsed >= MIN_PROBE_NANOS && cursor < units
            && (double) elapsed * (units - done) / done >= PUBLISH_NANOS) {
          publish();
          break;
        }
        // x4: few clock reads in a short loop, and a chunk run blind lasts at most 3x what was measured
        size = size >= (1 << 28) ? size : size * 4;
      }
    }
    while ((claimed = claim()) != NONE) {
      runChunk(claimed, frame);
    }
    awaitScope(frame);
    throwIfFailed();
  }

  /**
   * Joins the entry from any thread: runs the units still unclaimed and helps its scope until every
   * unit finished. Does not throw; see {@link #throwIfFailed()}.
   */
  final void helpAndAwait() {
    Frame frame = FRAME.get();
    for (long claimed; (claimed = claim()) != NONE; ) {
      runChunk(claimed, frame);
    }
    awaitScope(frame);
  }

  // ---- waiting ----

  /**
   * Waits until every unit has finished, running chunks of descendants meanwhile; spins, then
   * parks. An interrupt does not end the wait (units are running); it is re-asserted at the end.
   */
  private void awaitScope(Frame frame) {
    if (unfinished == 0) {
      return;
    }
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    boolean listed = false;
    boolean interrupted = false;
    while (unfinished != 0) {
      if (helpDescendants(this, frame)) {
        spinUntil = System.nanoTime() + SPIN_NANOS;
      } else if (!listed) {
        if (System.nanoTime() - spinUntil < 0) {
          Thread.onSpinWait();
        } else if (addWaiter(Thread.currentThread())) {
          listed = true; // look at the children once more before parking (see the class comment)
        } else {
          break; // done meanwhile
        }
      } else {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits without running anything, at most {@code nanos}: for timed and interruptible waits, which
   * must not run units (a unit could outlast the timeout or swallow the interrupt).
   *
   * @return true if every unit finished
   */
  final boolean awaitNanos(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long deadline = System.nanoTime() + nanos;
    if (nanos <= 0 || !addWaiter(Thread.currentThread())) { // a done entry refuses the waiter
      return unfinished == 0;
    }
    while (unfinished != 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false; // stays listed until completion; a late unpark is harmless
      }
      LockSupport.parkNanos(this, Math.min(left, TimeUnit.DAYS.toNanos(1)));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    return true;
  }

  /**
   * Calls {@code callback} once every unit has finished: at once if they have, else on the thread
   * that finishes the last one. A throwing callback goes to that thread's uncaught-exception handler.
   */
  final void whenDone(Runnable callback) {
    if (!addWaiter(callback)) {
      call(callback);
    }
  }

  /** Lists a parked thread or a callback unless the entry is done; returns false if it was done. */
  private boolean addWaiter(Object waiter) {
    for (;;) {
      Object top = waiters;
      if (top == DONE) {
        return false;
      }
      Object node = top == null && waiter instanceof Thread ? waiter : new Waiter(waiter, top);
      if (WAITERS.compareAndSet(this, top, node)) {
        return true;
      }
    }
  }

  private void complete() {
    wake(WAITERS.getAndSet(this, DONE), true);
  }

  /** Unparks every listed thread of {@code list}; when {@code done}, also calls the callbacks. */
  private static void wake(Object list, boolean done) {
    for (Object w = list; w != null; ) {
      if (w instanceof Thread) {
        LockSupport.unpark((Thread) w);
        return;
      }
      Waiter node = (Waiter) w;
      if (node.waiter instanceof Thread) {
        LockSupport.unpark((Thread) node.waiter);
      } else if (done) {
        call((Runnable) node.waiter);
      }
      w = node.next;
    }
  }

  private static void call(Runnable callback) {
    try {
      callback.run();
    } catch (Throwable t) {
      TaskRunner.reportUncaught(t);
    }
  }

  @Override
  public String toString() {
    int left = unfinished;
    return getClass().getSimpleName() + "[" + (left == 0 ? "done" : left + " of " + units + " units unfinished") + "]";
  }

  /** The entry a thread is running a chunk of; one per thread, so entering a chunk allocates nothing. */
  static final class Frame {
    RangeEntry current;
  }

  /** A listed waiter after the first, or a callback (a lone first thread is listed bare, without a node). */
  private static final class Waiter {
    /** A parked {@link Thread} or a {@link Runnable} callback. */
    final Object waiter;
    /** A {@link Thread}, another {@link Waiter}, or null. */
    final Object next;

    Waiter(Object waiter, Object next) {
      this.waiter = waiter;
      this.next = next;
    }
  }
}
