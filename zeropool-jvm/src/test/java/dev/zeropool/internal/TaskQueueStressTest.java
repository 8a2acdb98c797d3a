package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Moves {@code -Dzeropool.stress.items} items (default 12 million) through the queue with several
 * producers (single and batch offers) and consumers (run polls), and proves that each item arrives
 * exactly once and, per consumer, in each producer's order (FIFO: no consumer may take a producer's
 * item after a later one of the same producer).
 */
class TaskQueueStressTest {

  private static final long ITEMS = Long.getLong("zeropool.stress.items", 12_000_000L);

  @ParameterizedTest(name = "{0} producers, {1} consumers, rings {2}..{3}")
  @CsvSource({
      "2, 2, 1024, 65536", // the default shape: one ring that rarely grows
      "3, 2, 16, 16",      // tiny rings: constant closing, linking and hand-over
  })
  void everyItemArrivesExactlyOnceInProducerOrder(int producers, int consumers, int initial, int max)
      throws Exception {
    TaskQueue queue = new TaskQueue(initial, max);
    int perProducer = (int) (ITEMS / producers);
    long total = (long) perProducer * producers;
    long[][] seen = new long[consumers][(int) ((total + 63) / 64)];
    AtomicLong taken = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CyclicBarrier start = new CyclicBarrier(producers + consumers);
    List<Thread> threads = new ArrayList<>();
    Object completion = new Object();

    for (int p = 0; p < producers; p++) {
      int producer = p;
      threads.add(new Thread(() -> run(failure, start, () -> {
        Long[] batch = new Long[1 + producer * 7]; // producers differ: batches of 1, 8, 15
        int next = 0;
        while (next < perProducer) {
          if ((next & 1) == 0) {
            queue.offer(completion, id(producer, next, perProducer), completion);
            next++;
          } else {
            int n = Math.min(batch.length, perProducer - next);
            for (int i = 0; i < n; i++) {
              batch[i] = id(producer, next + i, perProducer);
            }
            assertEquals(n, queue.offerAll(completion, null, batch, n, completion));
            next += n;
          }
        }
      }), "producer-" + p));
    }
    for (int c = 0; c < consumers; c++) {
      long[] mine = seen[c];
      threads.add(new Thread(() -> run(failure, start, () -> {
        long[] lastSeq = new long[producers];
        java.util.Arrays.fill(lastSeq, -1);
        RunClaim run = new RunClaim();
        while (taken.get() < total && failure.get() == null) {
          int n = queue.poll(run, 32, 3, null);
          for (int i = 0; i < n; i++) {
            long id = (Long) run.param(i);
            run.release(i);
            int producer = (int) (id / perProducer);
            long seq = id % perProducer;
            if (seq <= lastSeq[producer]) {
              throw new AssertionError("producer " + producer + ": item " + seq + " after " + lastSeq[producer]);
            }
            lastSeq[producer] = seq;
            mine[(int) (id >>> 6)] |= 1L << id;
          }
          if (n > 0) {
            taken.addAndGet(n);
          }
        }
      }), "consumer-" + c));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    assertEquals(total, taken.get(), "items taken");
    assertTrue(queue.isEmpty());
    long count = 0;
    for (int word = 0; word < seen[0].length; word++) {
      long union = 0;
      for (long[] consumerSeen : seen) {
        assertEquals(0, union & consumerSeen[word], "an item was taken twice");
        union |= consumerSeen[word];
      }
      count += Long.bitCount(union);
    }
    assertEquals(total, count, "distinct items taken");
  }

  private static Long id(int producer, int seq, int perProducer) {
    return (long) producer * perProducer + seq;
  }

  private static void run(AtomicReference<Throwable> failure, CyclicBarrier start, ThrowingRunnable body) {
    try {
      start.await();
      body.run();
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
