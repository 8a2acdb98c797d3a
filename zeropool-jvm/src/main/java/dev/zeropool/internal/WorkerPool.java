package dev.zeropool.internal;

import dev.zeropool.CancellationToken;
import dev.zeropool.FailureHandler;
import dev.zeropool.PoolCounters;
import dev.zeropool.PoolMetrics;
import dev.zeropool.PoolStats;
import dev.zeropool.TaskFn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The scheduler's composition root: two {@link TaskQueue}s (one per priority tier), the
 * {@link Worker}s with their run-next slots, {@link Parking}, the {@link TaskRunner}, {@link Helping}
 * and the {@link Lifecycle}. This class holds the submission paths and the rules that connect the
 * mechanisms; each mechanism's own invariant is written in its file.
 *
 * <h2>Scheduling policy</h2>
 * <ul>
 *   <li>Submissions from outside the pool go to the shared queues; workers take from the foreground
 *       queue first and from the background queue only when the foreground is empty (strict priority),
 *       in runs ({@link #MAX_RUN} at most, fewer as a queue empties, see {@link QueueSegment#tryTake}),
 *       counted down once per run.</li>
 *   <li>{@code execute} and foreground {@code submitTask} called on a worker of this pool put the task
 *       in that worker's run-next slot ({@link RunNextSlot}; a {@code submitTask} as a
 *       {@link LocalTask}, which is also its future): the worker runs it next, idle workers may steal it. A task it displaces
 *       goes to the worker's {@link LocalQueue}; a full local queue moves its older half to the shared
 *       foreground queue in one claim.</li>
 *   <li>Right before a task starts, its submission's cancellation and the pool's stop are checked.</li>
 * </ul>
 *
 * <h2>Lifecycle</h2>
 * {@link #shutdown()} shuts the background queue, then the foreground queue (each an atomic step of the
 * queue itself, so each offer is either accepted before it or refused after it) and wakes every
 * worker; a worker exits once the foreground queue is shut (so both are) and both are empty and its
 * run-next slot is empty, so every accepted task runs. {@link #shutdownNow} also takes what is still
 * queued or in a run-next slot and hands it back; tasks already claimed by a running worker are handed
 * back by that worker ({@link TaskRunner}). A worker whose thread dies (a {@link ThreadDeath}, or an
 * error inside the pool itself) is replaced by a new thread from the same factory.
 */
public final class WorkerPool {

  /**
   * The longest run of tasks a worker takes from the queue at once: long enough to amortize the
   * CAS and the cache misses of a take, short enough that a run of slow tasks does not leave the
   * other workers idle at the end of a batch. Tunable with {@code -Dzeropool.maxRun}.
   */
  static final int MAX_RUN = Math.max(1, Integer.getInteger("zeropool.maxRun", 32));

  /** Handle under which {@code execute(Runnable)} tasks ride the queue; the Runnable is the parameter. */
  public static final TaskFn<Runnable> RUN_RUNNABLE = Runnable::run;

  /** Which threads are this pool's workers (see {@link Worker#current}). */
  final WorkerThreads workerThreads = new WorkerThreads();
  final TaskQueue foreground;
  final TaskQueue background;
  final Worker[] workers;
  /** Divisor for run sizes: the workers plus one helping caller. */
  final int shareOf;
  final Parking parking;
  final TaskRunner runner;
  final Lifecycle lifecycle;
  private final ThreadFactory threadFactory;
  /** Null when no hook is installed: the hot paths then pay one null check. */
  private final PoolMetrics metrics;
  /** Null unless workers are pinned to CPUs. */
  final CpuAffinity affinity;
  /**
   * For the queued-tasks gauge: a batch waits as one queue slot but counts as its unclaimed tasks.
   * Striped counters, touched once per submission, per slot and per claimed chunk, never per task.
   */
  final LongAdder unclaimedRangeTasks = new LongAdder();
  final LongAdder queuedRangeSlots = new LongAdder();
  private final String name;
  /** Null when turned off. */
  private final StarvationWatchdog watchdog;

  /**
   * @param name how reports name the pool
   * @param starvationNanos how long every worker must be blocked while work waits before the watchdog
   *     reports and compensates; 0 turns the watchdog off
   * @param maxTemporaryWorkers compensating workers alive at once at most (0: report only)
   */
  public WorkerPool(String name, int workerCount, ThreadFactory threadFactory, long spinNanos,
      FailureHandler failureHandler, PoolMetrics metrics, CpuAffinity affinity, long starvationNanos,
      int maxTemporaryWorkers) {
    this.name = name;
    this.affinity = affinity;
    this.foreground = new TaskQueue();
    this.background = new TaskQueue();
    this.threadFactory = threadFactory;
    this.metrics = metrics;
    this.shareOf = workerCount + 1;
    this.workers = new Worker[workerCount];
    this.lifecycle = new Lifecycle(workerCount);
    this.parking = new Parking(workers, spinNanos, metrics);
    this.runner = new TaskRunner(lifecycle, failureHandler, metrics);
    for (int i = 0; i < workerCount; i++) {
      Worker w = new Worker(this, i);
      w.thread = newThread(w, i);
      workers[i] = w;
    }
    for (Worker w : workers) {
      w.thread.start();
    }
    this.watchdog = starvationNanos <= 0 ? null : StarvationWatchdog.watch(this, starvationNanos,
        maxTemporaryWorkers, report -> {
          if (metrics != null) {
            metrics.starvationDetected(temporaryWorkers());
          }
          if (failureHandler != null) {
            failureHandler.onStarvation(report);
          } else {
            TaskRunner.reportUncaught(report);
          }
        });
  }

  private Thread newThread(Runnable body, int index) {
    Thread t = threadFactory.newThread(body);
    if (t == null) {
      throw new IllegalStateException("threadFactory returned null for worker " + index);
    }
    return t;
  }

  /** {@return how long an idle thread spins before it parks (the builder's spin window)} */
  public long spinNanos() {
    return parking.spinNanos;
  }

  public int workerCount() {
    return workers.length;
  }

  // ---- submission side ----

  /**
   * Appends one task and wakes a worker if needed. {@code completion} may be null for
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
    parking.signalWork();
    return true;
  }

  /**
   * Runs {@code task} soon: from a worker of this pool, in that worker's run-next slot; from any other
   * thread, through the foreground queue.
   *
   * @return false if the pool is shut down (the task was not accepted)
   */
  public boolean execute(Runnable task) {
    Worker w = Worker.current(this);
    if (w == null || lifecycle.isShutdown()) {
      return submit(RUN_RUNNABLE, task, null, false);
    }
    runNextLocally(w, task);
    return true;
  }

  /**
   * Submits one task and returns its future: from a worker of this pool (foreground tier only), into
   * that worker's run-next slot as a {@link LocalTask}, like {@link #execute}; from any other thread,
   * or for the background tier, through the shared queue.
   *
   * @return the task's future, or null if the pool is shut down (the task was not accepted)
   */
  public Completion submitTask(TaskFn<?> fn, Object params, boolean inBackground, CancellationToken token) {
    Worker w = inBackground ? null : Worker.current(this);
    if (w == null || lifecycle.isShutdown()) {
      Completion completion = new Completion(this, 1, inBackground, token);
      return submit(fn, params, completion, inBackground) ? completion : null;
    }
    LocalTask task = new LocalTask(this, fn, params, token);
    runNextLocally(w, task);
    return task;
  }

  /** Puts {@code task} in worker {@code w}'s run-next slot (called on {@code w}'s thread). */
  private void runNextLocally(Worker w, Runnable task) {
    if (metrics != null) {
      metrics.tasksSubmitted(1);
    }
    Runnable displaced = w.runNext.put(task);
    if (displaced != null) {
      queueLocally(w, displaced);
    }
    parking.signalWork(); // so an idle worker can steal it if this one stays busy; skipped while one spins
  }

  /**
   * Adds {@code task} at the tail of worker {@code w}'s local queue (called on {@code w}'s thread).
   * A full queue first moves its older half to the shared queue in one claim: a worker that keeps
   * queueing (a coroutine launching thousands of children) then pays one shared CAS per half queue,
   * not one per task, and the tasks it queued last stay with it.
   */
  private void queueLocally(Worker w, Runnable task) {
    while (!w.localQueue.offer(task)) {
      Object[] spill = w.spill;
      int taken = w.localQueue.takeOlderHalf(spill);
      int moved = foreground.offerAll(RUN_RUNNABLE, null, spill, taken, null);
      // The pool shut down since the caller's check: accepted tasks still run. They run from a copy, so
      // that whatever they submit cannot overwrite the ones not yet run (a cold path: it may allocate).
      Object[] refused = moved < taken ? Arrays.copyOfRange(spill, moved, taken) : null;
      Arrays.fill(spill, 0, taken, null); // they are in the shared queue now: the buffer must not keep them reachable
      if (refused != null) {
        for (Object accepted : refused) {
          runner.runLocal((Runnable) accepted, w.run, true);
        }
      }
    }
  }

  /**
   * Runs {@code task} after the work already waiting: from a worker of this pool, at the tail of that
   * worker's local queue (see {@link Worker} for when it runs; a full local queue moves its older half
   * to the foreground queue first); from any other thread, through the foreground queue.
   *
   * @return false if the pool is shut down (the task was not accepted)
   */
  public boolean executeQueued(Runnable task) {
    Worker w = Worker.current(this);
    if (w == null || lifecycle.isShutdown()) {
      return submit(RUN_RUNNABLE, task, null, false);
    }
    if (metrics != null) {
      metrics.tasksSubmitted(1);
    }
    queueLocally(w, task);
    parking.signalWork(); // an idle worker steals it if this one stays busy
    return true;
  }

  /**
   * Submits a batch as one range entry (see {@link RangeCompletion}): one queue slot, one wake-up.
   *
   * @return false if the pool is shut down (nothing was accepted)
   */
  public boolean submitRange(RangeCompletion entry) {
    unclaimedRangeTasks.add(entry.units);
    if (!entry.publish()) {
      unclaimedRangeTasks.add(-entry.units);
      if (metrics != null) {
        metrics.tasksRejected(entry.units);
      }
      return false;
    }
    if (metrics != null) {
      metrics.tasksSubmitted(entry.units);
    }
    return true;
  }

  /** Appends one slot of a range entry and wakes a worker if needed; false if the pool is shut down. */
  boolean submitSlot(RangeCompletion entry, boolean inBackground) {
    queuedRangeSlots.increment();
    if (!(inBackground ? background : foreground).offer(RangeCompletion.SLOT, entry, null)) {
      queuedRangeSlots.decrement();
      return false;
    }
    parking.signalWork();
    return true;
  }

  // ---- taking work ----

  /** Claims a run: foreground first, then background; with {@code only}, just that submission's tier. */
  int poll(RunClaim run, Completion only) {
    if (only != null) {
      return (only.inBackground ? background : foreground).poll(run, MAX_RUN, shareOf, only);
    }
    int taken = foreground.poll(run, MAX_RUN, shareOf, null);
    return taken > 0 ? taken : background.poll(run, MAX_RUN, shareOf, null);
  }

  /** Takes another worker's oldest locally queued task, or else its run-next task, or null. */
  Runnable stealLocal(Worker thief) {
    for (Worker w : workers) {
      if (w != thief) {
        Runnable r = w.localQueue.steal();
        if (r != null) {
          return r;
        }
      }
    }
    for (Worker w : workers) {
      if (w != thief) {
        Runnable r = w.runNext.steal();
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  /** {@return a worker other than {@code self} (any, if null) whose run-next slot holds a task now, or null} */
  Worker workerWithLocalWork(Worker self) {
    for (Worker o : workers) {
      if (o != self && !o.runNext.isEmpty()) {
        return o;
      }
    }
    return null;
  }

  /** {@return true if a worker other than {@code self} (any, if null) has tasks in its local queue} */
  boolean hasLocallyQueuedWork(Worker self) {
    for (Worker o : workers) {
      if (o != self && !o.localQueue.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Cheap poll for spinning workers: see {@link TaskQueue#hasPublishedWork()}. */
  boolean hasPublishedWork() {
    return foreground.hasPublishedWork() || background.hasPublishedWork();
  }

  boolean hasQueuedWork() {
    return !foreground.isEmpty() || !background.isEmpty();
  }

  /** True when a worker with no work may end: both queues are shut (and, checked before, empty). */
  boolean mayExit() {
    return foreground.isShutDown();
  }

  /** Lets {@code completion}'s waiter run tasks (see {@link Helping}); {@code deadline} applies when timed. */
  void help(Completion completion, boolean timed, long deadline) {
    Helping.help(this, completion, timed, deadline);
  }

  // ---- for the starvation watchdog ----

  /** Work items taken by the workers so far (compensating workers count their own). */
  long progress() {
    long sum = 0;
    for (Worker w : workers) {
      sum += w.progress();
    }
    return sum;
  }

  /** True when work waits in a queue, in a worker's local queue or in its run-next slot. */
  boolean hasWorkWaiting() {
    return hasQueuedWork() || hasLocallyQueuedWork(null) || workerWithLocalWork(null) != null;
  }

  /** True when no worker is idle and every live worker thread is blocked. */
  boolean allBusyThreadsBlocked() {
    for (Worker w : workers) {
      Thread t = w.thread;
      if (w.idle || (t.isAlive() && !StarvationWatchdog.isBlocked(t.getState()))) {
        return false;
      }
    }
    return true;
  }

  boolean isShutdownNowOrLater() {
    return lifecycle.isStopping();
  }

  String name() {
    return name;
  }

  String threadNameOfTemporary(int number) {
    return name + "-temporary-worker-" + number;
  }

  Thread[] threads() {
    Thread[] threads = new Thread[workers.length];
    for (int i = 0; i < workers.length; i++) {
      threads[i] = workers[i].thread;
    }
    return threads;
  }

  /** {@return compensating workers started by the starvation watchdog and still alive} */
  int temporaryWorkers() {
    return watchdog == null ? 0 : watchdog.temporaryWorkers();
  }

  // ---- gauges ----

  /** {@return how many times a signal has unparked an idle worker} */
  public long wakeUps() {
    return parking.wakeUps();
  }

  /** {@return the number of workers on the idle stack} */
  public int idleWorkers() {
    return parking.idleWorkers();
  }

  /** {@return tasks waiting in both tiers (a batch's unclaimed tasks, not its slots), in local queues and in run-next slots} */
  public long queuedTasks() {
    long queued = Math.max(0, foreground.size() + background.size() - queuedRangeSlots.sum())
        + Math.max(0, unclaimedRangeTasks.sum());
    for (Worker w : workers) {
      queued += w.localQueue.size();
      if (!w.runNext.isEmpty()) {
        queued++;
      }
    }
    return queued;
  }

  /** {@return a snapshot of counts (from {@link PoolCounters}, if installed) and gauges} */
  public PoolStats stats() {
    PoolCounters c = metrics instanceof PoolCounters ? (PoolCounters) metrics : null;
    int idle = idleWorkers();
    int live = 0;
    // A worker that has ended is still alive for a moment while its thread exits: after termination
    // none counts as busy.
    if (!lifecycle.isTerminated()) {
      for (Worker w : workers) {
        if (w.thread.isAlive()) {
          live++;
        }
      }
    }
    return new PoolStats(c != null ? c.submitted() : -1, c != null ? c.completed() : -1,
        c != null ? c.failed() : -1, c != null ? c.cancelled() : -1, c != null ? c.rejected() : -1,
        queuedTasks(), Math.max(0, live - idle), idle, wakeUps());
  }

  // ---- lifecycle ----

  public void shutdown() {
    lifecycle.advanceTo(Lifecycle.SHUTDOWN);
    background.shutDown(); // background first: a worker that sees the foreground shut knows both are
    foreground.shutDown();
    parking.wakeAll();
  }

  /**
   * Shuts down, stops, takes every task that has not started from the queues and the run-next slots,
   * fails its future with a {@link CancellationException} saying {@code reason} (a {@code submit}
   * future is cancelled), interrupts the workers, and returns the tasks as Runnables. With
   * {@code report}, also tells the failure handler about each of them.
   */
  public List<Runnable> shutdownNow(String reason, boolean report) {
    shutdown();
    lifecycle.stop(reason);
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
          if (fn == RangeCompletion.SLOT) {
            queuedRangeSlots.decrement();
            handBackRange((RangeCompletion) params, reason, report, neverStarted);
          } else {
            handBack(fn, params, completion, reason, report, neverStarted);
          }
        }
      }
    }
    for (Worker w : workers) {
      for (Runnable local; (local = w.localQueue.steal()) != null; ) {
        handBack(RUN_RUNNABLE, local, null, reason, report, neverStarted);
      }
      Runnable local = w.runNext.steal();
      if (local != null) {
        handBack(RUN_RUNNABLE, local, null, reason, report, neverStarted);
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

  /** Hands back the unclaimed tasks of a range entry, one {@code Runnable} each. */
  private void handBackRange(RangeCompletion entry, String reason, boolean report, List<Runnable> into) {
    long rest = entry.claimRest();
    if (rest == RangeCompletion.NONE) {
      return;
    }
    int from = (int) (rest >>> 32);
    int to = (int) rest;
    CancellationException cancelled = new CancellationException(reason);
    entry.taskFailed(cancelled);
    for (int i = from; i < to; i++) {
      if (report) {
        runner.report(entry.fn(i), entry.param(i), cancelled, true);
      }
      into.add(new NotStarted(entry.fn(i), entry.param(i)));
    }
    entry.tasksDone(to - from);
  }

  private void handBack(Object fn, Object params, Completion completion, String reason, boolean report,
      List<Runnable> into) {
    LocalTask carried = LocalTask.carriedBy(fn, params, completion); // a worker's submitTask
    if (carried != null) {
      handBack(carried.fn, carried.params, carried, reason, report, into);
      return;
    }
    if (runner.notStarted(fn, params, completion, new CancellationException(reason), report)) {
      into.add(NotStarted.of(fn, params, completion));
    }
  }

  /** Called by a worker's thread as it ends: normally, or by a throwable that escaped the worker loop. */
  void workerEnded(Worker w, Throwable cause) {
    if (cause == null) {
      w.idle = false; // terminated: not parked any more (the idle stack is no longer used)
    } else if (!lifecycle.isTerminated()) {
      try {
        Thread replacement = newThread(w, w.index);
        w.thread = replacement; // same Worker object: its place on the idle stack stays valid
        replacement.start();
        return;
      } catch (Throwable factoryFailure) {
        cause.addSuppressed(factoryFailure); // cannot replace: the pool shrinks by one
      }
    }
    lifecycle.threadEnded();
  }

  public boolean isShutdown() {
    return lifecycle.isShutdown();
  }

  public boolean isTerminated() {
    return lifecycle.isTerminated();
  }

  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    requireNotOwnWorker("awaitTermination");
    return lifecycle.awaitTermination(timeout, unit);
  }

  /** Fails fast where waiting for the pool to end would wait for the calling worker itself. */
  public void requireNotOwnWorker(String operation) {
    if (Worker.current(this) != null) {
      throw new IllegalStateException(operation + " called from a worker of the same pool: "
          + "the pool cannot terminate while this worker waits for it");
    }
  }

  /** True when the calling thread is a worker of this pool. */
  public boolean isOwnWorker() {
    return Worker.current(this) != null;
  }

  public String stateName() {
    return lifecycle.stateName();
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
      return completion == null
          ? PoolFutureTask.handedBack((Runnable) params) // execute(Runnable): the caller's own object
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
