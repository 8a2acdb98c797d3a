package dev.zeropool.internal;

import dev.zeropool.PoolStarvationException;
import java.lang.Thread.State;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Notices a pool whose workers are all blocked while work waits, explains it, and compensates.
 *
 * <p>Waits the pool can see help (see {@link Helping}); waits it cannot see do not: a task that blocks
 * in a JDK {@code CompletableFuture.join()}, a latch or a socket read on work queued behind it would
 * hang a busy pool forever. {@code ForkJoinPool} compensates such waits (when they are announced as
 * managed blocking); {@code ThreadPoolExecutor} deadlocks. We compensate <em>and</em> explain.
 *
 * <h2>Rule</h2>
 * A pool is starving when, at {@code detectAfter / 4} intervals, for at least {@code detectAfter}:
 * work is queued, no thread of the pool took work since the previous look, and every worker and
 * compensating worker that is not parked idle is blocked (its thread state is {@code WAITING},
 * {@code TIMED_WAITING} or {@code BLOCKED}). Then the watchdog reports a
 * {@link PoolStarvationException} with each worker's state and stack top, and starts one temporary
 * compensating worker (at most {@code maxTemporaryWorkers} alive at once). A compensating worker runs
 * queued work like a worker and retires as soon as it finds none, so the extra threads live only as
 * long as the starvation.
 *
 * <p>Cost: one shared daemon thread for all pools; each look reads a few fields and thread states,
 * and a pool that is not starving is looked at four times per {@code detectAfter}.
 */
final class StarvationWatchdog implements Runnable {

  private static final ScheduledThreadPoolExecutor TIMER = newTimer();

  private final WorkerPool pool;
  private final long detectAfterNanos;
  private final int maxTemporaryWorkers;
  private final Consumer<PoolStarvationException> reporter;
  /** The compensating workers alive (or starting), so that a look can see whether they are blocked too. */
  private final Set<Thread> temporaryThreads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger temporaryNumber = new AtomicInteger();
  /** Work items taken by compensating workers: rare, so an atomic counter is fine. */
  private final AtomicLong temporaryProgress = new AtomicLong();
  private ScheduledFuture<?> schedule;
  private long lastProgress = -1;
  /** When the current stretch of starving looks began, or -1 when the last look was healthy. */
  private long starvingSince = -1;

  private StarvationWatchdog(WorkerPool pool, long detectAfterNanos, int maxTemporaryWorkers,
      Consumer<PoolStarvationException> reporter) {
    this.pool = pool;
    this.detectAfterNanos = detectAfterNanos;
    this.maxTemporaryWorkers = maxTemporaryWorkers;
    this.reporter = reporter;
  }

  /** Starts watching {@code pool} until it terminates. */
  static StarvationWatchdog watch(WorkerPool pool, long detectAfterNanos, int maxTemporaryWorkers,
      Consumer<PoolStarvationException> reporter) {
    StarvationWatchdog dog = new StarvationWatchdog(pool, detectAfterNanos, maxTemporaryWorkers, reporter);
    long period = Math.max(1, detectAfterNanos / 4);
    synchronized (dog) {
      dog.schedule = TIMER.scheduleAtFixedRate(dog, period, period, TimeUnit.NANOSECONDS);
    }
    return dog;
  }

  int temporaryWorkers() {
    return temporaryThreads.size();
  }

  @Override
  public synchronized void run() {
    if (pool.isTerminated()) {
      schedule.cancel(false);
      return;
    }
    long progress = pool.progress() + temporaryProgress.get();
    boolean stalled = progress == lastProgress && pool.hasWorkWaiting() && pool.allBusyThreadsBlocked()
        && temporaryThreadsBlocked();
    lastProgress = progress;
    if (!stalled) {
      starvingSince = -1;
      return;
    }
    long now = System.nanoTime();
    if (starvingSince < 0) {
      starvingSince = now;
    }
    if (now - starvingSince < detectAfterNanos) {
      return;
    }
    boolean compensate = !pool.isShutdownNowOrLater() && temporaryThreads.size() < maxTemporaryWorkers;
    reporter.accept(new PoolStarvationException(describe(now - starvingSince, compensate)));
    if (compensate && startTemporaryWorker()) {
      starvingSince = now; // give the new worker a full period before the next one
    }
  }

  private boolean startTemporaryWorker() {
    if (!pool.lifecycle.threadStarting()) {
      return false;
    }
    Thread t = null;
    try {
      t = new Thread(this::compensate, pool.threadNameOfTemporary(temporaryNumber.incrementAndGet()));
      t.setDaemon(true);
      temporaryThreads.add(t);
      t.start();
      return true;
    } catch (Throwable e) {
      if (t != null) {
        temporaryThreads.remove(t);
      }
      pool.lifecycle.threadEnded();
      throw e;
    }
  }

  /** A compensating worker's loop: run queued work while there is some, then retire. */
  private void compensate() {
    RunClaim run = new RunClaim();
    try {
      for (;;) {
        if (pool.poll(run, null) > 0) {
          temporaryProgress.incrementAndGet();
          pool.parking.signalIfMoreWork(pool);
          pool.runner.runClaimed(run, true);
          continue;
        }
        Runnable stolen = pool.stealLocal(null);
        if (stolen == null) {
          return;
        }
        temporaryProgress.incrementAndGet();
        pool.runner.runLocal(stolen, run, true);
      }
    } finally {
      temporaryThreads.remove(Thread.currentThread());
      pool.lifecycle.threadEnded();
    }
  }

  /** True when every compensating worker still alive is blocked too: one that computes is not starving. */
  private boolean temporaryThreadsBlocked() {
    for (Thread t : temporaryThreads) {
      if (t.isAlive() && !isBlocked(t.getState())) {
        return false;
      }
    }
    return true;
  }

  private String describe(long starvingNanos, boolean compensating) {
    StringBuilder text = new StringBuilder("every worker of ").append(pool.name())
        .append(" has been blocked for ").append(TimeUnit.NANOSECONDS.toMillis(starvingNanos))
        .append(" ms while ").append(pool.queuedTasks())
        .append(" tasks wait (a task blocks on work queued behind it, e.g. a CompletableFuture.join()"
            + " or a latch inside a task); ")
        .append(compensating ? "starting a temporary worker" : "no temporary worker started (limit "
            + maxTemporaryWorkers + " reached or pool stopping)")
        .append(". Worker stack tops:");
    for (Thread t : pool.threads()) {
      text.append("\n  ").append(t.getName()).append(" ").append(t.getState());
      StackTraceElement[] stack = t.getStackTrace();
      for (int i = 0; i < Math.min(6, stack.length); i++) {
        text.append("\n      at ").append(stack[i]);
      }
    }
    return text.toString();
  }

  static boolean isBlocked(State state) {
    return state == State.WAITING || state == State.TIMED_WAITING || state == State.BLOCKED;
  }

  private static ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "zeropool-starvation-watchdog");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
