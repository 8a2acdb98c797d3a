package dev.zeropool.internal;

/**
 * One worker thread's loop: take a run of tasks (foreground first), run it, repeat; when both queues
 * are empty, let {@link WorkerPool#awaitWork} park it until a submission signals.
 *
 * <p>Invariant: {@code idle} is true exactly while this worker is on the pool's idle stack (it is set
 * before the push and cleared by whoever pops it), so a signal never pops a worker twice. If the
 * thread dies, the pool starts a new thread on this same object, which keeps that invariant intact.
 */
final class Worker implements Runnable {

  private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();

  final WorkerPool pool;
  /** Position in {@link WorkerPool#workers}; the idle stack stores {@code index + 1}. */
  final int index;
  /** The run of tasks being executed, read in place from the queue. */
  final RunClaim run = new RunClaim();
  /** The thread running this worker; replaced if it dies. */
  volatile Thread thread;
  volatile boolean idle;
  /** The idle stack entry below this one; written before the push that publishes it. */
  int nextIdle;

  Worker(WorkerPool pool, int index) {
    this.pool = pool;
    this.index = index;
  }

  /** {@return the worker of {@code pool} running on the current thread, or null} */
  static Worker current(WorkerPool pool) {
    Worker w = CURRENT.get();
    return w != null && w.pool == pool ? w : null;
  }

  @Override
  public void run() {
    CURRENT.set(this);
    Throwable died = null;
    try {
      if (pool.affinity != null) {
        try {
          pool.affinity.pinCurrentThread(index);
        } catch (RuntimeException | LinkageError e) {
          WorkerPool.reportUncaught(e); // run unpinned rather than die and be replaced in a loop
        }
      }
      for (;;) {
        if (pool.poll(run, null) > 0) {
          pool.signalIfMoreWork(); // the wake-up cascade: the submitter paid for one unpark, we pay for the next
          pool.runTasks(run, true);
        } else if (!pool.awaitWork(this)) {
          return;
        }
      }
    } catch (Throwable t) {
      died = t;
      throw t; // the thread's uncaught-exception handler reports it; the pool starts a replacement
    } finally {
      CURRENT.remove();
      pool.workerEnded(this, died);
    }
  }
}
