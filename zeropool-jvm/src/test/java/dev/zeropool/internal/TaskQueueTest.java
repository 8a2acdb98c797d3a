package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Single-threaded contract of {@link TaskQueue}: order, runs, ring hand-over, shutdown. */
class TaskQueueTest {

  private static final Object FN = new Object();
  private final RunClaim run = new RunClaim();

  /** Polls a run, copies it out (3 references per task, as {@code out}) and releases it. */
  private final Object[] out = new Object[3 * 64];

  private int poll(TaskQueue queue, int max, int shareOf, Object only) {
    int n = queue.poll(run, max, shareOf, only);
    java.util.Arrays.fill(out, null);
    for (int i = 0; i < n; i++) {
      out[3 * i] = run.fn(i);
      out[3 * i + 1] = run.param(i);
      out[3 * i + 2] = run.completion(i);
      run.release(i);
    }
    return n;
  }

  @Test
  void keepsFifoOrderAcrossRingsAndRecyclesSlots() {
    TaskQueue queue = new TaskQueue(4, 8);
    Object completion = new Object();
    for (int round = 0; round < 100; round++) { // lap after lap through the same ring
      for (int i = 0; i < 3; i++) {
        assertTrue(queue.offer(FN, round * 10 + i, completion));
      }
      for (int i = 0; i < 3; i++) {
        assertEquals(1, poll(queue, 1, 1, null));
        assertEquals(round * 10 + i, out[1]);
        assertSame(FN, out[0]);
        assertSame(completion, out[2]);
      }
    }
    for (int i = 0; i < 50; i++) { // beyond every ring's capacity: closing and linking successors
      queue.offer(FN, i, completion);
    }
    assertEquals(50, queue.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(1, poll(queue, 1, 1, null));
      assertEquals(i, out[1]);
    }
    assertTrue(queue.isEmpty());
    assertEquals(0, poll(queue, 1, 1, null));
  }

  @Test
  void takesRunsBoundedByMaxAndByShare() {
    TaskQueue queue = new TaskQueue();
    Integer[] params = new Integer[40];
    for (int i = 0; i < params.length; i++) {
      params[i] = i;
    }
    assertEquals(40, queue.offerAll(FN, null, params, 40, FN));
    assertEquals(10, poll(queue, 32, 4, null), "40 waiting shared by 4: a run of 10");
    assertEquals(30, poll(queue, 32, 1, null) + poll(queue, 32, 1, null));
    assertNull(out[3 * 32]);
  }

  @Test
  void batchFittingARingIsContiguousAndBiggerBatchIsSplit() {
    TaskQueue queue = new TaskQueue(4, 8);
    assertTrue(queue.offer(FN, "single", FN));
    assertEquals(4, queue.offerAll(FN, null, List.of(0, 1, 2, 3), 4, FN)); // does not fit the 3 free slots
    assertEquals(20, queue.offerAll(FN, null, new Integer[20], 20, FN));   // larger than any ring
    assertEquals(25, queue.size());
    assertEquals(1, poll(queue, 8, 1, null));
    assertEquals("single", out[1]);
    assertEquals(8, poll(queue, 8, 1, null), "the 4-batch, then the split batch's first part");
    assertEquals(List.of(0, 1, 2, 3), List.of(out[1], out[4], out[7], out[10]));
    assertEquals(16, queue.size());
  }

  @Test
  void mixedBatchTakesHandlesFromTheArray() {
    TaskQueue queue = new TaskQueue();
    Object[] fns = {"a", "b"};
    queue.offerAll(null, fns, new Object[] {1, 2}, 2, FN);
    assertEquals(2, poll(queue, 8, 1, null));
    assertEquals(List.of("a", 1, "b", 2), List.of(out[0], out[1], out[3], out[4]));
  }

  @Test
  void onlyFilterTakesJustTheGivenCompletionsRunAtTheHead() {
    TaskQueue queue = new TaskQueue();
    Object mine = new Object();
    Object other = new Object();
    queue.offerAll(FN, null, new Object[] {1, 2}, 2, mine);
    queue.offer(FN, 3, other);
    assertEquals(2, poll(queue, 8, 1, mine));
    assertEquals(0, poll(queue, 8, 1, mine), "the head is someone else's task");
    assertEquals(1, poll(queue, 8, 1, null));
    assertEquals(3, out[1]);
  }

  @Test
  void shutDownRefusesNewWorkButKeepsAcceptedWork() {
    TaskQueue queue = new TaskQueue(4, 4);
    for (int i = 0; i < 6; i++) {
      queue.offer(FN, i, FN); // two rings
    }
    assertFalse(queue.isShutDown());
    queue.shutDown();
    assertTrue(queue.isShutDown());
    assertFalse(queue.offer(FN, 99, FN));
    assertEquals(0, queue.offerAll(FN, null, new Object[3], 3, FN));
    for (int i = 0; i < 6; i++) {
      assertEquals(1, poll(queue, 1, 1, null));
      assertEquals(i, out[1]);
    }
    assertTrue(queue.isEmpty());
  }

  @Test
  void steadyStateTrafficAllocatesNothing() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
    com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) mx;
    TaskQueue queue = new TaskQueue(64, 64);
    Object[] batch = new Object[48];
    java.util.Arrays.fill(batch, "param");
    long before = 0;
    for (int round = 0; round < 200_000; round++) { // lap after lap through the same ring
      if (round == 100_000) { // measure the second half, after the JIT has settled
        before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
      }
      queue.offer(FN, "one", FN);
      queue.offerAll(FN, null, batch, batch.length, FN);
      int taken;
      while ((taken = queue.poll(run, 32, 1, null)) > 0) {
        for (int i = 0; i < taken; i++) {
          run.release(i);
        }
      }
      assertTrue(taken == 0 && queue.isEmpty());
    }
    long allocated = counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertTrue(allocated < 64 * 1024, "4.9 million tasks through a recycled ring allocated " + allocated + " bytes");
  }

  @Test
  void rejectsBadCapacities() {
    assertThrows(IllegalArgumentException.class, () -> new TaskQueue(3, 4));
    assertThrows(IllegalArgumentException.class, () -> new TaskQueue(8, 4));
    assertThrows(IllegalArgumentException.class, () -> new TaskQueue(4, 1 << 20));
  }
}
