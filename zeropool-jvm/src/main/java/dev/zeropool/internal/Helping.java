package dev.zeropool.internal;

/**
 * How a thread that waits for a submission runs tasks instead of sleeping, and when a wait is refused.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>Any thread runs tasks of the submission it waits for: a batch's tasks wherever they are (it
 *       claims them from the batch's range entry), a single task while it is at the head of its
 *       queue, and a worker its own {@code submitTask} while that task is still in its run-next slot
 *       (see {@link LocalTask}). It never runs another caller's work.</li>
 *   <li>A worker of the pool, once nothing of its own submission is claimable, runs any queued task,
 *       the tasks in its local queue and then the one in its run-next slot (oldest first), then steals
 *       from the other workers' local work: it must keep the pool moving, or a nested join on a busy
 *       pool could wait for work that only it could run (an {@code execute} it made before it waited
 *       sits in that slot or queue), or for a subtask that sits behind a worker which is itself
 *       blocked.</li>
 *   <li>A wait for a submission one of whose tasks is running on the waiting thread's own stack (a
 *       task joining its own future, directly or through nested helping) can never end: it is refused
 *       with an {@link IllegalStateException} instead of hanging.</li>
 * </ol>
 *
 * <h2>Nesting</h2>
 * A helped task may wait in turn. Each nesting level uses its own {@link RunClaim} (a spare one is
 * kept per thread, so helping allocates nothing in steady state) linked to the level below, which is
 * what rule 3 walks. The claim a level is using is never touched by a deeper level. One exception
 * keeps the fork-join pattern cheap: a worker's own subtask joined while still in its run-next slot
 * runs at the current level ({@link #runIfStillInOwnSlot}); it records itself as that level's running
 * task and keeps the one it replaced in {@link LocalTask#below}, and rule 3 walks that chain too.
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
      if (worker != null && completion instanceof LocalTask) {
        runIfInSlot(pool, worker, (LocalTask) completion, claim);
      }
      if (completion instanceof RangeCompletion) { // its own tasks, wherever its slots sit in the queue
        RangeCompletion entry = (RangeCompletion) completion;
        entry.countWaiter();
        // a timed wait claims no further chunk once its deadline has passed
        pool.runner.runRange(entry, claim, worker != null, timed, deadline);
      }
      while (!completion.isDone() && !(timed && System.nanoTime() - deadline >= 0)) {
        int taken = pool.poll(claim, completion);
        if (taken == 0 && worker != null) {
          taken = pool.poll(claim, null);
          if (taken == 0) {
            // Its own local work oldest first, so a subtask forked before another one runs before it:
            // a join stops helping once its own subtask is done.
            Runnable local = worker.takeLocalOrSteal();
            if (local != null) {
              pool.runner.runLocal(local, claim, false);
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

  /**
   * The fork-join fast path: a worker that joins its own {@code submitTask} while the task still sits
   * in its run-next slot takes it back and runs it at its current nesting level, without opening a
   * helping level. Rule 3 has nothing to check (a task still in the slot is on no stack), and the run
   * still records the task as running, for waits made inside it.
   */
  static void runIfStillInOwnSlot(WorkerPool pool, LocalTask task) {
    Worker worker = Worker.current(pool);
    if (worker != null) {
      RunClaim level = INNERMOST.get();
      runIfInSlot(pool, worker, task, level != null ? level : worker.run);
    }
  }

  /** Runs {@code task} at {@code level} if it is still in {@code worker}'s run-next slot (the worker's own thread). */
  private static void runIfInSlot(WorkerPool pool, Worker worker, LocalTask task, RunClaim level) {
    if (worker.runNext.remove(task)) {
      pool.runner.runLocal(task, level, false);
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
      for (Completion running = level.running; running != null;
          running = running instanceof LocalTask ? ((LocalTask) running).below : null) {
        if (running == completion) {
          throw new IllegalStateException("a task waits for its own submission (" + completion
              + "): it can never finish while it waits for itself");
        }
      }
    }
  }
}
