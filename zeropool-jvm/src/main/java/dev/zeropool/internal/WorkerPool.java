package dev.zeropool.internal;

import dev.zeropool.CancellationToken;
import dev.zeropool.FailureHandler;
import dev.zeropool.PoolCounters;
import dev.zeropool.PoolMetrics;
import dev.zeropool.PoolStats;
import dev.zeropool.TaskFn;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Workers, wake-up and lifecycle around two {@link TaskQueue}s, one per priority tier.
 *
 * <h2>Scheduling policy</h2>
 * Workers take from the foreground queue first and from the background queue only when the
 * foreground is empty (strict priority). They take runs ({@link #MAX_RUN} at most, fewer as a queue
 * empties, see {@link QueueSegment#tryTake}); a run's completions are counted down once per run.
 * Right before a task starts, its submission's cancellation is checked: a cancelled task is skipped.
 *
 * <h2>Wake-up</h2>
 * Idle workers park on a Treiber stack packed into {@code idleCtl} (low 32 bits: top worker index + 1,
 * high 32 bits: a stamp bumped by every push and pop, so a pop that read a stale {@code nextIdle}
 * fails its CAS: no ABA). A submission pops and unparks one worker if any is idle; a worker that takes
 * a run and sees more work waiting pops the next one (a cascade, as in {@code ForkJoinPool}). So
 * submitting N tasks wakes at most min(N, idle workers) threads and the submitter pays one unpark.
 *
 * <h2>No lost wake-ups</h2>
 * A worker going idle (1) pushes itself, then (2) checks both queues. A submitter (1) claims its slots
 * with a CAS of a queue's tail, then (2) reads {@code idleCtl}. All four are volatile accesses, so at
 * least one side sees the other: either the worker sees the task and does not park, or the submitter
 * sees the worker and unparks it.
 *
 * <h2>Lifecycle</h2>
 * {@link #shutdown()} shuts the background queue, then the foreground queue (each an atomic step of the
 * queue itself, so each offer is either accepted before it or refused after it) and unparks every
 * worker; a worker exits once the foreground queue is shut (so both are) and both are empty, so every
 * accepted task runs. {@link #shutdownNow} also takes what is still queued and hands it back. A worker
 * whose thread dies (a {@link ThreadDeath}, or an error inside the pool itself) is replaced by a new
 * thread from the same factory, so the pool keeps its size.
 */
public final class WorkerPool {

  /**
   * The longest run of tasks a worker takes from the queue at once: long enough to amortize the
   * CAS and the cache misses of a take, short enough that a run of slow tasks does not leave the
   * other workers idle at the end of a batch. Tunable with {@code -Dzeropool.maxRun}.
   */
  static final int MAX_RUN = Math.max(1, Integer.getInteger("zeropool.maxRun", 32));

  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int STOP = 2;
  private static final int TERMINATED = 3;

  private static final long TOP_MASK = 0xFFFF_FFFFL;
  private static final long STAMP_UNIT = 1L << 32;

  private static final VarHandle IDLE_CTL;
  private static final VarHandle RUN_STATE;
  private static final VarHandle WAKE_UPS;
  private static final VarHandle SPINNING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      IDLE_CTL = lookup.findVarHandle(WorkerPool.class, "idleCtl", long.class);
      RUN_STATE = lookup.findVarHandle(WorkerPool.class, "runState", int.class);
      WAKE_UPS = lookup.findVarHandle(WorkerPool.class, "wakeUps", long.class);
      SPINNING = lookup.findVarHandle(WorkerPool.class, "spinning", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Handle under which {@code execute(Runnable)} tasks ride the queue; the Runnable is the parameter. */
  public static final TaskFn<Runnable> RUN_RUNNABLE = Runnable::run;

  /**
   * A spare run claim per thread for helping waiters. {@link #help} takes it out while it uses it,
   * so a task that joins again while being helped (nesting) gets a fresh claim and never overwrites
   * the run its caller is still executing.
   */
  private static final ThreadLocal<RunClaim> HELPER_RUN = new ThreadLocal<>();

  final TaskQueue foreground;
  final TaskQueue background;
  final Worker[] workers;
  /** Divisor for run sizes: the workers plus one helping caller. */
  final int shareOf;
  private final ThreadFactory threadFactory;
  private final long spinNanos;
  private final FailureHandler failureHandler;
  /** Null when no hook is installed: the hot paths then pay one null check. */
  private final PoolMetrics metrics;
  private final AtomicInteger liveWorkers;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile long idleCtl;
  private volatile int runState;
  /** Workers unparked by a signal; counted on the unpark path only, which costs microseconds anyway. */
  private volatile long wakeUps;
  /** True while one idle worker spins before parking. */
  private volatile boolean spinning;

  /** Null unless workers are pinned to CPUs. */
  final CpuAffinity affinity;

  public WorkerPool(int workerCount, ThreadFactory threadFactory, long spinNanos,
      FailureHandler failureHandler, PoolMetrics metrics, CpuAffinity affinity) {
    this.affinity = affinity;
    this.foreground = new TaskQueue();
    this.background = new TaskQueue();
    this.threadFactory = threadFactory;
    this.spinNanos = spinNanos;
    this.failureHandler = failureHandler;
    this.metrics = metrics;
    this.shareOf = workerCount + 1;
    this.workers = new Worker[workerCount];
    this.liveWorkers = new AtomicInteger(workerCount);
    for (int i = 0; i < workerCount; i++) {
      Worker w = new Worker(this, i);
      w.thread = newThread(w, i);
      workers[i] = w;
    }
    for (Worker w : workers) {
      w.thread.start();
    }
  }

  private Thread newThread(Worker w, int index) {
    Thread t = threadFactory.newThread(w);
    if (t == null) {
      throw new IllegalStateException("threadFactory returned null for worker " + index);
    }
    return t;
  }

  public int workerCount() {
    return workers.length;
  }

  // ---- submission side ----

  /**
   * Appends one task and wakes a worker if one is idle. {@code completion} may be null for
   * fire-and-forget tasks ({@code execute}).
   *
   * @return false if the pool is shut down (nothing was appended)
   */
  public boolean submit(Object fn, Object params, Completion completion, boolean inBackground) {
    if (!(inBackground ? background : foreground).offer(fn, params, completion)) {
      if (metrics != null) {
        metrics.tasksRejected(1);
      }
      return false;
    }
    if (metrics != null) {
      metrics.tasksSubmitted(1);
    }
    signalWork();
    return true;
  }

  /**
   * Appends {@code count} tasks (see {@link TaskQueue#offerAll}). If the pool shuts down half-way,
   * the accepted tasks run and the rest fail the completion with the reason.
   *
   * @return false if nothing was accepted (the pool is shut down)
   */
  public boolean submitAll(Object fn, Object[] fns, Object params, int count, Completion completion,
      boolean inBackground) {
    int accepted = (inBackground ? background : foreground).offerAll(fn, fns, params, count, completion);
    if (metrics != null) {
      if (accepted > 0) {
        metrics.tasksSubmitted(accepted);
      }
      if (accepted < count) {
        metrics.tasksRejected(count - accepted);
      }
    }
    if (accepted == 0) {
      return false;
    }
    signalWork();
    if (accepted < count) {
      completion.taskFailed(new java.util.concurrent.RejectedExecutionException((count - accepted)
          + " of " + count + " tasks were refused: the pool shut down during submission"));
      completion.tasksDone(count - accepted);
    }
    return true;
  }

  /** Wakes one idle worker, if any: call after appending work to a queue. */
  public void signalWork() {
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

  void signalIfMoreWork() {
    if ((idleCtl & TOP_MASK) != 0 && hasWork()) {
      signalWork();
    }
  }

  private boolean hasWork() {
    return !foreground.isEmpty() || !background.isEmpty();
  }

  // ---- running tasks (workers and helping waiters) ----

  /** Claims a run: foreground first, then background; with {@code only}, just that submission's tier. */
  int poll(RunClaim run, Completion only) {
    if (only != null) {
      return (only.inBackground ? background : foreground).poll(run, MAX_RUN, shareOf, only);
    }
    int taken = foreground.poll(run, MAX_RUN, shareOf, null);
    return taken > 0 ? taken : background.poll(run, MAX_RUN, shareOf, null);
  }

  /**
   * Runs a claimed run of tasks in place, releasing each slot as soon as its task is done (before
   * any completion is counted down, so a waiter that resubmits at once finds its slots free). On a
   * worker it also clears an interrupt left over from an earlier task (a late
   * {@code Future.cancel(true)}), unless the pool is stopping, so one task's interrupt never lands
   * in the next.
   */
  @SuppressWarnings({"unchecked", "removal"})
  void runTasks(RunClaim run, boolean onWorker) {
    int count = run.count();
    Completion current = null;
    int finished = 0; // tasks of `current` done in this run
    int completed = 0; // ... of which returned normally
    int skipped = 0; // ... of which were cancelled before they started
    ThreadDeath death = null;
    for (int i = 0; i < count; i++) {
      TaskFn<Object> fn = (TaskFn<Object>) run.fn(i);
      Object params = run.param(i);
      Completion completion = (Completion) run.completion(i);
      if (completion != current) {
        finish(current, finished, completed, skipped);
        current = completion;
        finished = 0;
        completed = 0;
        skipped = 0;
      }
      finished++;
      if (completion != null && completion.shouldSkip()) {
        run.release(i);
        completion.taskSkipped();
        skipped++;
        continue;
      }
      if (onWorker && Thread.interrupted() && runState >= STOP) {
        Thread.currentThread().interrupt(); // stopping: tasks should see it
      }
      try {
        fn.run(params);
        completed++;
      } catch (Throwable error) {
        taskFailed(fn, params, completion, error);
        if (error instanceof ThreadDeath && onWorker) {
          death = (ThreadDeath) error; // finish the run (its tasks are ours alone), then die
        }
      } finally {
        run.release(i);
      }
    }
    finish(current, finished, completed, skipped);
    if (death != null) {
      throw death;
    }
  }

  /**
   * Reports a group of consecutive tasks of one submission ({@code completion} null for
   * {@code execute} tasks) to the metrics hook, then counts them down: in that order, so a caller
   * that sees the submission done also sees it counted.
   */
  private void finish(Completion completion, int finished, int completed, int skipped) {
    if (finished == 0) {
      return;
    }
    if (metrics != null) {
      metrics.tasksCompleted(completed);
      if (skipped > 0) {
        metrics.tasksCancelled(skipped);
      }
    }
    if (completion != null) {
      completion.tasksDone(finished);
    }
  }

  private void taskFailed(TaskFn<?> fn, Object params, Completion completion, Throwable error) {
    if (completion != null) {
      completion.taskFailed(error);
    }
    if (metrics != null) {
      metrics.taskFailed();
    }
    report(fn, params, error, completion == null || error instanceof Error);
  }

  /** Tells the failure handler, or else (when {@code otherwiseUncaught}) the thread's uncaught-exception handler. */
  private void report(TaskFn<?> fn, Object params, Throwable error, boolean otherwiseUncaught) {
    FailureHandler handler = failureHandler;
    if (handler != null) {
      try {
        handler.onFailure(fn, params, error);
      } catch (Throwable handlerError) {
        reportUncaught(handlerError);
      }
    } else if (otherwiseUncaught) {
      reportUncaught(error);
    }
  }

  static void reportUncaught(Throwable error) {
    Thread current = Thread.currentThread();
    try {
      current.getUncaughtExceptionHandler().uncaughtException(current, error);
    } catch (Throwable ignored) {
      // The handler itself failed; there is nobody left to tell, and the worker must carry on.
    }
  }

  /**
   * Lets a thread that joins {@code completion} run tasks instead of sleeping. A worker of this pool
   * runs any queued task (it must keep the pool moving, or nested joins could deadlock); any other
   * thread runs only tasks of {@code completion}, and only while they are at the head of their queue.
   * Returns when the completion is done or there is nothing this thread may run.
   */
  void help(Completion completion) {
    boolean onWorker = Worker.current(this) != null;
    Completion only = onWorker ? null : completion;
    RunClaim run = HELPER_RUN.get();
    if (run == null) {
      run = new RunClaim();
    } else {
      HELPER_RUN.set(null);
    }
    try {
      while (!completion.isDone()) {
        if (poll(run, only) == 0) {
          return;
        }
        runTasks(run, false);
      }
    } finally {
      HELPER_RUN.set(run);
    }
  }

  // ---- idle workers ----

  /**
   * Called by a worker that found both queues empty. Spins for the configured window, then parks.
   * At most one worker spins at a time: one spinner is enough to catch the next task without a
   * wake-up, and more would take cores from the threads that produce the work.
   *
   * @return true to look for work again, false when the pool is shut down and drained
   */
  boolean awaitWork(Worker w) {
    if (spinNanos > 0 && SPINNING.compareAndSet(this, false, true)) {
      try {
        long end = System.nanoTime() + spinNanos;
        do {
          if (hasWork()) {
            return true;
          }
          Thread.onSpinWait();
        } while (System.nanoTime() - end < 0);
      } finally {
        spinning = false;
      }
    }
    if (!w.idle) {
      pushIdle(w);
    }
    for (;;) {
      if (hasWork()) {
        tryUnlist(w);
        return true;
      }
      if (foreground.isShutDown()) {
        return false; // both queues shut and empty: nothing can arrive any more
      }
      if (!w.idle) {
        return true; // a submitter popped us
      }
      LockSupport.park(this);
    }
  }

  private void pushIdle(Worker w) {
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
  private void tryUnlist(Worker w) {
    long ctl = idleCtl;
    if ((ctl & TOP_MASK) == w.index + 1
        && IDLE_CTL.compareAndSet(this, ctl, ((ctl & ~TOP_MASK) + STAMP_UNIT) | w.nextIdle)) {
      w.idle = false;
    }
    // Otherwise it stays listed while it works; a signal that pops it later costs a spare unpark.
  }

  /** {@return how many times a signal has unparked an idle worker} */
  public long wakeUps() {
    return wakeUps;
  }

  /** {@return the number of workers on the idle stack} */
  public int idleWorkers() {
    int count = 0;
    for (Worker w : workers) {
      if (w.idle) {
        count++;
      }
    }
    return count;
  }

  /** {@return tasks waiting in both tiers} */
  public long queuedTasks() {
    return foreground.size() + background.size();
  }

  /** {@return a snapshot of counts (from {@link PoolCounters}, if installed) and gauges} */
  public PoolStats stats() {
    PoolCounters c = metrics instanceof PoolCounters ? (PoolCounters) metrics : null;
    int idle = idleWorkers();
    return new PoolStats(c != null ? c.submitted() : -1, c != null ? c.completed() : -1,
        c != null ? c.failed() : -1, c != null ? c.cancelled() : -1, c != null ? c.rejected() : -1,
        queuedTasks(), Math.max(0, liveWorkers.get() - idle), idle, wakeUps);
  }

  // ---- lifecycle ----

  public void shutdown() {
    RUN_STATE.compareAndSet(this, RUNNING, SHUTDOWN);
    background.shutDown(); // background first: a worker that sees the foreground shut knows both are
    foreground.shutDown();
    for (Worker w : workers) {
      LockSupport.unpark(w.thread);
    }
  }

  /**
   * Shuts down, takes every task that has not started, fails its future with a
   * {@link CancellationException} saying {@code reason}, interrupts the workers, and returns the tasks
   * as Runnables. With {@code report}, also tells the failure handler about each of them.
   */
  public List<Runnable> shutdownNow(String reason, boolean report) {
    shutdown();
    int state;
    while ((state = runState) < STOP && !RUN_STATE.compareAndSet(this, state, STOP)) {
      Thread.onSpinWait();
    }
    List<Runnable> neverStarted = new ArrayList<>();
    RunClaim run = new RunClaim();
    for (TaskQueue queue : new TaskQueue[] {foreground, background}) {
      int taken;
      while ((taken = queue.poll(run, MAX_RUN, 1, null)) > 0) {
        for (int i = 0; i < taken; i++) {
          Object fn = run.fn(i);
          Object params = run.param(i);
          Completion completion = (Completion) run.completion(i);
          run.release(i);
          CancellationException cancelled = new CancellationException(reason);
          if (completion != null) {
            completion.taskFailed(cancelled);
            completion.tasksDone(1);
          }
          if (report) {
            report((TaskFn<?>) fn, params, cancelled, true);
          }
          neverStarted.add(NotStarted.of(fn, params, completion));
        }
      }
    }
    if (metrics != null && !neverStarted.isEmpty()) {
      metrics.tasksCancelled(neverStarted.size());
    }
    for (Worker w : workers) {
      w.thread.interrupt();
    }
    return neverStarted;
  }

  /** Called by a worker's thread as it ends: normally, or by a throwable that escaped the worker loop. */
  void workerEnded(Worker w, Throwable cause) {
    if (cause == null) {
      w.idle = false; // terminated: not parked any more (the idle stack is no longer used)
    }
    if (cause != null && runState < TERMINATED) {
      try {
        Thread replacement = newThread(w, w.index);
        w.thread = replacement; // same Worker object: its place on the idle stack stays valid
        replacement.start();
        return;
      } catch (Throwable factoryFailure) {
        cause.addSuppressed(factoryFailure); // cannot replace: the pool shrinks by one
      }
    }
    if (liveWorkers.decrementAndGet() == 0) {
      runState = TERMINATED;
      terminated.countDown();
    }
  }

  public boolean isShutdown() {
    return runState != RUNNING;
  }

  public boolean isTerminated() {
    return runState == TERMINATED;
  }

  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    requireNotOwnWorker("awaitTermination");
    return terminated.await(timeout, unit);
  }

  /** Fails fast where waiting for the pool to end would wait for the calling worker itself. */
  public void requireNotOwnWorker(String operation) {
    if (Worker.current(this) != null) {
      throw new IllegalStateException(operation + " called from a worker of the same pool: "
          + "the pool cannot terminate while this worker waits for it");
    }
  }

  public String stateName() {
    switch (runState) {
      case RUNNING: return "Running";
      case SHUTDOWN: return "Shutting down";
      case STOP: return "Stopping";
      default: return "Terminated";
    }
  }

  /** A task taken back by {@link #shutdownNow}: running it runs the task, nothing more. */
  private static final class NotStarted implements Runnable {
    private final TaskFn<Object> fn;
    private final Object params;

    @SuppressWarnings("unchecked")
    private NotStarted(Object fn, Object params) {
      this.fn = (TaskFn<Object>) fn;
      this.params = params;
    }

    static Runnable of(Object fn, Object params, Completion completion) {
      return completion == null ? (Runnable) params // execute(Runnable): hand back the caller's own object
          : new NotStarted(fn, params);
    }

    @Override
    public void run() {
      fn.run(params);
    }

    @Override
    public String toString() {
      return "not started: " + fn + "(" + params + ")";
    }
  }
}
