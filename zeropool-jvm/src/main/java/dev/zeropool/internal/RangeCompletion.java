package dev.zeropool.internal;

import dev.zeropool.CancellationToken;
import dev.zeropool.TaskFn;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A batch run as one range entry: a uniform batch ({@code submitBatch(fn, array or list)}) or a
 * pre-built {@code TaskBatch}, whose tasks {@code [0, units)} workers and waiters claim by index. It is
 * the batch's future as well, so a submission is still one object and nothing is stored per task:
 * the tasks are read straight from the caller's array or list, never copied into the queue's ring.
 *
 * <h2>Claiming</h2>
 * A chunk {@code [c, min(c + size, units))} is claimed with one {@code getAndAdd(cursor, size)}
 * returning {@code c}; a result {@code >= units} is a failed claim. Sizes are guided: the unclaimed
 * tasks divided by twice the parties (workers + one waiter), so chunks are big while much is left and
 * single tasks at the end. Every task is inside exactly one successful claim (successive
 * {@code getAndAdd} results are disjoint), and the cursor cannot overflow: a claim is only attempted
 * after a read saw {@code cursor < units}, and adds at most {@code units}.
 *
 * <h2>Reaching the workers</h2>
 * The submission appends one queue slot ({@link #SLOT} with this entry as its parameter). A worker that
 * takes it claims a chunk and, while tasks are still unclaimed and fewer parties than workers were
 * asked to work on the entry, appends one more slot before it runs the chunk, which wakes the next
 * idle worker (the cascade, one level up). A waiter that claims counts as a party too
 * ({@link #countWaiter()}): a batch joined while the cascade runs uses as many threads as the pool
 * has workers, the waiter included. A slot of an exhausted entry costs its taker one read. A waiter
 * claims from its own entry directly, wherever the entry's slots sit in the queue, so it never has to
 * run unrelated work to reach its own.
 *
 * <h2>Accounting</h2>
 * Each task of a claimed chunk runs, is skipped (cancelled), or is handed back (the pool is stopping),
 * and the chunk counts down once, after its tasks (see {@link TaskRunner#runRange}). A stop hands back
 * every unclaimed task with {@link #claimRest()}, which claims the whole rest atomically, so nothing
 * is both handed back and run.
 */
public final class RangeCompletion extends Completion {

  /**
   * The queue slot's handle; its parameter is the entry. Workers recognise it before running anything
   * (see {@link TaskRunner#runClaimed}), so its body only serves a task handed back by
   * {@code shutdownNow} and run later by the caller.
   */
  public static final TaskFn<RangeCompletion> SLOT = entry -> entry.runAll();

  /** The failed-claim result of {@link #claim()}. */
  static final long NONE = -1L;

  private static final VarHandle CURSOR;
  private static final VarHandle PARTIES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CURSOR = lookup.findVarHandle(RangeCompletion.class, "cursor", long.class);
      PARTIES = lookup.findVarHandle(RangeCompletion.class, "parties", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The handle of every task, or null when each task has its own ({@link #fns}). */
  private final TaskFn<?> fn;
  private final TaskFn<?>[] fns;
  private final Object[] paramArray;
  private final List<?> paramList;
  final int units;
  /** Guided sizes divide the rest among this many threads: the workers and one waiter. */
  private final int shareOf;
  private volatile long cursor;
  /** Threads asked to work on this entry: the queue slots issued for it and the waiters that claim from it. */
  private volatile int parties;

  /**
   * @param pool the pool whose workers run the tasks (null only in model tests, which claim by hand)
   * @param fn the handle of every task, or null with {@code fns}
   * @param fns one handle per task, or null with {@code fn}
   * @param params an {@code Object[]} or a {@code List} of the tasks' parameters
   */
  public RangeCompletion(WorkerPool pool, TaskFn<?> fn, TaskFn<?>[] fns, Object params, int units,
      boolean inBackground, CancellationToken token) {
    super(pool, units, inBackground, token);
    this.fn = fn;
    this.fns = fns;
    this.paramArray = params instanceof Object[] ? (Object[]) params : null;
    this.paramList = paramArray == null ? (List<?>) params : null;
    this.units = units;
    this.shareOf = pool == null ? 2 : pool.shareOf;
  }

  @SuppressWarnings("unchecked")
  TaskFn<Object> fn(int i) {
    return (TaskFn<Object>) (fn != null ? fn : fns[i]);
  }

  Object param(int i) {
    return paramArray != null ? paramArray[i] : paramList.get(i);
  }

  /** Claims a guided chunk: {@code (from << 32) | to}, or {@link #NONE}. */
  long claim() {
    long c = cursor;
    if (c >= units) {
      return NONE; // exhausted: no atomic, so stale slots never move the cursor
    }
    int size = (int) Math.max(1, (units - c) / (2L * shareOf));
    long from = (long) CURSOR.getAndAdd(this, (long) size);
    if (from >= units) {
      return NONE;
    }
    long to = Math.min(from + size, units);
    claimed(to - from);
    return (from << 32) | to;
  }

  /** Keeps the pool's queued-tasks gauge: claimed tasks no longer wait. */
  private void claimed(long count) {
    if (pool != null) {
      pool.unclaimedRangeTasks.add(-count);
    }
  }

  /** Claims every task nobody has claimed yet: {@code (from << 32) | units}, or {@link #NONE}. */
  long claimRest() {
    if (cursor >= units) {
      return NONE;
    }
    long from = (long) CURSOR.getAndAdd(this, (long) units);
    if (from >= units) {
      return NONE;
    }
    claimed(units - from);
    return (from << 32) | units;
  }

  /** The next unclaimed index; {@code units} or more once every task is claimed. For tests. */
  long cursor() {
    return cursor;
  }

  /** Queue slots issued plus waiters counted. For tests. */
  int parties() {
    return parties;
  }

  /** Appends one more slot if tasks are unclaimed and fewer parties than workers were asked to work on it. */
  void widen() {
    int asked = parties;
    if (asked < pool.workers.length && cursor < units && PARTIES.compareAndSet(this, asked, asked + 1)) {
      pool.submitSlot(this, inBackground);
    }
  }

  /**
   * Counts a waiter about to claim tasks as a party, in place of a worker: the cascade then wakes one
   * worker fewer, so a joined batch runs on as many threads as the pool has workers, the waiter
   * included ({@code ForkJoinPool}'s common pool leaves one core to the submitting thread for the same
   * reason). On a pool with one worker per core, waking one more would put three threads on two
   * cores, and the chunk the others wait for would often be the one whose thread waits for a core.
   * A batch's tasks are independent (a chunk runs its tasks one after another anyway), so no batch
   * can need the extra thread; fork-join parts may meet each other, and {@link RangeEntry} keeps
   * waking every worker beside its caller. On an exhausted entry this changes nothing: nobody widens
   * it any more.
   */
  void countWaiter() {
    PARTIES.getAndAdd(this, 1);
  }

  /** The submission's first slot; false if the pool is shut down. */
  boolean publish() {
    PARTIES.getAndAdd(this, 1);
    return pool.submitSlot(this, inBackground);
  }

  /** Runs every task still unclaimed on the calling thread (a handed-back slot being run). */
  private void runAll() {
    pool.runner.runRange(this, new RunClaim(), false);
  }

  @Override
  public String toString() {
    return "batch of " + units + " tasks, " + super.toString();
  }
}
