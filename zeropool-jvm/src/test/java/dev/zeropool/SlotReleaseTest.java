package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The pool lets go of what it ran: a task's parameter object can be collected once its submission
 * is done (the queue does not keep it alive until its slot is reused), and a pool that keeps up with
 * its producers reuses its slots, so steady-state submission allocates about one future per
 * submission and nothing per task.
 */
class SlotReleaseTest {

  static final TaskFn<int[]> TOUCH = a -> a[0]++;

  @Test
  void parameterObjectsBecomeUnreachableOnceTheirSubmissionIsDone() throws Exception {
    ZeroPool pool = ZeroPool.create(2);
    try {
      WeakReference<int[]> single = submitAndForget(pool, false);
      WeakReference<int[]> ofBatch = submitAndForget(pool, true);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Waits.SECONDS);
      while ((single.get() != null || ofBatch.get() != null) && System.nanoTime() - deadline < 0) {
        System.gc();
        Thread.sleep(10);
      }
      assertNull(single.get(), "the parameter of a finished task is still reachable from the pool");
      assertNull(ofBatch.get(), "the parameter of a finished batch is still reachable from the pool");
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs a task (or a batch) on a fresh parameter and returns a weak reference to it; nothing else refers to it. */
  private static WeakReference<int[]> submitAndForget(ZeroPool pool, boolean batch) throws InterruptedException {
    int[] param = new int[1024];
    TaskFuture f = batch ? pool.submitBatch(TOUCH, new int[][] {param, new int[1]}) : pool.submitTask(TOUCH, param);
    Waits.done(f);
    assertEquals(1, param[0]);
    return new WeakReference<>(param);
  }

  @Test
  void tasksTakenBackByShutdownNowDoNotKeepTheirParametersAlive() throws Exception {
    ZeroPool pool = ZeroPool.create(1);
    Gate gate = Gate.hold(pool);
    WeakReference<int[]> param;
    try {
      param = queueAndTakeBack(pool);
    } finally {
      gate.release();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Waits.SECONDS);
    while (param.get() != null && System.nanoTime() - deadline < 0) {
      System.gc();
      Thread.sleep(10);
    }
    assertNull(param.get(), "a task handed back by shutdownNow left its parameter in the queue");
    assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
  }

  /** Queues a task behind the gate, takes it back with shutdownNow and drops everything that refers to it. */
  private static WeakReference<int[]> queueAndTakeBack(ZeroPool pool) {
    int[] param = new int[1024];
    pool.submitTask(TOUCH, param);
    assertEquals(1, pool.shutdownNow().size());
    assertEquals(0, param[0]);
    return new WeakReference<>(param);
  }

  @Test
  void steadyStateSubmissionReusesTheQueuesSlots() throws Exception {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean
        && ((com.sun.management.ThreadMXBean) mx).isThreadAllocatedMemorySupported(), "needs HotSpot's allocation counter");
    com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) mx;
    int[][] params = new int[100][1];
    TaskBatch batch = TaskBatch.builder().addAll(TOUCH, params).build();
    ZeroPool pool = ZeroPool.create(1);
    try {
      int rounds = 4_000;
      long before = 0;
      for (int round = 0; round < 2 * rounds; round++) {
        if (round == rounds) { // measure the second half, after the JIT has settled
          before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        assertTrue(pool.submitBatch(batch).await(Waits.SECONDS, TimeUnit.SECONDS), "round " + round);
      }
      long perRound = (counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / rounds;
      // A future is a few dozen bytes; a queue that does not reuse its slots links a new ring (kilobytes) every lap.
      assertTrue(perRound < 1024, "each 100-task submission allocated " + perRound + " bytes on the submitting thread");
      assertEquals(2 * rounds, params[99][0]);
    } finally {
      pool.shutdownNow();
    }
  }
}
