package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shutdown through the public API: every tier refuses work after it, work accepted before it runs
 * exactly once, and a batch cut in two by a concurrent shutdown fails its future with the reason
 * while its accepted part runs. Counting is exact: a task that is accepted and then dropped, or
 * refused and then run, fails an assertion.
 */
class ShutdownTest {

  static final TaskFn<AtomicInteger> COUNT = AtomicInteger::incrementAndGet;
  /** Task {@code i} of a batch over {@link Slot}s counts its own runs. */
  static final TaskFn<Slot> RUN_SLOT = Slot::ran;

  /** A batch's parameter: which task it is, and the array that counts how often each task ran. */
  record Slot(AtomicIntegerArray runs, int index) {
    void ran() {
      runs.incrementAndGet(index);
    }
  }

  private final List<ZeroPool> pools = new ArrayList<>();

  private ZeroPool track(ZeroPool pool) {
    pools.add(pool);
    return pool;
  }

  @AfterEach
  void stopPools() {
    pools.forEach(ZeroPool::shutdownNow);
  }

  @Test
  void aPoolIsRunningUntilShutdownAndThenRefusesEveryFormInEveryTier() throws Exception {
    PoolCounters counters = new PoolCounters();
    ZeroPool pool = track(ZeroPool.builder().workers(2).metrics(counters).build());
    assertFalse(pool.isShutdown());
    assertFalse(pool.isTerminated());
    AtomicInteger ran = new AtomicInteger();
    Waits.done(pool.submitTask(COUNT, ran, TaskOptions.BACKGROUND));
    pool.shutdown();
    assertTrue(pool.isShutdown());
    TaskOptions background = TaskOptions.DEFAULT.withPriority(Priority.BACKGROUND);
    AtomicInteger[] two = {ran, ran};
    assertThrows(RejectedExecutionException.class, () -> pool.submitTask(COUNT, ran, TaskOptions.BACKGROUND));
    assertThrows(RejectedExecutionException.class, () -> pool.submitTask(COUNT, ran, background));
    assertThrows(RejectedExecutionException.class, () -> pool.submitBatch(COUNT, two, TaskOptions.BACKGROUND));
    assertThrows(RejectedExecutionException.class, () -> pool.submitBatch(COUNT, List.of(two), background));
    assertThrows(RejectedExecutionException.class,
        () -> pool.submitBatch(TaskBatch.builder().addAll(COUNT, two).build(), TaskOptions.BACKGROUND));
    assertThrows(RejectedExecutionException.class, () -> pool.submitTask(COUNT, ran));
    assertThrows(RejectedExecutionException.class, () -> pool.submitBatch(COUNT, two));
    assertThrows(RejectedExecutionException.class, () -> pool.execute(ran::incrementAndGet));
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertTrue(pool.isTerminated());
    assertEquals(1, ran.get(), "only the task accepted before the shutdown ran");
    assertEquals(1, counters.submitted());
    assertEquals(1, counters.completed());
    assertEquals(12, counters.rejected());
  }

  @Test
  void backgroundWorkQueuedBeforeShutdownStillRuns() throws Exception {
    ZeroPool pool = track(ZeroPool.create(1));
    AtomicInteger ran = new AtomicInteger();
    Gate gate = Gate.hold(pool);
    TaskFuture single;
    TaskFuture batch;
    try {
      single = pool.submitTask(COUNT, ran, TaskOptions.BACKGROUND);
      batch = pool.submitBatch(COUNT, new AtomicInteger[] {ran, ran, ran}, TaskOptions.BACKGROUND);
      pool.shutdown();
      assertThrows(RejectedExecutionException.class, () -> pool.submitTask(COUNT, ran, TaskOptions.BACKGROUND));
    } finally {
      gate.release();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertTrue(single.isDone() && batch.isDone());
    assertEquals(4, ran.get());
  }

  /**
   * A batch larger than the largest ring is accepted ring by ring; a shutdown between two rings
   * refuses the rest. The parameter list stalls the submission inside its second ring until the
   * shutdown has happened, so the cut is certain (with the present queue; a queue that takes the
   * whole batch at once must then run all of it, which the same assertions accept).
   */
  @Test
  void aShutdownThatCutsABatchFailsItsFutureAndRunsExactlyTheAcceptedPart() throws Exception {
    for (Priority tier : Priority.values()) {
      PoolCounters counters = new PoolCounters();
      ZeroPool pool = track(ZeroPool.builder().workers(2).metrics(counters).build());
      int size = 3 * (1 << 16) + 5;
      int stallAt = (1 << 16) + 10;
      AtomicIntegerArray runs = new AtomicIntegerArray(size);
      CountDownLatch stalled = new CountDownLatch(1);
      CountDownLatch shutDown = new CountDownLatch(1);
      List<Slot> params = new AbstractList<>() {
        @Override
        public Slot get(int index) {
          if (index == stallAt) {
            stalled.countDown();
            try {
              shutDown.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return new Slot(runs, index);
        }

        @Override
        public int size() {
          return size;
        }
      };
      AtomicReference<Object> outcome = new AtomicReference<>();
      Thread submitter = new Thread(() -> {
        try {
          outcome.set(pool.submitBatch(RUN_SLOT, params, TaskOptions.DEFAULT.withPriority(tier)));
        } catch (Throwable t) {
          outcome.set(t);
        }
      }, "submitter");
      submitter.start();
      try {
        stalled.await(Waits.SECONDS, TimeUnit.SECONDS); // a queue that reads the list first never stalls here
        pool.shutdown();
      } finally {
        shutDown.countDown();
      }
      Waits.ended(submitter);
      assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS), "terminated: " + pool);
      int ran = 0;
      for (int i = 0; i < size; i++) {
        assertTrue(runs.get(i) <= 1, "task " + i + " ran " + runs.get(i) + " times");
        ran += runs.get(i);
      }
      Object result = outcome.get();
      if (result instanceof RejectedExecutionException) {
        assertEquals(0, ran, "a refused batch runs nothing");
        assertEquals(size, counters.rejected());
        continue;
      }
      TaskFuture future = assertInstanceOf(TaskFuture.class, result, "the submission threw " + result);
      assertTrue(future.isDone(), "a terminated pool leaves no submission unfinished: " + future);
      for (int i = 0; i < ran; i++) {
        assertEquals(1, runs.get(i), "the accepted tasks are a prefix of the batch: task " + i);
      }
      assertEquals(ran, counters.submitted());
      assertEquals(ran, counters.completed());
      assertEquals(size - ran, counters.rejected());
      if (ran == size) {
        assertNull(future.failure());
      } else {
        CompletionException failure = future.failure();
        RejectedExecutionException reason = assertInstanceOf(RejectedExecutionException.class,
            failure == null ? null : failure.getCause(), "the refused part fails the future");
        assertTrue(reason.getMessage().startsWith((size - ran) + " of " + size + " tasks were refused"),
            reason.getMessage());
        assertThrows(CompletionException.class, future::join);
      }
    }
  }

  /**
   * Producers keep offering single tasks and small batches, in both tiers, while the workers are
   * held and the queue grows ring after ring; then the pool shuts down under them. Each submission
   * either throws or is accepted, and every accepted task runs exactly once.
   */
  @Test
  void shutdownRacingSubmissionsOfAGrowingQueueLosesNothing() throws Exception {
    for (int round = 0; round < 20; round++) {
      PoolCounters counters = new PoolCounters();
      ZeroPool pool = track(ZeroPool.builder().workers(1).metrics(counters).build());
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger ran = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Gate gate = Gate.hold(pool);
      List<Thread> producers = new ArrayList<>();
      CountDownLatch producing = new CountDownLatch(3);
      try {
        for (int p = 0; p < 3; p++) {
          int producer = p;
          producers.add(new Thread(() -> {
            TaskOptions options = producer == 1 ? TaskOptions.BACKGROUND : TaskOptions.DEFAULT;
            AtomicInteger[] three = {ran, ran, ran};
            try {
              for (int i = 0; ; i++) {
                if (i == 100) {
                  producing.countDown();
                }
                if (producer == 2) {
                  pool.submitBatch(COUNT, three, options);
                  accepted.addAndGet(3);
                } else {
                  pool.submitTask(COUNT, ran, options);
                  accepted.incrementAndGet();
                }
              }
            } catch (RejectedExecutionException expected) {
              producing.countDown(); // in case it was refused before its 100th submission
            } catch (Throwable t) {
              failure.compareAndSet(null, t);
            }
          }, "producer-" + p));
        }
        producers.forEach(Thread::start);
        Waits.open(producing, "the producers never got going");
        pool.shutdown();
      } finally {
        gate.release();
      }
      for (Thread t : producers) {
        Waits.ended(t);
      }
      assertNull(failure.get());
      assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS), "terminated: " + pool);
      assertEquals(accepted.get(), ran.get(), "round " + round + ": every accepted task ran exactly once");
      assertEquals(accepted.get() + 1, counters.submitted(), "the gate task and the accepted ones");
    }
  }

  @Test
  void waitingForThePoolToEndIsRefusedInsideItsOwnWorker() throws Exception {
    ZeroPool pool = track(ZeroPool.create(1));
    List<Throwable> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
    TaskFn<Object> waitForPool = x -> {
      try {
        pool.awaitTermination(1, TimeUnit.MILLISECONDS);
      } catch (Throwable t) {
        refused.add(t);
      }
      try {
        pool.shutdownGracefully(java.time.Duration.ofMillis(1));
      } catch (Throwable t) {
        refused.add(t);
      }
    };
    Waits.done(pool.submitTask(waitForPool, null));
    assertEquals(2, refused.size(), refused.toString());
    for (Throwable t : refused) {
      assertInstanceOf(IllegalStateException.class, t);
    }
    assertFalse(pool.isShutdown(), "a refused shutdownGracefully does not shut the pool down");
  }

  @Test
  void stateNamesFollowTheLifecycle() throws Exception {
    ZeroPool pool = track(ZeroPool.create(1));
    assertTrue(pool.toString().contains("Running"), pool.toString());
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> { // holds its worker and ignores interrupts, so the pool stays "Stopping"
      started.countDown();
      boolean interrupted = false;
      while (release.getCount() > 0) {
        try {
          release.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      Waits.open(started, "the holding task never started");
      pool.shutdown();
      assertTrue(pool.toString().contains("Shutting down"), pool.toString());
      pool.shutdownNow();
      assertTrue(pool.toString().contains("Stopping"), pool.toString());
      assertFalse(pool.isTerminated());
    } finally {
      release.countDown();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertTrue(pool.toString().contains("Terminated"), pool.toString());
  }

  @Test
  void aStoppingPoolInterruptsTheTasksStillRunningOnItsWorkers() throws Exception {
    ZeroPool pool = track(ZeroPool.create(1));
    Waits.parked(pool);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    TaskFn<Integer> task = i -> {
      if (i == 0) {
        started.countDown();
        try {
          never.await();
        } catch (InterruptedException e) {
          seen.add("first interrupted");
          Thread.currentThread().interrupt(); // a worker clears a stray interrupt between tasks, but not while stopping
          return;
        }
      }
      seen.add("task " + i + (Thread.currentThread().isInterrupted() ? " sees the stop" : " does not see the stop"));
    };
    // One batch, so the worker claims several tasks at once; those still in its hands when the pool
    // stops are not handed back and run with the interrupt set.
    TaskFuture batch = pool.submitBatch(task, new Integer[] {0, 1, 2, 3});
    Waits.open(started, "the first task never started");
    List<Runnable> handedBack = pool.shutdownNow();
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertTrue(pool.toString().contains("Terminated"), pool.toString());
    assertEquals("first interrupted", seen.get(0));
    for (String s : seen.subList(1, seen.size())) {
      assertTrue(s.endsWith("sees the stop"), seen.toString());
    }
    assertTrue(batch.isDone());
    if (seen.size() + handedBack.size() < 4) { // the rest was neither run nor handed back: the future says so
      assertThrows(java.util.concurrent.CancellationException.class, batch::join);
    }
  }

  @Test
  void workersAreDaemonThreadsUnlessToldOtherwise() throws Exception {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    ZeroPool pool = track(ZeroPool.create(1));
    TaskFuture f = pool.submitTask(x -> ranOn.set(Thread.currentThread()), null);
    Waits.done(f);
    assertTrue(ranOn.get().isDaemon(), "a forgotten pool must not keep the JVM alive");
    assertTrue(ranOn.get().getName().startsWith("zeropool-"), ranOn.get().getName());
    ZeroPool nonDaemon = track(ZeroPool.builder().workers(1).daemon(false).build());
    Waits.done(nonDaemon.submitTask(x -> ranOn.set(Thread.currentThread()), null));
    assertFalse(ranOn.get().isDaemon());
  }
}
