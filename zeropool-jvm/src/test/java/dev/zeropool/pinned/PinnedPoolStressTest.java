package dev.zeropool.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Several senders add, send to and remove items at random at once, through inboxes of two slots (so
 * nearly every burst closes a ring and links a successor), pausing now and then so that the pinned
 * threads go idle and park. Each sender owns its ids, so it can predict every answer exactly from its
 * own sequential model; every future must complete with the predicted answer, and every message must
 * run exactly once; once with parking at once, once with a spin window before parking and before a
 * blocked {@code get} parks. Size: {@code -Dzeropool.stress.items} scales the operations per sender.
 */
class PinnedPoolStressTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  private static final int OPS = (int) Math.max(5_000, Long.getLong("zeropool.stress.items", 12_000_000L) / 60);

  static final ItemFn<long[], Long, Long> ADD = (cell, by) -> cell[0] += by;

  @Test
  void randomAddsSendsAndRemovesFromManySendersLoseNothing() throws Exception {
    run(Duration.ZERO);
  }

  @Test
  void theSameWithASpinWindowBeforeParkingAndBlocking() throws Exception {
    run(Duration.ofNanos(20_000));
  }

  /**
   * Round trips one at a time, so that the pinned threads park between nearly every pair of messages
   * and each message has to wake its thread: a lost wake-up would hang a sender (and fail the timeout).
   */
  @Test
  void noWakeUpIsLostWhenEveryMessageFindsItsThreadParked() throws Exception {
    int senders = 4;
    int rounds = Math.max(2_000, OPS / 20);
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    try (PinnedPool<long[]> pool = PinnedPool.create(2)) {
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        long id = s;
        threads.add(new Thread(() -> {
          try {
            pool.add(id, () -> new long[1]).get(WAIT_SECONDS, TimeUnit.SECONDS);
            for (long i = 1; i <= rounds; i++) {
              long got = pool.send(id, ADD, 1L).get(WAIT_SECONDS, TimeUnit.SECONDS);
              if (got != i) {
                wrong.add("item " + id + " answered " + got + " to round " + i);
              }
            }
          } catch (Exception e) {
            wrong.add(e.toString());
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
    }
    assertTrue(wrong.isEmpty(), () -> String.valueOf(wrong));
  }

  private void run(Duration spinWindow) throws Exception {
    int senders = 4;
    AtomicLong ran = new AtomicLong();
    ItemFn<long[], Long, Long> countedAdd = (cell, by) -> {
      ran.incrementAndGet();
      return cell[0] += by;
    };
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    long[] sent = new long[senders];
    try (PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(3).inboxCapacity(2)
        .spinWindow(spinWindow).build()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int sender = s;
        threads.add(new Thread(() -> {
          try {
            start.await();
            SplittableRandom random = new SplittableRandom(sender);
            Map<Long, Long> model = new HashMap<>(); // id -> value, for the ids this sender owns
            List<CompletableFuture<?>> futures = new ArrayList<>();
            List<Object> expected = new ArrayList<>();
            for (int op = 0; op < OPS; op++) {
              long id = sender + senders * (long) random.nextInt(32); // disjoint ids per sender
              int kind = random.nextInt(10);
              if (kind == 0) {
                futures.add(pool.add(id, () -> new long[1]));
                expected.add(model.putIfAbsent(id, 0L) == null ? "added" : IllegalStateException.class);
              } else if (kind == 1) {
                futures.add(pool.remove(id));
                expected.add(model.remove(id) != null);
              } else {
                long by = 1 + random.nextInt(9);
                futures.add(pool.send(id, countedAdd, by));
                Long now = model.computeIfPresent(id, (k, v) -> v + by);
                expected.add(now != null ? (Object) now : NoSuchElementException.class);
                if (now != null) {
                  sent[sender]++;
                }
              }
              if (random.nextInt(2_000) == 0) {
                check(futures, expected, wrong); // wait for everything: the pinned threads go idle and park
                futures.clear();
                expected.clear();
              }
            }
            check(futures, expected, wrong);
          } catch (Exception e) {
            wrong.add(e.toString());
          }
        }));
      }
      threads.forEach(Thread::start);
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
    }
    assertTrue(wrong.isEmpty(), () -> wrong.size() + " wrong answers, e.g. " + wrong.peek());
    long total = 0;
    for (long n : sent) {
      total += n;
    }
    assertEquals(total, ran.get(), "every accepted send to an existing item ran exactly once");
  }

  private static void check(List<CompletableFuture<?>> futures, List<Object> expected,
      ConcurrentLinkedQueue<String> wrong) throws Exception {
    for (int i = 0; i < futures.size(); i++) {
      Object want = expected.get(i);
      Object got;
      try {
        Object value = futures.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS);
        got = value == null ? "added" : value;
      } catch (ExecutionException e) {
        got = e.getCause().getClass();
      }
      if (!want.equals(got)) {
        wrong.add("message " + i + ": expected " + want + ", got " + got);
      }
    }
  }
}
