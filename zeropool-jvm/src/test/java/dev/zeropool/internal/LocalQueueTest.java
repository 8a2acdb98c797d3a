package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link LocalQueue} on one thread: order, the full ring, wrap-around and the size snapshot. */
class LocalQueueTest {

  @Test
  void tasksComeOutInTheOrderTheyWentIn() {
    LocalQueue queue = new LocalQueue(4);
    Runnable a = () -> { };
    Runnable b = () -> { };
    assertTrue(queue.isEmpty());
    assertNull(queue.poll());
    assertTrue(queue.offer(a));
    assertTrue(queue.offer(b));
    assertFalse(queue.isEmpty());
    assertEquals(2, queue.size());
    assertSame(a, queue.poll());
    assertSame(b, queue.poll());
    assertNull(queue.poll());
    assertTrue(queue.isEmpty());
    assertEquals(0, queue.size());
  }

  @Test
  void aFullRingRefusesUntilATaskLeaves() {
    LocalQueue queue = new LocalQueue(4);
    Runnable[] tasks = new Runnable[5];
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = distinctTask();
    }
    for (int i = 0; i < 4; i++) {
      assertTrue(queue.offer(tasks[i]), "offer " + i);
    }
    assertFalse(queue.offer(tasks[4]), "a fifth task does not fit in four slots");
    assertEquals(4, queue.size());
    assertSame(tasks[0], queue.poll());
    assertTrue(queue.offer(tasks[4]));
    for (int i = 1; i < 5; i++) {
      assertSame(tasks[i], queue.poll(), "task " + i);
    }
    assertNull(queue.poll());
  }

  @Test
  void theRingIsReusedLapAfterLapAndTheDefaultHoldsItsCapacity() {
    LocalQueue queue = new LocalQueue();
    Runnable[] tasks = new Runnable[LocalQueue.CAPACITY];
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = distinctTask();
    }
    for (int lap = 0; lap < 3; lap++) {
      for (Runnable task : tasks) {
        assertTrue(queue.offer(task), "lap " + lap);
      }
      assertFalse(queue.offer(tasks[0]), "full on lap " + lap);
      assertEquals(LocalQueue.CAPACITY, queue.size());
      for (Runnable task : tasks) {
        assertSame(task, queue.poll(), "lap " + lap);
      }
      assertTrue(queue.isEmpty());
    }
  }

  @Test
  void theSameTaskMayBeQueuedTwice() {
    LocalQueue queue = new LocalQueue(2);
    Runnable task = () -> { };
    assertTrue(queue.offer(task));
    assertTrue(queue.offer(task));
    assertSame(task, queue.poll());
    assertSame(task, queue.poll());
    assertNull(queue.poll());
  }

  @Test
  void theOwnerClearsTheSlotsOfStolenTasksButNotTheTasksAddedSince() throws Exception {
    LocalQueue queue = new LocalQueue(2);
    Runnable a = () -> { };
    Runnable b = () -> { };
    Runnable c = () -> { };
    assertTrue(queue.offer(a));
    assertTrue(queue.offer(b));
    assertSame(a, queue.steal());
    assertTrue(queue.offer(c)); // reuses a's slot: a is gone from the ring already
    assertSame(b, queue.steal()); // b's slot still holds b until the owner clears it
    assertEquals(1, held(queue, b));
    assertSame(c, queue.poll());
    assertEquals(0, held(queue, b), "the owner's poll cleared the stolen task's slot");
    assertEquals(0, held(queue, c), "and its own");
    assertTrue(queue.offer(a));
    assertTrue(queue.offer(b));
    assertSame(a, queue.steal());
    assertSame(b, queue.poll());
    assertNull(queue.poll());
    assertEquals(0, held(queue, a) + held(queue, b), "an empty poll leaves no task behind");
  }

  @Test
  void anEmptyPollClearsTheSlotsOfTasksStolenSinceTheOwnersLastTake() throws Exception {
    LocalQueue queue = new LocalQueue(4);
    Runnable a = () -> { };
    assertTrue(queue.offer(a));
    assertSame(a, queue.steal());
    assertEquals(1, held(queue, a), "a thief leaves its slot to the owner");
    assertNull(queue.poll());
    assertEquals(0, held(queue, a), "the owner's empty poll cleared it");
  }

  @Test
  void takeOlderHalfTakesTheOldestHalfInOrderAndClearsTheirSlots() throws Exception {
    LocalQueue queue = new LocalQueue(8);
    Runnable[] tasks = filled(queue, 8);
    Object[] into = new Object[8];
    assertEquals(4, queue.takeOlderHalf(into), "half of eight");
    for (int i = 0; i < 4; i++) {
      assertSame(tasks[i], into[i], "slot " + i);
      assertEquals(0, held(queue, tasks[i]), "the ring let go of task " + i);
    }
    assertEquals(4, queue.size());
    assertEquals(2, queue.takeOlderHalf(into), "half of four");
    assertSame(tasks[4], into[0]);
    assertSame(tasks[5], into[1]);
    assertEquals(1, queue.takeOlderHalf(into), "half of two");
    assertSame(tasks[6], into[0]);
    assertEquals(1, queue.takeOlderHalf(into), "one task is taken whole");
    assertSame(tasks[7], into[0]);
    assertEquals(0, queue.takeOlderHalf(into), "nothing left");
    assertTrue(queue.isEmpty());
  }

  @Test
  void takeOlderHalfTakesNoMoreThanItsArrayHoldsAndNothingAThiefTook() {
    LocalQueue queue = new LocalQueue(8);
    Runnable[] tasks = filled(queue, 8);
    assertSame(tasks[0], queue.steal());
    Object[] into = new Object[2];
    assertEquals(2, queue.takeOlderHalf(into), "half of seven is three, but the array holds two");
    assertSame(tasks[1], into[0]);
    assertSame(tasks[2], into[1]);
    assertEquals(5, queue.size());
    assertSame(tasks[3], queue.poll());
  }

  /** Offers {@code count} distinct tasks to {@code queue}, each accepted, and returns them in order. */
  private static Runnable[] filled(LocalQueue queue, int count) {
    Runnable[] tasks = new Runnable[count];
    for (int i = 0; i < count; i++) {
      tasks[i] = distinctTask();
      assertTrue(queue.offer(tasks[i]), "offer " + i);
    }
    return tasks;
  }

  /** A new object each call (a lambda without captures would be one shared instance). */
  private static Runnable distinctTask() {
    return new Runnable() {
      @Override
      public void run() {}
    };
  }

  /** {@return how many slots of {@code queue} hold {@code task}} */
  private static int held(LocalQueue queue, Runnable task) throws Exception {
    java.lang.reflect.Field field = LocalQueue.class.getDeclaredField("slots");
    field.setAccessible(true);
    int count = 0;
    for (Object slot : (Object[]) field.get(queue)) {
      if (slot == task) {
        count++;
      }
    }
    return count;
  }

  @Test
  void theCapacityMustBeAPowerOfTwo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LocalQueue(6));
    assertTrue(e.getMessage().contains("capacity"), e.getMessage());
  }
}
