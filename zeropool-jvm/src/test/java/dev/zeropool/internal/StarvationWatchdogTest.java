package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zeropool.PoolStarvationException;
import java.lang.Thread.State;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The starvation watchdog's rule, one look at a time: the test calls {@link StarvationWatchdog#run()}
 * itself (the watchdog is made without a timer), so what each look sees is set up before it and
 * nothing depends on when a timer fires. What is checked is mostly what must <em>not</em> be reported:
 * no report while nothing waits, while a worker runs, or while work progresses between looks, and a
 * stretch of starving looks that starts over after a look with progress.
 */
class StarvationWatchdogTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  /** What {@link #await} shows: a wait the pool cannot see. */
  private static final State[] IN_A_WAIT = {State.WAITING, State.TIMED_WAITING};

  private final List<PoolStarvationException> reports = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicReference<Thread> workerThread = new AtomicReference<>();
  private WorkerPool pool;

  @AfterEach
  void stopPool() throws InterruptedException {
    release.countDown();
    if (pool != null) {
      pool.shutdown(); // every task of a test ends once it is released
      if (!pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
        pool.shutdownNow("test over", false);
        fail("the pool did not stop");
      }
    }
  }

  /** A pool of one worker without a watchdog of its own. */
  private WorkerPool onePool() {
    pool = new WorkerPool("watchdog-test", 1, r -> {
      Thread t = new Thread(r, "watchdog-test-worker");
      t.setDaemon(true);
      workerThread.set(t);
      return t;
    }, 0L, null, null, null, 0L, 0);
    return pool;
  }

  /** A watchdog of {@link #pool} with no timer: each {@code run()} of the test is one look. */
  private StarvationWatchdog watchdog(long detectAfterNanos, int maxTemporaryWorkers) throws Exception {
    Constructor<StarvationWatchdog> make = StarvationWatchdog.class.getDeclaredConstructor(
        WorkerPool.class, long.class, int.class, Consumer.class);
    make.setAccessible(true);
    Consumer<PoolStarvationException> reporter = reports::add;
    return make.newInstance(pool, detectAfterNanos, maxTemporaryWorkers, reporter);
  }

  /** A private field of {@code dog}. */
  private static Object field(StarvationWatchdog dog, String name) throws ReflectiveOperationException {
    Field f = StarvationWatchdog.class.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(dog);
  }

  /** Blocks a task until the test lets it go on (every latch is counted down in a finally block, or when the pool stops). */
  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out waiting until " + what);
      }
      Thread.sleep(1);
    }
  }

  /** Waits until the worker has started the task that counted {@code started} down and sits in one of {@code states}. */
  private void workerIsIn(CountDownLatch started, State... states) throws InterruptedException {
    assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS), "the worker never started the task");
    isIn(workerThread.get(), states);
  }

  private static void isIn(Thread t, State... states) throws InterruptedException {
    List<State> wanted = List.of(states);
    until(() -> wanted.contains(t.getState()), t.getName() + " is " + wanted + " (it is " + t.getState() + ")");
  }

  /** Lets at least {@code nanos} of wall time pass since {@code since}: what is tested here is elapsed time. */
  private static void letPass(long since, long nanos) throws InterruptedException {
    while (System.nanoTime() - since < nanos) {
      Thread.sleep(1);
    }
  }

  @Test
  void onlyWaitingTimedWaitingAndBlockedThreadsCountAsBlocked() {
    EnumSet<State> blocked = EnumSet.of(State.WAITING, State.TIMED_WAITING, State.BLOCKED);
    for (State state : State.values()) {
      assertEquals(blocked.contains(state), StarvationWatchdog.isBlocked(state), state.name());
    }
  }

  @Test
  void aWorkerInATimedWaitWithWorkQueuedIsReportedAtTheSecondLook() throws Exception {
    onePool();
    StarvationWatchdog dog = watchdog(0L, 0);
    CountDownLatch started = new CountDownLatch(1);
    try {
      pool.execute(() -> {
        started.countDown();
        try {
          release.await(1, TimeUnit.HOURS); // TIMED_WAITING, a wait the pool cannot see
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      workerIsIn(started, State.TIMED_WAITING);
      pool.execute(() -> { });
      dog.run();
      assertEquals(0, reports.size(), "the first look has no earlier progress count to compare with");
      dog.run();
      assertEquals(1, reports.size(), "nothing taken since the first look, work waits, the worker is blocked");
      String report = reports.get(0).getMessage();
      assertTrue(report.contains("watchdog-test-worker TIMED_WAITING"), report);
      assertTrue(report.contains("no temporary worker started (limit 0 reached"), report);
      assertEquals(0, dog.temporaryWorkers());
    } finally {
      release.countDown();
    }
  }

  @Test
  void noReportWhileNothingWaitsThoughTheWorkerIsBlocked() throws Exception {
    onePool();
    StarvationWatchdog dog = watchdog(0L, 0);
    CountDownLatch started = new CountDownLatch(1);
    try {
      pool.execute(() -> {
        started.countDown();
        await(release);
      });
      workerIsIn(started, IN_A_WAIT);
      for (int look = 0; look < 4; look++) {
        dog.run();
      }
      assertEquals(0, reports.size(), "a blocked worker with nothing queued behind it is not starving anything");
      pool.execute(() -> { });
      dog.run();
      assertEquals(1, reports.size(), "once a task waits, the next look reports");
    } finally {
      release.countDown();
    }
  }

  @Test
  void noReportWhileTheWorkerRunsThoughWorkIsQueued() throws Exception {
    onePool();
    StarvationWatchdog dog = watchdog(0L, 0);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch blockNow = new CountDownLatch(1);
    try {
      pool.execute(() -> {
        started.countDown();
        while (blockNow.getCount() > 0) {
          Thread.onSpinWait(); // RUNNABLE: busy, not blocked
        }
        await(release);
      });
      workerIsIn(started, State.RUNNABLE);
      pool.execute(() -> { });
      for (int look = 0; look < 4; look++) {
        dog.run();
      }
      assertEquals(0, reports.size(), "a running worker will come to the queued task");
      blockNow.countDown();
      workerIsIn(started, IN_A_WAIT);
      dog.run();
      assertEquals(1, reports.size(), "once it blocks, the next look reports");
    } finally {
      blockNow.countDown();
      release.countDown();
    }
  }

  @Test
  void aStretchOfStarvingLooksStartsOverAfterALookThatSawProgress() throws Exception {
    onePool();
    long detectAfter = TimeUnit.MILLISECONDS.toNanos(20);
    StarvationWatchdog dog = watchdog(detectAfter, 0);
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch firstRelease = new CountDownLatch(1);
    CountDownLatch secondStarted = new CountDownLatch(1);
    try {
      pool.execute(() -> {
        firstStarted.countDown();
        await(firstRelease);
      });
      workerIsIn(firstStarted, IN_A_WAIT);
      pool.execute(() -> {
        secondStarted.countDown();
        await(release);
      });
      pool.execute(() -> { });
      dog.run();
      long stretchStart = System.nanoTime();
      dog.run();
      assertEquals(0, reports.size(), "a stretch of starving looks shorter than detectAfter is not reported");

      firstRelease.countDown(); // the worker takes the second task: progress
      workerIsIn(secondStarted, IN_A_WAIT);
      letPass(stretchStart, detectAfter);
      dog.run();
      assertEquals(0, reports.size(), "this look saw the worker take work");
      dog.run(); // the first starving look since the progress: the new stretch starts in it
      long secondStretch = System.nanoTime(); // read after that look, so a wait from here is long enough
      assertEquals(0, reports.size(), "starving again, but only since the last look: the stretch started over");

      letPass(secondStretch, detectAfter);
      dog.run();
      assertEquals(1, reports.size(), "starving for detectAfter since the look with progress");
    } finally {
      firstRelease.countDown();
      release.countDown();
    }
  }

  @Test
  void noReportWithinDetectAfterOfTheFirstStarvingLook() throws Exception {
    onePool();
    StarvationWatchdog dog = watchdog(TimeUnit.MINUTES.toNanos(10), 0);
    CountDownLatch started = new CountDownLatch(1);
    try {
      pool.execute(() -> {
        started.countDown();
        await(release);
      });
      workerIsIn(started, IN_A_WAIT);
      pool.execute(() -> { });
      for (int look = 0; look < 4; look++) {
        dog.run();
      }
      assertEquals(0, reports.size(), "starving, but for less than detectAfter");
    } finally {
      release.countDown();
    }
  }

  @Test
  void workATemporaryWorkerTakesFromTheQueueCountsAsProgress() throws Exception {
    onePool();
    StarvationWatchdog dog = watchdog(0L, 1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch temporaryStarted = new CountDownLatch(1);
    CountDownLatch lastRan = new CountDownLatch(1);
    AtomicReference<Thread> temporary = new AtomicReference<>();
    try {
      pool.execute(() -> {
        started.countDown();
        await(release);
      });
      workerIsIn(started, IN_A_WAIT);
      pool.execute(() -> {
        temporary.set(Thread.currentThread());
        temporaryStarted.countDown();
        await(release);
      });
      pool.execute(lastRan::countDown);
      dog.run();
      dog.run();
      assertEquals(1, reports.size());
      assertTrue(reports.get(0).getMessage().contains("starting a temporary worker"), reports.get(0).getMessage());
      assertTrue(temporaryStarted.await(WAIT_SECONDS, TimeUnit.SECONDS), "the temporary worker took the queued task");
      Thread t = temporary.get();
      assertTrue(t.getName().startsWith("watchdog-test-temporary-worker-"), t.getName());
      assertTrue(t.isDaemon(), "a temporary worker never keeps the JVM alive, whichever thread started it");
      isIn(t, IN_A_WAIT);
      assertEquals(1, dog.temporaryWorkers());

      dog.run();
      assertEquals(1, reports.size(), "the temporary worker took work since the last look");
      dog.run();
      assertEquals(2, reports.size(), "stalled again, and the limit of one temporary worker is reached");
      assertTrue(reports.get(1).getMessage().contains("no temporary worker started (limit 1 reached"),
          reports.get(1).getMessage());

      release.countDown();
      assertTrue(lastRan.await(WAIT_SECONDS, TimeUnit.SECONDS), "the last queued task ran");
      until(() -> dog.temporaryWorkers() == 0, "the temporary worker retires once it finds no work");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aTemporaryWorkerStealsTheBlockedWorkersRunNextTaskAndThatCountsAsProgress() throws Exception {
    onePool();
    StarvationWatchdog dog = watchdog(0L, 1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch stolenStarted = new CountDownLatch(1);
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    try {
      pool.execute(() -> {
        pool.execute(() -> { // from a worker: into its own run-next slot, not the queue
          ranOn.set(Thread.currentThread());
          stolenStarted.countDown();
          await(release);
        });
        started.countDown();
        await(release);
      });
      workerIsIn(started, IN_A_WAIT);
      assertTrue(pool.foreground.isEmpty(), "the only waiting task is in the worker's run-next slot");
      dog.run();
      dog.run();
      assertEquals(1, reports.size(), "a task in a blocked worker's run-next slot waits as well");
      assertTrue(stolenStarted.await(WAIT_SECONDS, TimeUnit.SECONDS), "the temporary worker stole it");
      Thread t = ranOn.get();
      assertFalse(t == workerThread.get(), "not the blocked worker");
      assertTrue(t.getName().startsWith("watchdog-test-temporary-worker-"), t.getName());
      isIn(t, IN_A_WAIT);
      pool.execute(() -> { });
      dog.run();
      assertEquals(1, reports.size(), "the steal counts as progress");
      dog.run();
      assertEquals(2, reports.size());
    } finally {
      release.countDown();
    }
    until(() -> dog.temporaryWorkers() == 0, "the temporary worker retires once it finds no work");
  }

  @Test
  void theWatchdogLooksFourTimesPerDetectAfterAndStopsLookingOnceItsPoolHasTerminated() throws Exception {
    onePool();
    long detectAfter = TimeUnit.HOURS.toNanos(4);
    StarvationWatchdog dog = StarvationWatchdog.watch(pool, detectAfter, 0, reports::add);
    ScheduledFuture<?> schedule = (ScheduledFuture<?>) field(dog, "schedule");
    try {
      long period = detectAfter / 4;
      long delay = schedule.getDelay(TimeUnit.NANOSECONDS);
      assertTrue(delay <= period && delay > period - TimeUnit.MINUTES.toNanos(10),
          "the first look comes a quarter of detectAfter after the start, not in " + delay + " ns");
      pool.shutdown();
      assertTrue(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
      assertFalse(schedule.isCancelled());
      dog.run();
      assertTrue(schedule.isCancelled(), "a look at a terminated pool ends the watch");
      assertEquals(0, reports.size());
    } finally {
      schedule.cancel(false);
    }
  }

  @Test
  void aLookCountsTheWorkersAndTheTemporaryWorkersProgressTogether() throws Exception {
    onePool();
    StarvationWatchdog dog = watchdog(0L, 0);
    CountDownLatch started = new CountDownLatch(1);
    try {
      pool.execute(() -> {
        started.countDown();
        await(release);
      });
      workerIsIn(started, IN_A_WAIT);
      pool.execute(() -> { });
      dog.run();
      // since that look the worker took one item (as if before it blocked again) and a temporary worker one
      pool.workers[0].tookWork();
      ((AtomicLong) field(dog, "temporaryProgress")).incrementAndGet();
      dog.run();
      assertEquals(0, reports.size(), "two items taken since the last look: progress");
      dog.run();
      assertEquals(1, reports.size(), "none since");
    } finally {
      release.countDown();
    }
  }

  /**
   * A temporary worker that takes a run while more work waits wakes an idle worker, as a worker does.
   * The pool's threads end at once here, so the test plays a listed worker and runs the temporary
   * worker's loop itself.
   */
  @Test
  void aTemporaryWorkerWakesAnIdleWorkerWhenMoreWorkWaitsBehindItsRun() throws Exception {
    WorkerPool idlePool = new WorkerPool("watchdog-test", 2, r -> new Thread(() -> { }), 0L, null, null,
        null, 0L, 0);
    Constructor<StarvationWatchdog> make = StarvationWatchdog.class.getDeclaredConstructor(
        WorkerPool.class, long.class, int.class, Consumer.class);
    make.setAccessible(true);
    Consumer<PoolStarvationException> reporter = reports::add;
    StarvationWatchdog dog = make.newInstance(idlePool, 0L, 1, reporter);
    AtomicInteger ran = new AtomicInteger();
    int tasks = 10;
    for (int i = 0; i < tasks; i++) {
      assertTrue(idlePool.submit(WorkerPool.RUN_RUNNABLE, (Runnable) ran::incrementAndGet, null, false));
    }
    idlePool.parking.pushIdle(idlePool.workers[1]); // listed after the submissions: nobody woke it
    assertEquals(0, idlePool.wakeUps());
    assertTrue(idlePool.lifecycle.threadStarting(), "as startTemporaryWorker counts the thread in");
    Method compensate = StarvationWatchdog.class.getDeclaredMethod("compensate");
    compensate.setAccessible(true);
    compensate.invoke(dog);
    assertEquals(tasks, ran.get(), "the temporary worker runs the queued work until none is left");
    assertEquals(1, idlePool.wakeUps(), "and passes a wake-up on to the idle worker");
    assertEquals(0, idlePool.parking.listedWorkers().length);
    assertTrue(((AtomicLong) field(dog, "temporaryProgress")).get() >= 2, "more than one run");
    assertFalse(idlePool.isTerminated(), "the pool's own threads are still counted");
  }

  @Test
  void aTerminatedPoolGetsNoTemporaryWorker() throws Exception {
    onePool();
    StarvationWatchdog dog = watchdog(0L, 1);
    pool.shutdown();
    assertTrue(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
    Method start = StarvationWatchdog.class.getDeclaredMethod("startTemporaryWorker");
    start.setAccessible(true);
    assertEquals(false, start.invoke(dog), "no thread may start once the pool has terminated");
    assertEquals(0, dog.temporaryWorkers());
  }

  @Test
  void afterStartingATemporaryWorkerTheNextOneWaitsAFullDetectAfter() throws Exception {
    onePool();
    long detectAfter = TimeUnit.MILLISECONDS.toNanos(20);
    StarvationWatchdog dog = watchdog(detectAfter, 2);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch temporaryStarted = new CountDownLatch(1);
    try {
      pool.execute(() -> {
        started.countDown();
        await(release);
      });
      workerIsIn(started, IN_A_WAIT);
      pool.execute(() -> {
        temporaryStarted.countDown();
        await(release);
      });
      pool.execute(() -> { });
      dog.run();
      dog.run(); // the first starving look
      long stretchStart = System.nanoTime();
      letPass(stretchStart, detectAfter);
      long beforeCompensation = System.nanoTime();
      dog.run();
      assertEquals(1, reports.size());
      assertTrue(temporaryStarted.await(WAIT_SECONDS, TimeUnit.SECONDS), "a temporary worker started");
      assertTrue((long) field(dog, "starvingSince") - beforeCompensation >= 0,
          "the stretch of starving looks starts over when a temporary worker starts");
    } finally {
      release.countDown();
    }
  }
}
