package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The starvation watchdog step by step: the only worker is blocked on a monitor while two tasks wait;
 * the watchdog reports and starts a temporary worker, which takes the first queued task and blocks in
 * it in turn; the next report says the limit of one temporary worker is reached. What each report
 * says, and what the metrics hook is told, is checked.
 */
class StarvationReportTest {

  /** Runs {@code body} {@code depth} calls deep, so that the blocked worker's stack is deeper than the report's six frames. */
  private static void nested(int depth, Runnable body) {
    if (depth == 0) {
      body.run();
    } else {
      nested(depth - 1, body);
    }
  }

  /** A failure handler that adds each starvation report's message to {@code reports}. */
  private static FailureHandler starvationReportsTo(List<String> reports) {
    return new FailureHandler() {
      @Override
      public void onFailure(TaskFn<?> fn, Object params, Throwable failure) {}

      @Override
      public void onStarvation(PoolStarvationException starvation) {
        reports.add(starvation.getMessage());
      }
    };
  }

  @Test
  void theWatchdogReportsCompensatesOnceAndThenReportsTheLimit() throws Exception {
    List<String> reports = new CopyOnWriteArrayList<>();
    List<Integer> detections = new CopyOnWriteArrayList<>();
    FailureHandler handler = starvationReportsTo(reports);
    PoolMetrics metrics = new PoolMetrics() {
      @Override
      public void starvationDetected(int temporaryWorkers) {
        detections.add(temporaryWorkers);
      }
    };
    Object monitor = new Object();
    CountDownLatch blockedWorkerRuns = new CountDownLatch(1);
    CountDownLatch releaseTemporary = new CountDownLatch(1);
    AtomicReference<Thread> temporary = new AtomicReference<>();
    AtomicInteger ran = new AtomicInteger();
    ZeroPool pool = ZeroPool.builder().workers(1).threadNamePrefix("starving-")
        .starvationWatchdog(Duration.ofMillis(50), 1).failureHandler(handler).metrics(metrics).build();
    try {
      TaskFuture blocked;
      TaskFuture first;
      TaskFuture second;
      synchronized (monitor) {
        blocked = pool.submitTask(ignored -> {
          blockedWorkerRuns.countDown();
          nested(4, () -> {
            synchronized (monitor) { // BLOCKED until the test lets go of the monitor
              ran.incrementAndGet();
            }
          });
        }, null);
        Waits.open(blockedWorkerRuns, "the worker started the blocked task");
        first = pool.submitTask(ignored -> {
          temporary.set(Thread.currentThread());
          WaitsTest.awaitLatch(releaseTemporary); // the temporary worker blocks here in turn
          ran.incrementAndGet();
        }, null);
        second = pool.submitTask(ignored -> ran.incrementAndGet(), null);
        try {
          Waits.until(() -> reports.size() >= 2, "a report, a temporary worker, then a report of the limit");
        } finally {
          releaseTemporary.countDown();
        }
      }
      Waits.done(blocked);
      Waits.done(first);
      Waits.done(second);
      assertEquals(3, ran.get());

      String report = reports.get(0);
      assertTrue(report.startsWith("every worker of zeropool-"), report);
      assertTrue(report.contains("starting a temporary worker"), report);
      assertTrue(report.contains(" 2 tasks wait"), report);
      assertTrue(report.contains("starving-0 BLOCKED"), report);
      assertEquals(6, report.split("\n      at ", -1).length - 1, "the top six frames of the worker: " + report);
      Matcher blockedFor = Pattern.compile("has been blocked for (-?\\d+) ms").matcher(report);
      assertTrue(blockedFor.find(), report);
      long millis = Long.parseLong(blockedFor.group(1));
      assertTrue(millis >= 50 && millis < 60_000, "blocked for " + millis + " ms");
      String limit = reports.get(1);
      assertTrue(limit.contains("no temporary worker started (limit 1 reached"), limit);
      assertEquals(0, detections.get(0), "the first report comes before the temporary worker starts");
      assertEquals(1, detections.get(1), "the second one counts it");
      Thread t = temporary.get();
      assertTrue(t.getName().endsWith("-temporary-worker-1"), t.getName());
      assertTrue(t.isDaemon(), "temporary workers never keep the JVM alive");
    } finally {
      releaseTemporary.countDown();
      pool.shutdownNow();
    }
  }

  /**
   * A temporary worker that computes (runnable, taking no new work) keeps the pool from counting as
   * starving: the worker is blocked and work waits, but no second report and no second temporary
   * worker come while it runs. Over eight watchdog periods; then, once it blocks too, the report comes.
   */
  @Test
  void aTemporaryWorkerThatComputesKeepsThePoolFromCountingAsStarving() throws Exception {
    List<String> reports = new CopyOnWriteArrayList<>();
    FailureHandler handler = starvationReportsTo(reports);
    CountDownLatch releaseWorker = new CountDownLatch(1);
    CountDownLatch workerBlocked = new CountDownLatch(1);
    CountDownLatch computing = new CountDownLatch(1);
    CountDownLatch releaseTemporary = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean stopComputing = new java.util.concurrent.atomic.AtomicBoolean();
    ZeroPool pool = ZeroPool.builder().workers(1)
        .starvationWatchdog(Duration.ofMillis(50), 2).failureHandler(handler).build();
    try {
      pool.execute(() -> {
        workerBlocked.countDown();
        WaitsTest.awaitUninterruptibly(releaseWorker);
      });
      Waits.open(workerBlocked, "the worker started the blocking task");
      pool.execute(() -> { // taken by the first temporary worker
        computing.countDown();
        while (!stopComputing.get()) {
          Thread.onSpinWait();
        }
        WaitsTest.awaitUninterruptibly(releaseTemporary); // then it blocks too
      });
      pool.execute(() -> { }); // keeps work waiting
      Waits.open(computing, "a temporary worker took the computing task");
      assertEquals(1, reports.size(), "the report that started the temporary worker");
      Thread.sleep(400); // eight periods: a starving pool would be reported again within two
      assertEquals(1, reports.size(), "no report while the temporary worker computes: " + reports);
      stopComputing.set(true);
      Waits.until(() -> reports.size() >= 2, "a report once the temporary worker blocks too");
    } finally {
      stopComputing.set(true);
      releaseTemporary.countDown();
      releaseWorker.countDown();
      pool.shutdownNow();
    }
  }
}
