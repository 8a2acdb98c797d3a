package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Graceful shutdown, worker replacement, cancellation before start, priorities and metrics. */
class LifecycleTest {

  static final TaskFn<CountDownLatch> BLOCK = latch -> {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };
  static final TaskFn<AtomicInteger> COUNT = AtomicInteger::incrementAndGet;

  // ---- graceful shutdown ----

  @Test
  void shutdownGracefullyDrainsQueuedWorkWithinTheDeadline() {
    ZeroPool pool = ZeroPool.create(2);
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger[] many = new AtomicInteger[10_000];
    java.util.Arrays.fill(many, ran);
    pool.submitBatch(COUNT, many);
    assertTrue(pool.shutdownGracefully(Duration.ofSeconds(10)));
    assertEquals(10_000, ran.get());
    assertTrue(pool.isTerminated());
  }

  @Test
  void shutdownGracefullyCancelsAndReportsWhatIsLeftAtTheDeadline() throws Exception {
    List<Throwable> reported = new CopyOnWriteArrayList<>();
    ZeroPool pool = ZeroPool.builder().workers(1).failureHandler((fn, p, e) -> reported.add(e)).build();
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    pool.execute(() -> { // interrupted at the deadline
      started.countDown();
      BLOCK.run(never);
    });
    assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS)); // so the worker's run holds nothing else
    AtomicInteger ran = new AtomicInteger();
    TaskFuture queued = pool.submitBatch(COUNT, new AtomicInteger[] {ran, ran, ran});
    pool.execute(ran::incrementAndGet);
    assertFalse(pool.shutdownGracefully(Duration.ofMillis(100)));
    assertEquals("not started before the shutdown deadline",
        assertThrows(CancellationException.class, queued::join).getMessage());
    assertEquals(4, reported.size(), "three batch tasks and one execute task reported");
    assertTrue(reported.stream().allMatch(e -> e instanceof CancellationException
        && "not started before the shutdown deadline".equals(e.getMessage())), reported::toString);
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(0, ran.get());
  }

  @Test
  void tasksAWorkerHadClaimedAreReportedWithTheDeadlineReasonToo() throws Exception {
    List<Throwable> reported = new CopyOnWriteArrayList<>();
    ZeroPool pool = ZeroPool.builder().workers(1).failureHandler((fn, p, e) -> reported.add(e)).build();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CountDownLatch secondStarted = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    try {
      pool.execute(() -> {
        firstStarted.countDown();
        BLOCK.run(releaseFirst);
      });
      Waits.open(firstStarted, "the first task started");
      // Queued while the worker is busy, so the worker claims them as one run once it is free: the
      // first of the run blocks until the deadline interrupts it, the rest are handed back by the worker.
      pool.execute(() -> {
        secondStarted.countDown();
        BLOCK.run(never);
      });
      for (int i = 0; i < 5; i++) {
        pool.execute(ran::incrementAndGet);
      }
    } finally {
      releaseFirst.countDown();
    }
    Waits.open(secondStarted, "the second task started");
    assertFalse(pool.shutdownGracefully(Duration.ofMillis(100)));
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(0, ran.get());
    assertEquals(5, reported.size(), reported::toString);
    assertTrue(reported.stream().allMatch(e -> e instanceof CancellationException
        && "not started before the shutdown deadline".equals(e.getMessage())), reported::toString);
  }

  // ---- worker replacement ----

  @Test
  @SuppressWarnings("removal")
  void aWorkerThatCannotGoOnIsReplacedAndThePoolKeepsItsSize() throws Exception {
    Set<Thread> created = ConcurrentHashMap.newKeySet();
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ZeroPool pool = ZeroPool.builder().workers(2).threadFactory(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((th, e) -> uncaught.add(e));
      created.add(t);
      return t;
    }).build();
    Gate first = new Gate();
    Gate second = new Gate();
    try {
      Waits.parked(pool);
      first.run(pool, Gate.HOLD); // both workers held until the fatal batch is queued
      second.run(pool, Gate.HOLD);
      AtomicInteger ran = new AtomicInteger();
      AtomicInteger[] counts = new AtomicInteger[40];
      java.util.Arrays.fill(counts, ran);
      // The worker released first takes a run that starts with the fatal task and goes on with
      // counting tasks: they must run before its thread dies, and the rest after it.
      TaskFuture fatal = pool.submitBatch(TaskBatch.builder()
          .add(p -> { throw new ThreadDeath(); }, null)
          .addAll(COUNT, counts)
          .build());
      first.release();
      // A timed await never helps, so the fatal task surely runs on a worker, not on this thread.
      assertInstanceOf(ThreadDeath.class,
          assertThrows(CompletionException.class, () -> fatal.await(Waits.SECONDS, TimeUnit.SECONDS)).getCause());
      assertEquals(40, ran.get(), "every other task of the batch ran, those of the dying worker's run too");
      second.release();
      Waits.until(() -> created.size() >= 3, "a replacement thread was created");
      assertEquals(3, created.size(), "one replacement thread");
      assertEquals(2, created.stream().filter(Thread::isAlive).count(), "the pool keeps its size");
      assertTrue(uncaught.stream().anyMatch(e -> e instanceof ThreadDeath), "the death was reported");
      CountDownLatch both = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      TaskFn<Object> meet = x -> {
        both.countDown();
        BLOCK.run(release);
      };
      pool.submitBatch(meet, new Object[] {1, 2}, TaskOptions.DEFAULT);
      try {
        assertTrue(both.await(Waits.SECONDS, TimeUnit.SECONDS), "two workers run side by side again");
      } finally {
        release.countDown();
      }
    } finally {
      first.release();
      second.release();
      pool.shutdownNow();
    }
  }

  // ---- cancellation before start ----

  @Test
  void aCancelledTokenSkipsTasksThatHaveNotStartedAndTheRestRun() throws Exception {
    try (ZeroPool pool = ZeroPool.builder().workers(1).metrics(new PoolCounters()).build()) {
      CountDownLatch hold = new CountDownLatch(1);
      CancellationToken token = new CancellationToken();
      TaskOptions cancellable = TaskOptions.DEFAULT.cancelledBy(token);
      AtomicInteger ran = new AtomicInteger();
      CountDownLatch running = new CountDownLatch(1);
      TaskFn<Object> first = x -> {
        running.countDown();
        BLOCK.run(hold);
        ran.incrementAndGet();
      };
      TaskFuture batch = pool.submitBatch(TaskBatch.builder().add(first, null)
          .addAll(COUNT, ran, ran, ran).build(), cancellable);
      TaskFuture other = pool.submitTask(COUNT, ran); // not cancellable
      try {
        assertTrue(running.await(Waits.SECONDS, TimeUnit.SECONDS));
        token.cancel();
      } finally {
        hold.countDown();
      }
      assertThrows(CancellationException.class, batch::join);
      other.join();
      assertEquals(2, ran.get(), "the running task finished, the three queued ones were skipped, the other ran");
      assertEquals(3, pool.stats().cancelled());
    }
  }

  @Test
  void cancellingAFutureSkipsItsQueuedTasks() throws Exception {
    try (ZeroPool pool = ZeroPool.create(1)) {
      CountDownLatch hold = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      pool.execute(() -> {
        started.countDown();
        BLOCK.run(hold);
      });
      AtomicInteger ran = new AtomicInteger();
      TaskFuture f;
      try {
        assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS));
        f = pool.submitBatch(COUNT, new AtomicInteger[] {ran, ran});
        assertFalse(f.isDone());
        assertTrue(f.cancel());
      } finally {
        hold.countDown();
      }
      assertThrows(CancellationException.class, f::join);
      assertEquals(0, ran.get());
      assertFalse(f.cancel(), "already done");
    }
  }

  // ---- priorities ----

  @Test
  void foregroundWorkIsTakenBeforeBackgroundWork() throws Exception {
    try (ZeroPool pool = ZeroPool.create(1)) {
      List<String> order = new CopyOnWriteArrayList<>();
      TaskFn<String> record = order::add;
      Gate gate = Gate.hold(pool);
      TaskFuture bg;
      TaskFuture fg;
      try {
        bg = pool.submitBatch(record, new String[] {"b1", "b2"}, TaskOptions.BACKGROUND);
        fg = pool.submitBatch(record, new String[] {"f1", "f2"});
      } finally {
        gate.release();
      }
      assertTrue(fg.await(Waits.SECONDS, TimeUnit.SECONDS));
      assertTrue(bg.await(Waits.SECONDS, TimeUnit.SECONDS));
      assertEquals(List.of("f1", "f2", "b1", "b2"), order);
    }
  }

  @Test
  void backgroundWorkIsNotStarvedByForegroundBursts() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      AtomicInteger background = new AtomicInteger();
      AtomicInteger[] bgTasks = new AtomicInteger[200];
      java.util.Arrays.fill(bgTasks, background);
      TaskFuture bg = pool.submitBatch(COUNT, bgTasks, TaskOptions.BACKGROUND);
      TaskFn<Object> busy = x -> {
        long end = System.nanoTime() + 20_000;
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
      };
      for (int burst = 0; burst < 200 && !bg.isDone(); burst++) {
        assertTrue(pool.submitBatch(busy, new Object[50]).await(Waits.SECONDS, TimeUnit.SECONDS));
        Thread.sleep(1); // the gap between bursts
      }
      assertTrue(bg.await(Waits.SECONDS, TimeUnit.SECONDS));
      assertEquals(200, background.get());
    }
  }

  // ---- metrics ----

  @Test
  void countersAndGaugesDescribeThePool() throws Exception {
    PoolCounters counters = new PoolCounters();
    ZeroPool pool = ZeroPool.builder().workers(2).metrics(counters).build();
    pool.submitBatch(COUNT, new AtomicInteger[] {new AtomicInteger(), new AtomicInteger()}).join();
    assertThrows(CompletionException.class, () -> pool.submitTask(x -> { throw new IllegalStateException(); }, null).join());
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(2);
    TaskFn<CountDownLatch> startThenBlock = release -> {
      started.countDown();
      BLOCK.run(release);
    };
    try {
      Waits.parked(pool); // so each blocking task pops a parked worker off the idle list
      pool.submitBatch(startThenBlock, new CountDownLatch[] {hold, hold});
      assertTrue(started.await(Waits.SECONDS, TimeUnit.SECONDS)); // both workers run one each
      pool.execute(() -> { });
      PoolStats busy = pool.stats();
      assertEquals(2, busy.busyWorkers());
      assertEquals(0, busy.parkedWorkers());
      assertEquals(1, busy.queuedTasks());
    } finally {
      hold.countDown();
    }
    pool.shutdown();
    assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> pool.execute(() -> { }));
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    PoolStats s = pool.stats();
    assertEquals(6, s.submitted());
    assertEquals(5, s.completed());
    assertEquals(1, s.failed());
    assertEquals(1, s.rejected());
    assertEquals(0, s.cancelled());
    assertTrue(s.wakeUps() >= 1 && s.wakeUps() == counters.wakeUps());
    assertTrue(counters.toString().contains("completed=5"));
  }

  @Test
  void withoutAHookThereAreGaugesButNoCounts() {
    try (ZeroPool pool = ZeroPool.create(1)) {
      pool.submitTask(COUNT, new AtomicInteger()).join();
      PoolStats s = pool.stats();
      assertEquals(-1, s.submitted());
      assertEquals(-1, s.completed());
      assertEquals(0, s.queuedTasks());
      assertTrue(pool.toString().contains("wake-ups"), pool.toString());
    }
  }
}
