package dev.zeropool.internal;

/**
 * How a thread that waits for a submission runs tasks instead of sleeping, and when a wait is refused.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>Any thread runs tasks of the submission it waits for: a batch's tasks wherever they are (it
 *       claims them from the batch's range entry), a single task while it is at the head of its
 *       queue. It never runs another caller's work.</li>
 *   <li>A worker of the pool, once nothing of its own submission is claimable, runs any queued task,
 *       the task in its own run-next slot and those in its local queue: it must keep the pool moving,
 *       or a nested join on a busy pool could wait for work that only it could run (an
 *       {@code execute} it made before it waited sits in that slot or queue).</li>
 *   <li>A wait for a submission one of whose tasks is running on the waiting thread's own stack (a
 *       task joining its own future, directly or through nested helping) can never end: it is refused
 *       with an {@link IllegalStateException} instead of hanging.</li>
 * </ol>
 *
 * <h2>Nesting</h2>
 * A helped task may wait in turn. Each nesting level uses its own {@link RunClaim} (a spare one is
 * kept per thread, so helping allocates nothing in steady state) linked to the level below, which is
 * what rule 3 walks. The claim a level is using is never touched by a deeper level.
 */
final class Helping {

  /** The innermost helping level in use on this thread, or null. */
  private static final ThreadLocal<RunClaim> INNERMOST = new ThreadLocal<>();
  /** A claim kept for this thread's next helping level. */
  private static final ThreadLocal<RunClaim> SPARE = new ThreadLocal<>();

  private Helping() {}

  /**
   * Runs tasks for a thread waiting on {@code completion} until it is done, nothing more may be run,
   * or {@code deadline} (a {@link System#nanoTime()} value; ignored when {@code timed} is false) passes.
   */
  static void help(WorkerPool pool, Completion completion, boolean timed, long deadline) {
    Worker worker = Worker.current(pool);
    RunClaim claim = SPARE.get();
    if (claim == null) {
      claim = new RunClaim();
    } else {
      SPARE.set(null);
    }
    RunClaim below = INNERMOST.get();
    claim.outer = below != null ? below : worker != null ? worker.run : null;
    INNERMOST.set(claim);
    try {
      if (completion instanceof RangeCompletion) { // its own tasks, wherever its slots sit in the queue
        RangeCompletion entry = (RangeCompletion) completion;
        entry.countWaiter();
        pool.runner.runRange(entry, claim, worker != null);
      }
      while (!completion.isDone() && !(timed && System.nanoTime() - deadline >= 0)) {
        int taken = pool.poll(claim, completion);
        if (taken == 0 && worker != null) {
          taken = pool.poll(claim, null);
          if (taken == 0) {
            Runnable local = worker.runNext.take();
            if (local != null || (local = worker.localQueue.poll()) != null) {
              pool.runner.runLocal(local, false);
              continue;
            }
          }
        }
        if (taken == 0) {
          return;
        }
        pool.runner.runClaimed(claim, worker != null);
      }
    } finally {
      INNERMOST.set(below);
      claim.outer = null;
      SPARE.set(claim);
    }
  }

  /** Rule 3: throws if a task of {@code completion} is running on this thread's stack. */
  static void requireNotOwnTask(WorkerPool pool, Completion completion) {
    RunClaim level = INNERMOST.get();
    if (level == null) {
      Worker worker = Worker.current(pool);
      level = worker != null ? worker.run : null;
    }
    for (; level != null; level = level.outer) {
      if (level.running == completion) {
        throw new IllegalStateException("a task waits for its own submission (" + completion
            + "): it can never finish while it waits for itself");
      }
    }
  }
}
