package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Parking#awaitWork} and {@link Parking#signalWork} with the test in the place of the workers:
 * the pool's own threads end at once without running the worker loop, and the test calls
 * {@code awaitWork} for a worker itself, on a thread it starts and waits for within a bound, so it
 * decides what each look of the idle worker finds. The spin window is far longer than every wait of
 * a test, so a spinner ends its spin only by finding work; "nobody was woken" is read from the pool's
 * wake-up count, which is exact here.
 */
class ParkingAwaitTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);
  /** Longer than any test here: a spin that ends did so because it found work. */
  private static final long LONG_SPIN = TimeUnit.SECONDS.toNanos(3 * WAIT_SECONDS);
  private static final Runnable NOTHING = () -> { };

  private static final VarHandle SPINNING;
  private static final VarHandle IDLE_CTL;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Parking.class, MethodHandles.lookup());
      SPINNING = lookup.findVarHandle(Parking.class, "spinning", boolean.class);
      IDLE_CTL = lookup.findVarHandle(Parking.class, "idleCtl", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private WorkerPool pool;
  private final List<Thread> idleThreads = new ArrayList<>();
  /** How long the last {@code awaitWork} that returned took, on its own thread. */
  private volatile long awaitNanos = -1;

  /** A pool whose worker threads end at once, without running a worker loop: the test plays its workers. */
  private WorkerPool pool(int workers, long spinNanos) {
    pool = new WorkerPool("parking-test", workers, r -> new Thread(NOTHING, "parking-test-unused"),
        spinNanos, null, null, null, 0L, 0);
    return pool;
  }

  /** Ends every {@code awaitWork} the test started, whatever it waits for: work everywhere, then a shutdown. */
  @AfterEach
  void endIdleWorkers() throws InterruptedException {
    if (pool == null) {
      return;
    }
    for (Worker w : pool.workers) {
      w.localQueue.offer(NOTHING);
    }
    pool.submit(WorkerPool.RUN_RUNNABLE, NOTHING, null, false);
    pool.shutdown(); // unparks every thread the test made a worker's
    for (Thread t : idleThreads) {
      t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(t.isAlive(), t.getName() + " is still in awaitWork");
    }
  }

  /** Runs {@code awaitWork} for {@code w} on a new thread, which becomes {@code w}'s thread (its unparks go there). */
  private CompletableFuture<Boolean> awaitWorkOnItsOwnThread(Worker w) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        long start = System.nanoTime();
        boolean answer = pool.parking.awaitWork(w, pool);
        awaitNanos = System.nanoTime() - start;
        result.complete(answer);
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "parking-test-worker-" + w.index);
    t.setDaemon(true);
    w.thread = t;
    idleThreads.add(t);
    t.start();
    return result;
  }

  private static boolean returned(CompletableFuture<Boolean> awaitWork, String what)
      throws InterruptedException, ExecutionException {
    try {
      return awaitWork.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("awaitWork did not return: " + what);
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

  private boolean spinning() {
    return (boolean) SPINNING.getVolatile(pool.parking);
  }

  /** Pushes and pops of the idle stack so far (the stamp in the high half of {@code idleCtl}). */
  private long stackChanges() {
    return (long) IDLE_CTL.getVolatile(pool.parking) >>> 32;
  }

  // ---- the spinner ----

  @Test
  void aSpinnerSeesASubmittedTaskAndStopsSpinningWithoutListingItself() throws Exception {
    pool(2, LONG_SPIN);
    Worker spinner = pool.workers[0];
    pool.parking.pushIdle(pool.workers[1]); // parked and listed: a signal would pop it
    long changes = stackChanges();
    CompletableFuture<Boolean> awaitWork = awaitWorkOnItsOwnThread(spinner);
    until(this::spinning, "worker 0 spins");

    // (whether the submission also pops worker 1 depends on whether the spinner has already seen the task
    // and stopped spinning when the submitter looks: see aSignalWakesNobodyWhileAWorkerSpins)
    assertTrue(pool.submit(WorkerPool.RUN_RUNNABLE, NOTHING, null, false));
    assertTrue(returned(awaitWork, "the spinner sees the submitted task"), "look for work again");
    assertTrue(stackChanges() - changes <= 1,
        "at most the submitter's pop of worker 1; the spinner never listed itself: " + (stackChanges() - changes));
    assertFalse(spinner.idle);
    assertFalse(spinning(), "the spin is over");
  }

  @Test
  void aSignalWakesNobodyWhileAWorkerSpins() {
    pool(2, LONG_SPIN);
    pool.parking.pushIdle(pool.workers[1]);
    SPINNING.setVolatile(pool.parking, true); // as worker 0 does: it looks for work again before it can park
    pool.parking.signalWork();
    assertEquals(0, pool.wakeUps(), "no unpark while a worker spins");
    assertArrayEquals(new int[] {1}, pool.parking.listedWorkers(), "the parked worker stays listed");

    SPINNING.setVolatile(pool.parking, false);
    pool.parking.signalWork();
    assertEquals(1, pool.wakeUps(), "with nobody spinning a signal wakes the parked worker");
    assertArrayEquals(new int[0], pool.parking.listedWorkers());
  }

  @Test
  void onlyOneWorkerSpinsAtATime() throws Exception {
    pool(2, LONG_SPIN);
    CompletableFuture<Boolean> first = awaitWorkOnItsOwnThread(pool.workers[0]);
    until(this::spinning, "worker 0 spins");
    CompletableFuture<Boolean> second = awaitWorkOnItsOwnThread(pool.workers[1]);
    Thread parked = pool.workers[1].thread;
    until(() -> parked.getState() == Thread.State.WAITING, "worker 1 parks instead of spinning too");
    assertTrue(pool.workers[1].idle);
    assertArrayEquals(new int[] {1}, pool.parking.listedWorkers());
    assertFalse(second.isDone(), "the listed worker waits");

    pool.submit(WorkerPool.RUN_RUNNABLE, NOTHING, null, false);
    assertTrue(returned(first, "the spinner sees the task"));
  }

  @Test
  void aSpinnerTakesATaskQueuedLocallyByABusyWorker() throws Exception {
    pool(2, LONG_SPIN);
    long changes = stackChanges();
    CompletableFuture<Boolean> awaitWork = awaitWorkOnItsOwnThread(pool.workers[0]);
    until(this::spinning, "worker 0 spins");

    assertTrue(pool.workers[1].localQueue.offer(NOTHING)); // worker 1 queues follow-up work and stays busy
    assertTrue(returned(awaitWork, "the spinner sees the locally queued task"), "steal it");
    assertEquals(changes, stackChanges(), "found while spinning: it never listed itself");
    assertEquals(0, pool.wakeUps());
    assertFalse(spinning());
    assertEquals(1, pool.workers[1].localQueue.size(), "awaitWork only looks; the worker loop steals");
  }

  @Test
  void aSpinnerTakesTheRunNextTaskOfAWorkerThatMakesNoProgress() throws Exception {
    pool(2, LONG_SPIN);
    Worker owner = pool.workers[1];
    long changes = stackChanges();
    CompletableFuture<Boolean> awaitWork = awaitWorkOnItsOwnThread(pool.workers[0]);
    until(this::spinning, "worker 0 spins");

    assertTrue(owner.runNext.put(NOTHING) == null); // and the owner takes no work from here on
    assertTrue(returned(awaitWork, "the spinner steals from a stuck owner"), "steal it");
    assertEquals(changes, stackChanges(), "found while spinning: it never listed itself");
    assertSame(owner, pool.workers[0].watched, "the spinner watched that owner");
    assertEquals(owner.progress(), pool.workers[0].watchedProgress);
    assertFalse(spinning());
    assertFalse(pool.workers[0].idle);
  }

  @Test
  void aSpinnerThatFindsNothingInItsWindowListsItselfAndParks() throws Exception {
    pool(1, TimeUnit.MILLISECONDS.toNanos(1));
    Worker idle = pool.workers[0];
    CompletableFuture<Boolean> awaitWork = awaitWorkOnItsOwnThread(idle);
    until(() -> idle.thread.getState() == Thread.State.WAITING, "worker 0 parks after its spin window");
    assertFalse(spinning());
    assertTrue(idle.idle);
    assertArrayEquals(new int[] {0}, pool.parking.listedWorkers());
    assertFalse(awaitWork.isDone());

    pool.submit(WorkerPool.RUN_RUNNABLE, NOTHING, null, false);
    assertTrue(returned(awaitWork, "the popped worker wakes"));
    assertEquals(1, pool.wakeUps());
  }

  // ---- listing, parking, the looks after listing ----

  @Test
  void aWorkerThatFindsQueuedWorkRightAfterListingItselfTakesItselfOffTheList() throws Exception {
    pool(2, 0);
    pool.submit(WorkerPool.RUN_RUNNABLE, NOTHING, null, false); // nobody listed: nobody woken
    assertEquals(0, pool.wakeUps());
    long changes = stackChanges();
    assertTrue(returned(awaitWorkOnItsOwnThread(pool.workers[0]), "awaitWork"));
    assertEquals(changes + 2, stackChanges(), "listed, then taken off");
    assertFalse(pool.workers[0].idle);
    assertArrayEquals(new int[0], pool.parking.listedWorkers());
  }

  @Test
  void aWorkerThatFindsAnotherWorkersLocallyQueuedTaskTakesItselfOffTheList() throws Exception {
    pool(2, 0);
    assertTrue(pool.workers[1].localQueue.offer(NOTHING));
    assertTrue(returned(awaitWorkOnItsOwnThread(pool.workers[0]), "awaitWork"));
    assertFalse(pool.workers[0].idle);
    assertArrayEquals(new int[0], pool.parking.listedWorkers());
  }

  @Test
  void aWorkerWithNothingToDoParksListedUntilASubmissionPopsIt() throws Exception {
    pool(2, 0);
    Worker idle = pool.workers[0];
    CompletableFuture<Boolean> awaitWork = awaitWorkOnItsOwnThread(idle);
    until(() -> idle.thread.getState() == Thread.State.WAITING, "worker 0 parks");
    assertTrue(idle.idle);
    assertArrayEquals(new int[] {0}, pool.parking.listedWorkers());
    assertFalse(awaitWork.isDone());

    pool.submit(WorkerPool.RUN_RUNNABLE, NOTHING, null, false);
    assertTrue(returned(awaitWork, "the popped worker wakes"));
    assertEquals(1, pool.wakeUps());
    assertFalse(idle.idle);
  }

  @Test
  void aWorkerWatchingAStuckOwnerRechecksUnlistedThenStealsListedLikeAnyLook() throws Exception {
    pool(2, 0);
    Worker owner = pool.workers[1];
    owner.runNext.put(NOTHING); // the owner takes no work from here on
    long changes = stackChanges();
    CompletableFuture<Boolean> awaitWork = awaitWorkOnItsOwnThread(pool.workers[0]);
    assertTrue(returned(awaitWork, "the worker steals from a stuck owner"));
    long took = awaitNanos;
    // its thread is new and nobody unparks it: the recheck sleep runs its full time
    assertTrue(took >= Parking.RECHECK_NANOS, "it stole after " + took + " ns, without sleeping before the recheck");
    assertFalse(pool.workers[0].idle);
    assertArrayEquals(new int[0], pool.parking.listedWorkers());
    long rounds = stackChanges() - changes;
    // each look is made listed (a push), and each ends with the worker taken off again (a pop)
    assertTrue(rounds >= 4 && rounds % 2 == 0, "pushes and pops: " + rounds);
    assertEquals(0, pool.wakeUps());
  }

  @Test
  void afterShutdownAnIdleWorkerTakesABusyOwnersRunNextTaskAtItsFirstLook() throws Exception {
    pool(2, 0);
    pool.workers[1].runNext.put(NOTHING);
    pool.shutdown(); // the owner would run it before it ends; an idle worker may take it at once
    long changes = stackChanges();
    assertTrue(returned(awaitWorkOnItsOwnThread(pool.workers[0]), "awaitWork"), "steal it rather than end");
    assertEquals(changes + 2, stackChanges(), "one look: listed, then taken off, no recheck");
    assertFalse(pool.workers[0].idle);
  }

  @Test
  void aShutDownPoolWithNothingLeftEndsTheWorkerWithoutParking() throws Exception {
    pool(1, 0);
    pool.shutdown();
    assertFalse(returned(awaitWorkOnItsOwnThread(pool.workers[0]), "awaitWork"), "nothing can arrive any more");
  }

  @Test
  void aWorkerStillListedFromAnEarlierIdleSpellIsNotListedTwice() throws Exception {
    pool(3, 0);
    Worker below = pool.workers[0];
    pool.parking.pushIdle(below);
    pool.parking.pushIdle(pool.workers[1]);
    // worker 0 was popped by nobody: it found work, could not take itself off (not on top) and comes back
    assertTrue(pool.foreground.offer(WorkerPool.RUN_RUNNABLE, NOTHING, null));
    assertTrue(returned(awaitWorkOnItsOwnThread(below), "awaitWork"));
    assertArrayEquals(new int[] {1, 0}, pool.parking.listedWorkers(), "still listed once, below worker 1");
    assertTrue(below.idle);
  }

  @Test
  void aWorkerStillListedWhenItRechecksIsNotListedTwice() throws Exception {
    pool(3, 0);
    Worker below = pool.workers[0];
    pool.parking.pushIdle(below);
    pool.parking.pushIdle(pool.workers[1]);
    pool.workers[2].runNext.put(NOTHING); // a stuck owner: worker 0 rechecks, then steals
    assertTrue(returned(awaitWorkOnItsOwnThread(below), "awaitWork"));
    assertArrayEquals(new int[] {1, 0}, pool.parking.listedWorkers(), "still listed once, below worker 1");
  }

  // ---- the cascade ----

  @Test
  void aWorkerThatTakesARunWhileMoreWorkWaitsWakesTheNextIdleWorker() throws Exception {
    pool(2, 0);
    Worker w = pool.workers[0];
    Thread loop = new Thread(w, "parking-test-loop-0"); // the real worker loop for worker 0 only
    loop.setDaemon(true);
    w.thread = loop;
    idleThreads.add(loop);
    loop.start();
    until(() -> w.idle && loop.getState() == Thread.State.WAITING, "worker 0 parks");
    java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    try {
      pool.submit(WorkerPool.RUN_RUNNABLE, (Runnable) () -> {
        running.countDown();
        try {
          release.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, null, false);
      assertTrue(running.await(WAIT_SECONDS, TimeUnit.SECONDS), "worker 0 runs the first task");
      assertEquals(1, pool.wakeUps(), "the submission woke worker 0");
      int tasks = 10;
      for (int i = 0; i < tasks; i++) { // nobody listed: these wake nobody
        pool.submit(WorkerPool.RUN_RUNNABLE, (Runnable) ran::incrementAndGet, null, false);
      }
      assertEquals(1, pool.wakeUps());
      pool.parking.pushIdle(pool.workers[1]); // worker 1 goes idle now (its thread is gone: it never takes work)
      release.countDown();
      until(() -> ran.get() == tasks, "worker 0 runs the queued tasks");
      assertEquals(2, pool.wakeUps(), "its first run left work waiting: it woke worker 1");
      assertFalse(pool.workers[1].idle, "worker 1 was popped");
    } finally {
      release.countDown();
    }
  }

  @Test
  void theCascadeWakesTheNextWorkerOnlyWhileWorkWaits() {
    pool(3, 0);
    pool.parking.pushIdle(pool.workers[1]);
    pool.parking.signalIfMoreWork(pool);
    assertEquals(0, pool.wakeUps(), "nothing waits: nobody woken");
    pool.parking.pushIdle(pool.workers[2]);
    pool.parking.signalWork(); // pops worker 2, which takes the task submitted next
    pool.foreground.offer(WorkerPool.RUN_RUNNABLE, NOTHING, null);
    pool.parking.signalIfMoreWork(pool);
    assertEquals(2, pool.wakeUps(), "a task waits: the next listed worker is woken");
    assertArrayEquals(new int[0], pool.parking.listedWorkers());
    pool.parking.signalIfMoreWork(pool);
    assertEquals(2, pool.wakeUps(), "nobody left to wake");
  }
}
