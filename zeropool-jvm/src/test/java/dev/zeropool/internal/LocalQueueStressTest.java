package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * One owner adds {@code -Dzeropool.stress.items} / 4 numbered tasks (default 3 million) to a small
 * {@link LocalQueue} and takes some itself (one at a time, or the older half at once) while two thieves take from it, and proves that every task
 * leaves exactly once, and that each taker sees tasks in the order they were added.
 */
class LocalQueueStressTest {

  private static final int TASKS = (int) Math.max(100_000, Long.getLong("zeropool.stress.items", 12_000_000L) / 4);

  @Test
  void everyTaskLeavesExactlyOnceInOrder() throws Exception {
    LocalQueue queue = new LocalQueue(8); // small: the owner wraps onto slots being emptied all the time
    Numbered[] tasks = new Numbered[TASKS];
    for (int i = 0; i < TASKS; i++) {
      tasks[i] = new Numbered(i);
    }
    AtomicReferenceArray<String> takenBy = new AtomicReferenceArray<>(TASKS);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean ownerDone = new AtomicBoolean();
    CyclicBarrier start = new CyclicBarrier(3);
    Thread[] thieves = new Thread[2];
    for (int t = 0; t < thieves.length; t++) {
      String name = "thief-" + t;
      thieves[t] = new Thread(() -> run(failure, start, () -> {
        int last = -1;
        while (true) {
          boolean done = ownerDone.get(); // read before the poll: an empty poll after it is final
          Numbered task = (Numbered) queue.steal();
          if (task == null) {
            if (done) {
              return;
            }
            Thread.onSpinWait();
            continue;
          }
          take(takenBy, task, name);
          assertTrue(task.number > last, name + " took " + task.number + " after " + last);
          last = task.number;
        }
      }), name);
      thieves[t].start();
    }
    run(failure, start, () -> {
      int last = -1;
      Object[] half = new Object[4];
      int fullTimes = 0;
      for (int next = 0; next < TASKS; ) {
        if (queue.offer(tasks[next])) {
          next++;
          continue;
        }
        // Full, or a thief is emptying the slot: take one ourselves, as a worker would run one, or
        // (every other time) take the older half, as a worker spills it to the shared queue.
        int taken;
        if ((fullTimes++ & 1) == 0) {
          half[0] = queue.poll();
          taken = half[0] == null ? 0 : 1;
        } else {
          taken = queue.takeOlderHalf(half);
        }
        for (int j = 0; j < taken; j++) {
          Numbered task = (Numbered) half[j];
          take(takenBy, task, "owner");
          assertTrue(task.number > last, "the owner took " + task.number + " after " + last);
          last = task.number;
        }
      }
      ownerDone.set(true);
    });
    for (Thread thief : thieves) {
      thief.join(TimeUnit.MINUTES.toMillis(2));
      assertTrue(!thief.isAlive(), thief.getName() + " is stuck");
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    assertNull(queue.steal());
    for (int i = 0; i < TASKS; i++) {
      assertTrue(takenBy.get(i) != null, "task " + i + " was lost");
    }
    assertEquals(0, queue.size());
  }

  private static void take(AtomicReferenceArray<String> takenBy, Numbered task, String taker) {
    String before = takenBy.getAndSet(task.number, taker);
    if (before != null) {
      throw new AssertionError("task " + task.number + " taken by " + before + " and by " + taker);
    }
  }

  private static void run(AtomicReference<Throwable> failure, CyclicBarrier start, Runnable body) {
    try {
      start.await();
      body.run();
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  private record Numbered(int number) implements Runnable {
    @Override
    public void run() {}
  }
}
