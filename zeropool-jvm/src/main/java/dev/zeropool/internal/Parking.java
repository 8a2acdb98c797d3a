package dev.zeropool.internal;

import dev.zeropool.PoolMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Where idle workers wait, and how submissions wake them.
 *
 * <h2>Structure</h2>
 * Idle workers park on a Treiber stack packed into {@code idleCtl} (low 32 bits: top worker index + 1,
 * high 32 bits: a stamp bumped by every push and pop, so a pop that read a stale {@code nextIdle}
 * fails its CAS: no ABA). Before it lists itself, one idle worker at a time may spin for the
 * configured window ({@code spinning}), which catches the next task without any wake-up. The spinner
 * keeps its core only while another worker is listed (a core is then free for the next submitter) and
 * yields it otherwise; in a pool of more workers than processors it always yields, since there a
 * listed worker does not mean a free core. Its first look at the shared queues comes
 * {@link #FIRST_POLL_AFTER_NANOS} after it starts, so that a streaming producer's tasks are taken in
 * runs, not chased one by one.
 *
 * <h2>Wake-up rules</h2>
 * <ol>
 *   <li>A submission wakes nobody while a worker spins: the spinner will see the task (rule 3).</li>
 *   <li>Otherwise it pops and unparks one listed worker. A worker that takes a run and sees more work
 *       waiting pops the next one (a cascade, as in {@code ForkJoinPool}), so submitting N tasks wakes
 *       at most min(N, idle workers) threads and the submitter pays for one unpark at most.</li>
 *   <li>A worker going idle clears {@code spinning}, (1) lists itself, then (2) looks for work (both
 *       queues, the other workers' local queues and run-next slots) and parks only if it found none.
 *       A task in another worker's local queue is stolen at once: it waits behind its owner's current
 *       task.</li>
 *   <li>A task in another worker's run-next slot is left to its owner while the owner makes progress
 *       (a ping-pong stays on one core) and stolen once the owner has taken no work for
 *       {@link #STEAL_AFTER_NANOS}. An idle worker that sees only such tasks takes itself off the
 *       stack and sleeps for {@link #RECHECK_NANOS}, then looks again: the owner's next local
 *       submissions find nobody to wake.</li>
 * </ol>
 *
 * <h2>No lost wake-up</h2>
 * A submitter (1) publishes its work with a volatile write (the queue's tail CAS, the run-next
 * slot's swap, or the local queue's producer index), then (2) reads {@code spinning} and {@code idleCtl}. Volatile accesses are totally
 * ordered, so: if the submitter saw {@code spinning} true, the spinner's later clear of it, its push and
 * its look for work all come after the publication, and it sees the work; if it saw a worker listed,
 * it unparks it; if it saw neither, every worker that lists itself later looks for work after the
 * publication and sees it. Workers that were never idle are busy and will look for work before they
 * go idle. So published work is always either seen by a worker about to park or followed by an unpark.
 * The one exception is bounded: a worker asleep for {@link #RECHECK_NANOS} without being listed (rule
 * 4) is not woken by a submission; it looks again when that time is up, and the owner it watches looks
 * at the shared queues after at most {@link Worker#MAX_LOCAL_STREAK} local tasks.
 *
 * <p>Only that last look before parking must see every claimed slot, so only it reads the producers'
 * tail ({@link TaskQueue#isEmpty()}). The spin loop and the cascade poll the head slots
 * ({@link TaskQueue#hasPublishedWork()}), which a producer does not contend for: a task they miss
 * because it is being published right now is signalled by its producer, as above.
 */
final class Parking {

  private static final long TOP_MASK = 0xFFFF_FFFFL;
  private static final long STAMP_UNIT = 1L << 32;

  private static final VarHandle IDLE_CTL;
  private static final VarHandle WAKE_UPS;
  private static final VarHandle SPINNING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      IDLE_CTL = lookup.findVarHandle(Parking.class, "idleCtl", long.class);
      WAKE_UPS = lookup.findVarHandle(Parking.class, "wakeUps", long.class);
      SPINNING = lookup.findVarHandle(Parking.class, "spinning", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** How long a spinner lets a task sit in the run-next slot of a worker that makes no progress before it steals it. */
  static final long STEAL_AFTER_NANOS = 3_000;
  /**
   * How long a spinner waits before its first look at the shared queues' heads. A worker spins right
   * after it drained them; when one producer streams tasks, polling at once would take them one at a
   * time, each take pulling the lines the producer writes next away from it (measured: a one-worker
   * stream of empty jobs, 85-97 ns a job polling at once, 64-71 ns waiting 500 ns). Waiting lets
   * a run's worth queue up for one claim; a task that arrives meanwhile waits at most this long,
   * against the microseconds a parked worker needs to wake.
   */
  static final long FIRST_POLL_AFTER_NANOS = 500;
  /** How often a spinner looks at the other workers' run-next slots. */
  static final long LOOK_EVERY_NANOS = 1_000;
  /**
   * How long an idle worker that sees only other workers' run-next tasks sleeps, unlisted, before it
   * looks again (kotlinx's scheduler waits up to 100 µs in the same situation).
   */
  static final long RECHECK_NANOS = 50_000;

  private final Worker[] workers;
  final long spinNanos;
  /**
   * Whether the spinner may keep its core while another worker is listed: only when the pool has no
   * more workers than processors. With 16 workers on 2 cores, a spinner that kept its core left one core
   * to the submitter and to the workers it woke, and batches of single submissions stalled for about a
   * millisecond at a time (a producer submitting 1000 trivial tasks and joining them: p75 1.3 µs a task
   * and 54 wake-ups per 1000 tasks; yielding: 0.11 µs and 8).
   */
  final boolean spinnerMayKeepCore;
  /** Null when no hook is installed. */
  private final PoolMetrics metrics;
  private volatile long idleCtl;
  /** Workers unparked by a signal; counted on the unpark path only, which costs microseconds anyway. */
  private volatile long wakeUps;
  /** True while one idle worker spins before parking. */
  private volatile boolean spinning;

  Parking(Worker[] workers, long spinNanos, PoolMetrics metrics) {
    this.workers = workers;
    this.spinNanos = spinNanos;
    this.metrics = metrics;
    this.spinnerMayKeepCore = workers.length <= Runtime.getRuntime().availableProcessors();
  }

  /** Wakes one idle worker unless one is spinning or none is listed: call after publishing work. */
  void signalWork() {
    if (spinning) {
      return; // rule 1: the spinner looks for work again before it can park
    }
    for (;;) {
      long ctl = idleCtl;
      int top = (int) (ctl & TOP_MASK);
      if (top == 0) {
        return;
      }
      Worker w = workers[top - 1];
      long popped = ((ctl & ~TOP_MASK) + STAMP_UNIT) | w.nextIdle;
      if (IDLE_CTL.compareAndSet(this, ctl, popped)) {
        w.idle = false;
        WAKE_UPS.getAndAdd(this, 1L);
        if (metrics != null) {
          metrics.workerWokeUp();
        }
        LockSupport.unpark(w.thread);
        return;
      }
    }
  }

  /**
   * The cascade: a worker that just took work wakes the next idle worker if more is waiting. It looks
   * only for published work (not at the producers' tail, which it would pull away from them): a task
   * still being published is signalled by its own producer.
   */
  void signalIfMoreWork(WorkerPool pool) {
    if (anyListed() && pool.hasPublishedWork()) {
      signalWork();
    }
  }

  /**
   * Called by a worker that found no work. Spins for the configured window (one worker at a time:
   * one spinner is enough to catch the next task, and more would take cores from the threads that
   * produce the work), then lists itself and parks.
   *
   * @return true to look for work again, false when the pool is shut down and drained
   */
  boolean awaitWork(Worker w, WorkerPool pool) {
    w.watched = null;
    if (spinNanos > 0 && SPINNING.compareAndSet(this, false, true)) {
      boolean found;
      try {
        found = spinForWork(w, pool);
      } finally {
        spinning = false;
      }
      if (found) {
        return true;
      }
    }
    if (!w.idle) {
      pushIdle(w);
    }
    boolean relist = false;
    for (;;) {
      if (relist && !w.idle) {
        pushIdle(w); // list before looking, as the no-lost-wake-up argument needs
      }
      relist = false;
      // Its own run-next slot and local queue are empty here: only this thread fills them, and its
      // loop took from them first.
      if (pool.hasQueuedWork() || pool.hasLocallyQueuedWork(w)) {
        tryUnlist(w);
        return true;
      }
      Worker busy = pool.workerWithLocalWork(w);
      if (busy != null) {
        if (ownerStuck(w, busy, System.nanoTime()) || pool.mayExit()) {
          tryUnlist(w);
          return true; // steal it
        }
        // The owner is running its follow-up work itself. Look again in a while, unlisted, so that
        // its next local submissions find nobody to wake (a ping-pong would otherwise pay an unpark
        // and a steal per spin window); a task submitted meanwhile from outside waits at most this
        // long, or until the owner looks at the shared queue (every MAX_LOCAL_STREAK tasks).
        tryUnlist(w);
        relist = true;
        LockSupport.parkNanos(this, RECHECK_NANOS);
        continue;
      }
      if (pool.mayExit()) {
        return false; // both queues shut and empty: nothing can arrive any more
      }
      if (!w.idle) {
        return true; // a submitter popped us
      }
      LockSupport.park(this);
    }
  }

  /**
   * The spin of {@link #awaitWork}, while this worker holds {@code spinning}: true as soon as it sees
   * work, false when the window has passed without any.
   */
  private boolean spinForWork(Worker w, WorkerPool pool) {
    long now = System.nanoTime();
    long end = now + spinNanos;
    long lastLook = now - LOOK_EVERY_NANOS;
    long firstPoll = now + FIRST_POLL_AFTER_NANOS;
    do {
      if (now - firstPoll >= 0 && pool.hasPublishedWork()) { // leaves the producers' tail alone; the check before parking does not
        return true;
      }
      // The other workers' slots and progress counters are written by their owners on every
      // task, so they are read rarely: each read takes the line away from the owner, whose next
      // write then misses.
      if (now - lastLook >= LOOK_EVERY_NANOS) {
        lastLook = now;
        if (pool.hasLocallyQueuedWork(w)) {
          return true; // steal it: it waits behind its owner's current task
        }
        Worker busy = pool.workerWithLocalWork(w);
        if (busy != null && ownerStuck(w, busy, now)) {
          return true;
        }
      }
      // Keep the core only while another worker is listed idle (and the pool does not outnumber the
      // cores): then a core is free for whoever submits next. Otherwise this spinner and the busy
      // workers fill the cores (one worker per core is the default), and the next submitter, often a
      // thread outside the pool, would wait for the OS to preempt the spinner (milliseconds): give it
      // the core instead.
      if (spinnerMayKeepCore && anyListed()) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
      now = System.nanoTime();
    } while (now - end < 0);
    return false;
  }

  /**
   * True once {@code busy} has held a run-next task without taking any work for
   * {@link #STEAL_AFTER_NANOS}, as watched by idle worker {@code w} (whose own fields keep the watch).
   * Its owner usually runs such a task within a microsecond (a ping-pong), and stealing it would move
   * the pair apart; an owner stuck in a long or blocked task must not strand it.
   */
  static boolean ownerStuck(Worker w, Worker busy, long now) {
    long progress = busy.progress();
    if (busy != w.watched || progress != w.watchedProgress) {
      w.watched = busy;
      w.watchedProgress = progress;
      w.watchedSince = now;
      return false;
    }
    return now - w.watchedSince >= STEAL_AFTER_NANOS;
  }

  /** Lists {@code w} on the idle stack; only {@code w}'s own thread calls it, and only while it is not listed. */
  void pushIdle(Worker w) {
    w.idle = true;
    for (;;) {
      long ctl = idleCtl;
      w.nextIdle = (int) (ctl & TOP_MASK);
      if (IDLE_CTL.compareAndSet(this, ctl, ((ctl & ~TOP_MASK) + STAMP_UNIT) | (w.index + 1))) {
        return;
      }
    }
  }

  /** A worker that found work right after listing itself takes itself off the stack if it is on top. */
  void tryUnlist(Worker w) {
    long ctl = idleCtl;
    if ((ctl & TOP_MASK) == w.index + 1
        && IDLE_CTL.compareAndSet(this, ctl, ((ctl & ~TOP_MASK) + STAMP_UNIT) | w.nextIdle)) {
      w.idle = false;
    }
    // Otherwise it stays listed while it works; a signal that pops it later costs a spare unpark.
  }

  /** Unparks every worker, listed or not: shutdown uses it so that each one re-checks the state. */
  void wakeAll() {
    for (Worker w : workers) {
      LockSupport.unpark(w.thread);
    }
  }

  /** {@return whether any worker is on the idle stack} */
  private boolean anyListed() {
    return (idleCtl & TOP_MASK) != 0;
  }

  /** {@return the indices of the workers on the idle stack, top first; exact only when quiescent} */
  int[] listedWorkers() {
    int[] listed = new int[workers.length + 1]; // one spare slot shows a cycle instead of hiding it
    int count = 0;
    for (int top = (int) (idleCtl & TOP_MASK); top != 0 && count < listed.length;
        top = workers[top - 1].nextIdle) {
      listed[count++] = top - 1;
    }
    return Arrays.copyOf(listed, count);
  }

  long wakeUps() {
    return wakeUps;
  }

  int idleWorkers() {
    int count = 0;
    for (Worker w : workers) {
      if (w.idle) {
        count++;
      }
    }
    return count;
  }
}
