package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The public contract of {@link ZeroPool}, {@link TaskFuture} and {@link TaskBatch}. */
class ZeroPoolTest {

  /** A parameter object: input, output, and where the task ran. */
  static final class Cell {
    final int in;
    int out;
    Thread ranOn;

    Cell(int in) {
      this.in = in;
    }
  }

  static final TaskFn<Cell> SQUARE = c -> {
    c.out = c.in * c.in;
    c.ranOn = Thread.currentThread();
  };
  static final TaskFn<Cell> NEGATE = c -> c.out = -c.in;
  static final TaskFn<CountDownLatch> BLOCK = latch -> {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };

  private final List<ZeroPool> pools = new ArrayList<>();

  private ZeroPool pool(int workers) {
    return track(ZeroPool.create(workers));
  }

  private ZeroPool track(ZeroPool pool) {
    pools.add(pool);
    return pool;
  }

  @AfterEach
  void closePools() {
    pools.forEach(ZeroPool::shutdownNow);
  }

  private static Cell[] cells(int n) {
    Cell[] cells = new Cell[n];
    for (int i = 0; i < n; i++) {
      cells[i] = new Cell(i);
    }
    return cells;
  }

  // ---- submission forms ----

  @Test
  void singleTaskWritesItsResultIntoItsParameters() {
    Cell c = new Cell(7);
    TaskFuture f = pool(2).submitTask(SQUARE, c);
    f.join();
    assertTrue(f.isDone());
    assertNull(f.failure());
    assertEquals(49, c.out);
  }

  @Test
  void uniformBatchFromArrayAndFromList() {
    ZeroPool pool = pool(2);
    Cell[] array = cells(1000);
    pool.submitBatch(SQUARE, array).join();
    List<Cell> list = Arrays.asList(cells(300));
    pool.submitBatch(SQUARE, list).join();
    for (Cell c : array) {
      assertEquals(c.in * c.in, c.out);
    }
    for (Cell c : list) {
      assertEquals(c.in * c.in, c.out);
    }
  }

  @Test
  void mixedPrebuiltBatchCanBeSubmittedAgainAndAgain() {
    ZeroPool pool = pool(2);
    Cell a = new Cell(3);
    Cell[] many = cells(50);
    Cell b = new Cell(4);
    TaskBatch batch = TaskBatch.builder().add(SQUARE, a).addAll(NEGATE, many).add(SQUARE, b).build();
    assertEquals(52, batch.size());
    assertSame(NEGATE, batch.fn(1));
    for (int round = 0; round < 200; round++) {
      a.out = 0;
      b.out = 0;
      pool.submitBatch(batch).join();
      assertEquals(9, a.out);
      assertEquals(16, b.out);
      assertEquals(-49, many[49].out);
    }
  }

  @Test
  void independentSubmissionsCanBeWaitedInAnyOrder() {
    ZeroPool pool = pool(2);
    Cell[] cells = cells(20);
    TaskFuture[] futures = new TaskFuture[cells.length];
    for (int i = 0; i < cells.length; i++) {
      futures[i] = pool.submitTask(SQUARE, cells[i]);
    }
    for (int i = cells.length - 1; i >= 0; i--) {
      futures[i].join();
      assertEquals(i * i, cells[i].out);
    }
  }

  @Test
  void emptyBatchesReturnACompletedFuture() {
    ZeroPool pool = pool(1);
    for (TaskFuture f : List.of(pool.submitBatch(SQUARE, new Cell[0]), pool.submitBatch(SQUARE, List.of()),
        pool.submitBatch(TaskBatch.empty()), pool.submitBatch(TaskBatch.builder().build()))) {
      assertTrue(f.isDone());
      f.join();
    }
  }

  // ---- bad input ----

  @Test
  void badInputFailsAtTheCallSiteNamingTheArgument() {
    ZeroPool pool = pool(1);
    assertEquals("fn", assertThrows(NullPointerException.class, () -> pool.submitTask(null, new Cell(1))).getMessage());
    assertEquals("fn", assertThrows(NullPointerException.class, () -> pool.submitBatch(null, cells(1))).getMessage());
    assertEquals("params", assertThrows(NullPointerException.class, () -> pool.submitBatch(SQUARE, (Cell[]) null)).getMessage());
    assertEquals("params", assertThrows(NullPointerException.class, () -> pool.submitBatch(SQUARE, (List<Cell>) null)).getMessage());
    assertEquals("batch", assertThrows(NullPointerException.class, () -> pool.submitBatch((TaskBatch) null)).getMessage());
    assertEquals("command", assertThrows(NullPointerException.class, () -> pool.execute(null)).getMessage());
    assertEquals("fn", assertThrows(NullPointerException.class, () -> TaskBatch.builder().add(null, 1)).getMessage());
    assertEquals("unit", assertThrows(NullPointerException.class,
        () -> pool.submitTask(SQUARE, new Cell(1)).await(1, null)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ZeroPool.create(0)).getMessage().contains("workers"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ZeroPool.builder().workers(-3)).getMessage().contains("workers"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ZeroPool.builder().spinWindow(java.time.Duration.ofMillis(-1))).getMessage().contains("spinWindow"));
  }

  // ---- failures ----

  @Test
  void failingTasksDoNotStopTheirBatchAndJoinRethrowsTheFirstWithTheOthersSuppressed() {
    List<Throwable> handled = new CopyOnWriteArrayList<>();
    ZeroPool pool = track(ZeroPool.builder().workers(2).failureHandler((fn, p, e) -> handled.add(e)).build());
    Cell[] cells = cells(100);
    TaskFn<Cell> failOnMultiplesOf10 = c -> {
      if (c.in % 10 == 3) {
        throw new IllegalStateException("task " + c.in);
      }
      c.out = 1;
    };
    TaskFuture f = pool.submitBatch(failOnMultiplesOf10, cells);
    CompletionException thrown = assertThrows(CompletionException.class, f::join);
    assertInstanceOf(IllegalStateException.class, thrown.getCause());
    assertEquals(9, thrown.getSuppressed().length);
    assertSame(thrown, f.failure());
    assertEquals(90, Arrays.stream(cells).mapToInt(c -> c.out).sum(), "every other task ran");
    assertEquals(10, handled.size());
    Cell after = new Cell(5);
    pool.submitTask(SQUARE, after).join(); // the workers survived
    assertEquals(25, after.out);
  }

  @Test
  void suppressedFailuresAreBounded() {
    ZeroPool pool = pool(2);
    TaskFuture f = pool.submitBatch(c -> {
      throw new IllegalArgumentException();
    }, cells(500));
    CompletionException thrown = assertThrows(CompletionException.class, f::join);
    assertEquals(TaskFuture.MAX_SUPPRESSED, thrown.getSuppressed().length);
  }

  @Test
  void errorsAreRecordedAndReportedNotSwallowed() throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ZeroPool pool = track(ZeroPool.builder().workers(1).threadFactory(r -> {
      Thread t = new Thread(r, "error-test");
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
      return t;
    }).build());
    CountDownLatch hold = new CountDownLatch(1);
    pool.submitTask(BLOCK, hold);
    TaskFuture f = pool.submitTask(c -> {
      throw new StackOverflowError("deep");
    }, new Cell(1));
    hold.countDown();
    // A timed await never helps, so the failing task runs on the worker, whose handler we watch.
    assertInstanceOf(StackOverflowError.class,
        assertThrows(CompletionException.class, () -> f.await(Waits.SECONDS, TimeUnit.SECONDS)).getCause());
    pool.execute(() -> {
      throw new IllegalStateException("from execute");
    });
    assertTrue(pool.submitTask(SQUARE, new Cell(2)).await(Waits.SECONDS, TimeUnit.SECONDS)); // FIFO: after the execute task
    assertEquals(2, uncaught.size(), "the Error and the execute failure: " + uncaught);
  }

  // ---- waiting ----

  @Test
  void awaitTimesOutThenSucceedsAndRethrowsFailures() throws Exception {
    ZeroPool pool = pool(1);
    CountDownLatch latch = new CountDownLatch(1);
    TaskFuture f = pool.submitTask(BLOCK, latch);
    assertFalse(f.await(20, TimeUnit.MILLISECONDS));
    assertFalse(f.isDone());
    latch.countDown();
    assertTrue(f.await(Waits.SECONDS, TimeUnit.SECONDS));
    TaskFuture failed = pool.submitTask(c -> {
      throw new IllegalStateException("x");
    }, null);
    assertThrows(CompletionException.class, () -> failed.await(Waits.SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void awaitIsInterruptibleAndJoinIsNot() throws Exception {
    ZeroPool pool = pool(1);
    Gate gate = new Gate();
    try {
      TaskFuture f = gate.run(pool, Gate.HOLD); // on the worker: a joiner has nothing to help with
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, () -> f.await(Waits.SECONDS, TimeUnit.SECONDS));
      assertFalse(Thread.interrupted(), "await consumed the interrupt it threw for");
      AtomicReference<Boolean> interruptedAfterJoin = new AtomicReference<>();
      Thread joiner = new Thread(() -> {
        f.join();
        interruptedAfterJoin.set(Thread.currentThread().isInterrupted());
      }, "joiner");
      joiner.start();
      Waits.state(joiner, Thread.State.WAITING); // parked in join
      joiner.interrupt();
      joiner.join(100); // a join that gave up on the interrupt would end here
      assertTrue(joiner.isAlive(), "join keeps waiting when interrupted");
      assertFalse(f.isDone());
      gate.release();
      Waits.ended(joiner);
      assertEquals(Boolean.TRUE, interruptedAfterJoin.get(), "join re-asserts the interrupt");
    } finally {
      gate.release();
    }
  }

  @Test
  void anyThreadCanWaitNotOnlyTheSubmitter() throws Exception {
    ZeroPool pool = pool(2);
    Cell[] cells = cells(5000);
    TaskFuture f = pool.submitBatch(SQUARE, cells);
    List<Thread> waiters = new ArrayList<>();
    AtomicInteger ok = new AtomicInteger();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        f.join();
        if (cells[4999].out == 4999 * 4999) {
          ok.incrementAndGet();
        }
      });
      waiters.add(t);
      t.start();
    }
    for (Thread t : waiters) {
      Waits.ended(t);
    }
    assertEquals(4, ok.get());
  }

  @Test
  void callbacksAndCompletableFutureViewSeeTheOutcome() throws Exception {
    ZeroPool pool = pool(2);
    CountDownLatch called = new CountDownLatch(2);
    AtomicReference<CompletionException> seen = new AtomicReference<>(new CompletionException(null));
    TaskFuture ok = pool.submitBatch(SQUARE, cells(10));
    ok.whenDone(e -> {
      seen.set(e);
      called.countDown();
    });
    TaskFuture failed = pool.submitTask(c -> {
      throw new UnsupportedOperationException("no");
    }, null);
    failed.whenDone(e -> called.countDown());
    assertTrue(called.await(Waits.SECONDS, TimeUnit.SECONDS));
    assertNull(seen.get());
    assertNull(ok.toCompletableFuture().get(Waits.SECONDS, TimeUnit.SECONDS));
    ExecutionException e = assertThrows(ExecutionException.class, () -> failed.toCompletableFuture().get(Waits.SECONDS, TimeUnit.SECONDS));
    assertInstanceOf(UnsupportedOperationException.class, e.getCause());
    assertNotSame(ok.toCompletableFuture(), ok.toCompletableFuture());
    AtomicInteger late = new AtomicInteger();
    ok.whenDone(x -> late.incrementAndGet()); // already done: runs at once on this thread
    assertEquals(1, late.get());
  }

  @Test
  void nestedJoinsInsideWorkersNeverDeadlock() {
    ZeroPool pool = pool(1); // one worker: a blocking join would hang at the first level
    AtomicInteger leaves = new AtomicInteger();
    TaskFn<Integer>[] level = new TaskFn[1];
    level[0] = depth -> {
      if (depth == 0) {
        leaves.incrementAndGet();
        return;
      }
      pool.submitBatch(level[0], new Integer[] {depth - 1, depth - 1, depth - 1}).join();
    };
    pool.submitTask(level[0], 5).join();
    assertEquals(243, leaves.get());
  }

  @Test
  void anOutsideWaiterRunsOnlyItsOwnTasks() throws Exception {
    ZeroPool pool = pool(1);
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    pool.execute(() -> { // the only worker is busy
      started.countDown();
      BLOCK.run(hold);
    });
    Cell other = new Cell(1);
    pool.submitTask(SQUARE, other); // someone else's task, at the head of the queue
    Cell[] mine = cells(3);
    TaskFuture f = pool.submitBatch(SQUARE, mine);
    Thread joiner = new Thread(f::join, "joiner");
    try {
      joiner.start();
      joiner.join(10_000); // the batch's tasks are claimed from its own entry, wherever it sits
      assertFalse(joiner.isAlive(), "the joiner runs its own batch without waiting for the busy worker");
      assertTrue(f.isDone());
      assertNull(other.ranOn, "the joiner must not run the other submission's task to reach its own");
    } finally {
      hold.countDown();
    }
    joiner.join(10_000);
    assertNotSame(joiner, other.ranOn);

    CountDownLatch hold2 = new CountDownLatch(1);
    CountDownLatch started2 = new CountDownLatch(1);
    pool.execute(() -> {
      started2.countDown();
      BLOCK.run(hold2);
    });
    assertTrue(started2.await(Waits.SECONDS, TimeUnit.SECONDS));
    Cell[] own = cells(3);
    pool.submitBatch(SQUARE, own).join(); // own tasks at the head: this thread runs them
    for (Cell c : own) {
      assertSame(Thread.currentThread(), c.ranOn);
    }
    hold2.countDown();
  }

  @Test
  void writesOfTasksHappenBeforeJoinReturns() {
    ZeroPool pool = pool(2);
    final class Plain {
      long a;
      long b;
    }
    TaskFn<Plain> write = p -> {
      p.a = 1;
      p.b = 2;
    };
    for (int round = 0; round < 2000; round++) {
      Plain[] ps = new Plain[8];
      for (int i = 0; i < ps.length; i++) {
        ps[i] = new Plain();
      }
      pool.submitBatch(write, ps).join();
      for (Plain p : ps) {
        assertEquals(3, p.a + p.b);
      }
    }
  }

  // ---- wake-ups ----

  @Test
  void aSubmissionWakesAsManyWorkersAsCanHelpAndNoMore() throws Exception {
    ZeroPool pool = pool(4);
    Waits.parked(pool);
    long before = pool.stats().wakeUps();
    Gate one = new Gate();
    CountDownLatch bothStarted = new CountDownLatch(2);
    CountDownLatch hold2 = new CountDownLatch(1);
    try {
      one.run(pool, Gate.HOLD);
      assertEquals(1, pool.stats().wakeUps() - before, "one task wakes one worker");
      one.release();
      Waits.parked(pool);
      before = pool.stats().wakeUps();
      pool.submitBatch(latches -> {
        latches[0].countDown();
        BLOCK.run(latches[1]);
      }, new CountDownLatch[][] {{bothStarted, hold2}, {bothStarted, hold2}});
      Waits.open(bothStarted, "two blocking tasks need two workers");
      assertEquals(2, pool.stats().wakeUps() - before, "two blocking tasks wake exactly two workers");
      assertEquals(2, pool.stats().parkedWorkers(), "the other two stay parked");
    } finally {
      one.release();
      hold2.countDown();
    }
  }

  @Test
  void noWakeUpIsLostAcrossBurstsWithIdleGaps() throws Exception {
    ZeroPool pool = pool(2);
    Cell c = new Cell(3);
    for (int burst = 0; burst < 3000; burst++) {
      TaskFuture f = (burst & 1) == 0 ? pool.submitTask(SQUARE, c) : pool.submitBatch(SQUARE, new Cell[] {c, c, c});
      // A timed await never helps, so only a worker can finish the task: a lost wake-up times out.
      assertTrue(f.await(5, TimeUnit.SECONDS), "burst " + burst + " was never run");
      if (burst % 100 == 0) {
        Thread.sleep(2); // let every worker park
      } else if (burst % 7 == 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000);
      }
    }
  }

  @Test
  void anIdlePoolUsesNoCpu() throws Exception {
    Set<Thread> workers = ConcurrentHashMap.newKeySet();
    ZeroPool pool = track(ZeroPool.builder().workers(2).threadFactory(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      workers.add(t);
      return t;
    }).build());
    pool.submitBatch(SQUARE, cells(10_000)).join();
    Waits.parked(pool);
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long before = workers.stream().mapToLong(t -> mx.getThreadCpuTime(t.getId())).sum();
    long start = System.nanoTime();
    Thread.sleep(500);
    long window = System.nanoTime() - start;
    long used = workers.stream().mapToLong(t -> mx.getThreadCpuTime(t.getId())).sum() - before;
    // A spinning worker would use about the whole window; parked ones use next to nothing.
    assertTrue(used < window / 10, "idle workers used " + used / 1000 + " µs of CPU in " + window / 1000 + " µs");
  }

  // ---- lifecycle ----

  @Test
  void shutdownRunsAcceptedWorkAndRefusesNewWork() throws Exception {
    ZeroPool pool = pool(2);
    AtomicInteger ran = new AtomicInteger();
    TaskFn<AtomicInteger> count = AtomicInteger::incrementAndGet;
    for (int i = 0; i < 100; i++) {
      pool.submitBatch(count, new AtomicInteger[] {ran, ran, ran, ran, ran, ran, ran, ran, ran, ran});
    }
    pool.shutdown();
    assertTrue(pool.isShutdown());
    assertThrows(RejectedExecutionException.class, () -> pool.submitTask(count, ran));
    assertThrows(RejectedExecutionException.class, () -> pool.submitBatch(count, new AtomicInteger[] {ran}));
    assertThrows(RejectedExecutionException.class, () -> pool.execute(ran::incrementAndGet));
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertTrue(pool.isTerminated());
    assertEquals(1000, ran.get());
  }

  @Test
  void shutdownNowHandsBackWhatNeverStartedAndFailsTheirFutures() throws Exception {
    ZeroPool pool = pool(1);
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    TaskFuture running = pool.submitTask(latches -> {
      latches[0].countDown();
      BLOCK.run(latches[1]);
    }, new CountDownLatch[] {started, hold});
    assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS)); // the worker's run holds nothing else
    Cell[] waiting = cells(5);
    TaskFuture queued = pool.submitBatch(SQUARE, waiting);
    Runnable plain = () -> { };
    pool.execute(plain);
    List<Runnable> notRun = pool.shutdownNow();
    assertEquals(6, notRun.size());
    assertSame(plain, notRun.get(5));
    assertEquals("pool shut down before this task started",
        assertThrows(CancellationException.class, queued::join).getMessage());
    notRun.get(1).run(); // running a handed-back task runs it
    assertEquals(1, waiting[1].out);
    assertEquals(0, waiting[2].out);
    running.join(); // the interrupt released the blocked task
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void closeWaitsForQueuedWorkAndIsRefusedInsideAWorker() throws Exception {
    ZeroPool pool = pool(2);
    AtomicReference<Throwable> fromWorker = new AtomicReference<>();
    CountDownLatch tried = new CountDownLatch(1);
    pool.execute(() -> { // execute: never run by a helping caller, always on a worker
      try {
        pool.close();
      } catch (Throwable t) {
        fromWorker.set(t);
      }
      tried.countDown();
    });
    assertTrue(tried.await(Waits.SECONDS, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, fromWorker.get());
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 50; i++) {
      pool.execute(() -> {
        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        ran.incrementAndGet();
      });
    }
    try (pool) {
      assertTrue(pool.toString().contains("Running"));
    }
    assertEquals(50, ran.get());
    assertTrue(pool.isTerminated());
    assertTrue(pool.toString().contains("Terminated"), pool.toString());
  }

  @Test
  void builderSettingsApply() throws Exception {
    ZeroPool pool = track(ZeroPool.builder().workers(3).threadNamePrefix("frame-").daemon(false)
        .spinWindow(java.time.Duration.ofNanos(20_000)).build());
    assertEquals(3, pool.workerCount());
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    CountDownLatch hold = new CountDownLatch(1);
    pool.submitTask(BLOCK, hold);
    pool.execute(() -> ranOn.set(Thread.currentThread()));
    hold.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertTrue(ranOn.get().getName().startsWith("frame-"), ranOn.get().getName());
    assertFalse(ranOn.get().isDaemon());
    assertEquals(Runtime.getRuntime().availableProcessors(), track(ZeroPool.create()).workerCount());
  }
}
