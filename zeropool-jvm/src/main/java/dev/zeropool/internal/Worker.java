package dev.zeropool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker thread's loop. Order of looking for work:
 * <ol>
 *   <li>its own run-next slot (follow-up work it submitted itself), at most {@link #MAX_LOCAL_STREAK}
 *       times in a row, so a chain of local hand-offs cannot starve the shared queues;</li>
 *   <li>a run from the shared queues, foreground first, and its own {@link LocalQueue} (tasks it gave
 *       way to, or pushed out of its run-next slot): the two take turns (a run of the shared queues that
 *       began while the local queue held tasks is followed by one local task), so a steady inflow to
 *       either cannot starve the other;</li>
 *   <li>another worker's local queue, then its run-next slot (stealing, so nothing waits behind a long
 *       task);</li>
 *   <li>otherwise {@link Parking#awaitWork} spins, then parks, until a submission signals.</li>
 * </ol>
 *
 * <p>Invariant: {@code idle} is true exactly while this worker is on the pool's idle stack (it is set
 * before the push and cleared by whoever pops it), so a signal never pops a worker twice. If the
 * thread dies, the pool starts a new thread on this same object, which keeps that invariant intact.
 */
final class Worker implements Runnable {

  /** Local tasks a worker runs in a row before it looks at the shared queues (kotlinx uses 16 too). */
  static final int MAX_LOCAL_STREAK = 16;

  private static final VarHandle PROGRESS;

  static {
    try {
      PROGRESS = MethodHandles.lookup().findVarHandle(Worker.class, "progress", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final WorkerPool pool;
  /** Position in {@link WorkerPool#workers}; the idle stack stores {@code index + 1}. */
  final int index;
  /** The run of tasks being executed, read in place from the queue. */
  final RunClaim run = new RunClaim();
  /** Follow-up work this worker submitted itself. */
  final RunNextSlot runNext = new RunNextSlot();
  /** Work this worker queued behind other work: tasks it gave way to, or pushed out of {@link #runNext}. */
  final LocalQueue localQueue = new LocalQueue();
  /** Carries the older half of a full local queue to the shared queue; see {@link LocalQueue#takeOlderHalf}. */
  final Object[] spill = new Object[LocalQueue.CAPACITY / 2];
  /** The thread running this worker; replaced if it dies. */
  volatile Thread thread;
  volatile boolean idle;
  /** The idle stack entry below this one; written before the push that publishes it. */
  int nextIdle;
  /**
   * While idle: the other worker whose run-next task this one watches, that worker's progress when
   * first seen, and since when (see {@link Parking}); this thread's own bookkeeping.
   */
  Worker watched;
  long watchedProgress;
  long watchedSince;
  /**
   * Work items taken so far, for the starvation watchdog. Written only by this worker, with an opaque
   * store (no fence: the watchdog needs to see it change eventually, not in order with anything).
   */
  private long progress;

  Worker(WorkerPool pool, int index) {
    this.pool = pool;
    this.index = index;
  }

  void tookWork() {
    PROGRESS.setOpaque(this, progress + 1);
  }

  long progress() {
    return (long) PROGRESS.getOpaque(this);
  }

  /**
   * Owner only: its own local work oldest first (the local queue, then the run-next slot, whose task is
   * the newest), else a task stolen from another worker's local work; null when there is none.
   */
  Runnable takeLocalOrSteal() {
    Runnable local = localQueue.poll();
    if (local == null && (local = runNext.take()) == null) {
      local = pool.stealLocal(this);
    }
    return local;
  }

  /** {@return the worker of {@code pool} running on the current thread, or null} */
  static Worker current(WorkerPool pool) {
    return pool.workerThreads.current();
  }

  @Override
  public void run() {
    Throwable died = null;
    try {
      pool.workerThreads.add(this);
      if (pool.affinity != null) {
        try {
          pool.affinity.pinCurrentThread(index);
        } catch (RuntimeException | LinkageError e) {
          TaskRunner.reportUncaught(e); // run unpinned rather than die and be replaced in a loop
        }
      }
      int localStreak = 0;
      // Set by a run from the shared queues that began while the local queue held tasks: one of them
      // goes next. A task queued locally during that run waits for the next one, so it still runs
      // behind the shared work that was waiting when it was queued.
      boolean localQueueTurn = false;
      for (;;) {
        Runnable local = localStreak < MAX_LOCAL_STREAK ? runNext.take() : null;
        if (local != null) {
          localStreak++;
          tookWork();
          pool.runner.runLocal(local, run, true);
          continue;
        }
        localStreak = 0;
        if (localQueueTurn) {
          localQueueTurn = false;
          if ((local = localQueue.poll()) != null) {
            tookWork();
            pool.runner.runLocal(local, run, true);
            continue;
          }
        }
        // Looking at the head slots first keeps an idle worker from reading the producers' tail on
        // every empty poll (which would pull that cache line away from a producer about to claim).
        if (pool.hasPublishedWork() && pool.poll(run, null) > 0) {
          localQueueTurn = !localQueue.isEmpty();
          tookWork();
          pool.parking.signalIfMoreWork(pool); // the cascade: the submitter paid for one unpark, we pay for the next
          pool.runner.runClaimed(run, true);
          continue;
        }
        if ((local = takeLocalOrSteal()) != null) {
          tookWork();
          pool.runner.runLocal(local, run, true);
          continue;
        }
        if (!pool.parking.awaitWork(this, pool)) {
          return;
        }
      }
    } catch (Throwable t) {
      died = t;
      throw t; // the thread's uncaught-exception handler reports it; the pool starts a replacement
    } finally {
      try {
        pool.workerThreads.removeCurrent();
      } finally {
        pool.workerEnded(this, died); // even if the table could not be copied: the pool must hear of the end
      }
    }
  }
}
