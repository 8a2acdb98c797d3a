package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every task is accounted for exactly once (completed, failed or cancelled, in the counters and in its
 * future), also when a stop cuts a run of tasks a worker has already claimed or a chunk of a batch it
 * is running; a leftover interrupt never reaches the next task; a task that throws {@link ThreadDeath}
 * costs its worker, which is replaced. One worker, held in a {@link Gate} while the queue is filled,
 * makes the claimed runs and chunks certain.
 */
class TaskAccountingTest {

  static final TaskFn<AtomicInteger> COUNT = AtomicInteger::incrementAndGet;

  private final List<ZeroPool> pools = new ArrayList<>();
  private final List<Gate> gates = new ArrayList<>();
  private final PoolCounters counters = new PoolCounters();

  private ZeroPool pool() {
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().metrics(counters).build();
    pools.add(pool);
    return pool;
  }

  private Gate hold(ZeroPool pool) throws InterruptedException {
    Gate gate = Gate.hold(pool);
    gates.add(gate);
    return gate;
  }

  @AfterEach
  void releaseAndStop() {
    gates.forEach(Gate::release);
    pools.forEach(ZeroPool::shutdownNow);
  }

  /** Blocks until the stop interrupts it (or the bound of {@link Waits} passes). */
  private static TaskFn<CountDownLatch> untilStopped() {
    return started -> {
      started.countDown();
      try {
        assertFalse(new CountDownLatch(1).await(Waits.SECONDS, TimeUnit.SECONDS));
      } catch (InterruptedException stop) {
        // the stop's interrupt: end normally
      }
    };
  }

  private static void assertCancelled(TaskFuture f, String what) {
    assertThrows(CancellationException.class, () -> f.await(Waits.SECONDS, TimeUnit.SECONDS), what);
  }

  @Test
  void aStopHandsBackTheRestOfAClaimedRunAndCountsEveryTaskOnce() throws Exception {
    ZeroPool pool = pool();
    Gate gate = hold(pool);
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    // Eight queue slots while the worker is held: it then claims a run of half of them (the share of
    // one worker and one possible waiter): the blocking task, a task, a batch's slot and a task.
    TaskFuture blocking = pool.submitTask(untilStopped(), started);
    TaskFuture inRun = pool.submitTask(COUNT, ran);
    TaskFuture batchInRun = pool.submitBatch(COUNT, new AtomicInteger[] {ran, ran, ran});
    TaskFuture lastOfRun = pool.submitTask(COUNT, ran);
    List<TaskFuture> queued = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      queued.add(pool.submitTask(COUNT, ran));
    }
    List<Runnable> neverStarted;
    try {
      gate.release();
      Waits.open(started, "the worker started the first task of its run");
      neverStarted = pool.shutdownNow();
    } finally {
      started.countDown();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertEquals(4, neverStarted.size(), "the four tasks still in the queue: " + neverStarted);
    Waits.done(blocking);
    assertCancelled(inRun, "the task after the running one in the claimed run");
    assertCancelled(batchInRun, "the batch whose slot was in the claimed run");
    assertCancelled(lastOfRun, "the last task of the claimed run");
    for (TaskFuture f : queued) {
      assertCancelled(f, "a task still queued");
    }
    assertEquals(0, ran.get(), "nothing handed back ran");
    assertEquals(11, counters.submitted());
    assertEquals(2, counters.completed(), "the gate and the blocking task");
    assertEquals(9, counters.cancelled(), "every other task exactly once: " + counters);
    assertEquals(0, counters.failed());
  }

  @Test
  void aStopInsideABatchChunkCountsItsRestAndTheUnclaimedTasksOnce() throws Exception {
    ZeroPool pool = pool();
    Gate gate = hold(pool);
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    TaskBatch.Builder builder = TaskBatch.builder().add(untilStopped(), started);
    for (int i = 1; i < 8; i++) {
      builder.add(COUNT, ran);
    }
    // The worker claims the chunk [0, 2) (a quarter of 8 with two parties) and blocks in task 0.
    TaskFuture batch = pool.submitBatch(builder.build());
    try {
      gate.release();
      Waits.open(started, "the worker started the batch");
      assertEquals(0, pool.shutdownNow().size(), "the batch's only slot was taken");
    } finally {
      started.countDown();
    }
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    assertCancelled(batch, "the batch cut by the stop");
    assertEquals(0, ran.get());
    assertEquals(9, counters.submitted());
    assertEquals(2, counters.completed(), "the gate and task 0");
    assertEquals(7, counters.cancelled(), "task 1 of the chunk and the six never claimed: " + counters);
  }

  @Test
  void tasksRunNextOrInChunksStartWithoutALeftoverInterruptAndAreCounted() throws Exception {
    ZeroPool pool = pool();
    List<Boolean> interruptedAtStart = new CopyOnWriteArrayList<>();
    CountDownLatch runNextRan = new CountDownLatch(1);
    TaskFuture first = pool.submitTask(ignored -> {
      pool.execute(() -> { // from a worker: its run-next slot, so it runs next on this thread
        interruptedAtStart.add(Thread.currentThread().isInterrupted());
        runNextRan.countDown();
      });
      Thread.currentThread().interrupt(); // left over, as by a late Future.cancel(true)
    }, null);
    Waits.done(first);
    Waits.open(runNextRan, "the run-next task ran");
    TaskFn<Integer> leaveAnInterrupt = i -> {
      interruptedAtStart.add(Thread.currentThread().isInterrupted());
      if (i < 2) {
        Thread.currentThread().interrupt();
      }
    };
    Waits.done(pool.submitBatch(leaveAnInterrupt, new Integer[] {0, 1, 2}));
    assertEquals(List.of(false, false, false, false), interruptedAtStart);
    Waits.until(() -> counters.completed() == 5, "all five tasks counted: " + counters);
    assertEquals(5, counters.completed());
  }

  @Test
  void aTaskThatThrowsThreadDeathEndsItsWorkerWhichIsReplaced() throws Exception {
    List<Thread> created = new CopyOnWriteArrayList<>();
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().threadFactory(r -> {
      Thread t = new Thread(r, "dying-worker-" + created.size());
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
      created.add(t);
      return t;
    }).build();
    pools.add(pool);
    @SuppressWarnings("removal")
    TaskFn<Object> die = ignored -> {
      throw new ThreadDeath();
    };
    TaskFuture fatal = pool.submitTask(die, null);
    assertInstanceOf(ThreadDeath.class,
        assertThrows(CompletionException.class, () -> fatal.await(Waits.SECONDS, TimeUnit.SECONDS)).getCause());
    Waits.until(() -> created.size() == 2, "a replacement worker was started");
    Waits.ended(created.get(0));
    AtomicInteger ran = new AtomicInteger();
    Waits.done(pool.submitTask(COUNT, ran));
    assertEquals(1, ran.get(), "the replacement runs the next task");
    assertTrue(uncaught.stream().anyMatch(e -> e instanceof ThreadDeath), "the death was reported");
  }
}
