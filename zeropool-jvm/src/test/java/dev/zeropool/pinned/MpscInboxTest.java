package dev.zeropool.pinned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link MpscInbox#offerAll}: a run of messages claimed with one CAS where the ring has room. Step by
 * step first, then under contention with single offers, small rings (so blocks often do not fit and
 * rings close and grow) and a shutdown in the middle. What must hold: every accepted message comes out
 * exactly once, each producer's messages in the order it offered them, and the accepted ones of a run
 * are a prefix of it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MpscInboxTest {

  private static final Object OP = new Object();
  /** How long a consumer may take ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long CONSUMER_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  private static List<Long> drainAll(MpscInbox inbox) throws InterruptedException {
    List<Long> ids = new ArrayList<>();
    consumeWithin(() -> inbox.drain((op, id, param, future) -> ids.add(id), Integer.MAX_VALUE));
    return ids;
  }

  /**
   * Runs {@code consumer} on a daemon thread and fails if it has not ended in time. A slot claimed
   * twice makes the consumer wait forever for a publication that never comes: this turns that into a
   * failed assertion (the stuck thread is left behind; it only exists when the inbox is broken).
   */
  private static void consumeWithin(Runnable consumer) throws InterruptedException {
    Thread t = new Thread(consumer, "inbox-consumer");
    t.setDaemon(true);
    t.start();
    t.join(TimeUnit.SECONDS.toMillis(CONSUMER_SECONDS));
    assertFalse(t.isAlive(), "the consumer is stuck on a slot that was claimed but never published");
  }

  @Test
  void aRunComesOutInTheGivenOrderWithItsParametersAndFutures() throws Exception {
    MpscInbox inbox = new MpscInbox(4, 16);
    long[] ids = {10, 11, 12, 13, 14, 15};
    Object[] params = {"a", "b", "c", "d", "e", "f"};
    CompletableFuture<?>[] futures = new CompletableFuture<?>[6];
    for (int i = 0; i < futures.length; i++) {
      futures[i] = new CompletableFuture<>();
    }
    int[] order = {5, 0, 3, 1, 4, 2};
    assertTrue(inbox.offer(OP, 1, "first", null));
    assertEquals(4, inbox.offerAll(OP, ids, params, futures, order, 1, 5)); // order[1..5): 0, 3, 1, 4
    List<Object> seen = new ArrayList<>();
    consumeWithin(() -> inbox.drain((op, id, param, future) -> {
      seen.add(op == OP ? id : "wrong operation");
      seen.add(param);
      seen.add(future == null ? "none" : future);
    }, 10));
    assertEquals(List.of(1L, "first", "none", 10L, "a", futures[0], 13L, "d", futures[3], 11L, "b", futures[1],
        14L, "e", futures[4]), seen);
  }

  @Test
  void aRunLargerThanTheFreeRoomSpillsIntoGrownRingsInOrder() throws Exception {
    MpscInbox inbox = new MpscInbox(2, 8);
    assertTrue(inbox.offer(OP, -1, null, null)); // one of two slots taken: a block of 2 does not fit
    long[] ids = new long[21];
    int[] order = new int[21];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
      order[i] = i;
    }
    assertEquals(21, inbox.offerAll(OP, ids, new Object[21], new CompletableFuture<?>[21], order, 0, 21));
    List<Long> expected = new ArrayList<>();
    expected.add(-1L);
    for (long i = 0; i < 21; i++) {
      expected.add(i);
    }
    assertEquals(expected, drainAll(inbox));
    assertEquals(MpscInbox.EMPTY, inbox.state());
  }

  @Test
  void slotsFreedByTheConsumerAreClaimedAsOneBlockLapAfterLap() throws Exception {
    MpscInbox inbox = new MpscInbox(4, 4);
    long[] ids = {1, 2, 3, 4};
    int[] order = {0, 1, 2, 3};
    for (int lap = 0; lap < 5; lap++) {
      assertEquals(3, inbox.offerAll(OP, ids, new Object[4], new CompletableFuture<?>[4], order, 0, 3));
      assertEquals(List.of(1L, 2L, 3L), drainAll(inbox), "lap " + lap);
    }
  }

  @Test
  void afterShutdownNothingOfARunIsAccepted() {
    MpscInbox inbox = new MpscInbox(4, 4);
    assertTrue(inbox.shutdown());
    assertEquals(0, inbox.offerAll(OP, new long[3], new Object[3], new CompletableFuture<?>[3], new int[3], 0, 3));
    assertEquals(MpscInbox.TERMINATED, inbox.state());
  }

  @Test
  void aDrainHandsOverAtMostItsLimit() throws Exception {
    MpscInbox inbox = new MpscInbox(8, 8);
    for (long id = 0; id < 5; id++) {
      assertTrue(inbox.offer(OP, id, null, null));
    }
    List<Long> seen = new ArrayList<>();
    int[] counts = new int[3];
    consumeWithin(() -> {
      counts[0] = inbox.drain((op, id, param, future) -> seen.add(id), 2);
      counts[1] = inbox.drain((op, id, param, future) -> seen.add(id), 2);
      counts[2] = inbox.drain((op, id, param, future) -> seen.add(id), 2);
    });
    assertArrayEquals(new int[] {2, 2, 1}, counts);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), seen);
  }

  /**
   * The consumer's state looks past a drained, closed ring to its successor: messages there make it
   * ready; after a shutdown it is ready until the last message is taken, then terminated.
   */
  @Test
  void theStateLooksThroughADrainedClosedRingToItsSuccessor() throws Exception {
    MpscInbox inbox = new MpscInbox(2, 8);
    assertEquals(MpscInbox.EMPTY, inbox.state());
    for (long id = 0; id < 3; id++) {
      assertTrue(inbox.offer(OP, id, null, null)); // the third closes the two-slot ring and goes to a successor
    }
    List<Long> seen = new ArrayList<>();
    int[] states = new int[4];
    consumeWithin(() -> {
      inbox.drain((op, id, param, future) -> seen.add(id), 2); // exactly the first ring
      states[0] = inbox.state();
      inbox.drain((op, id, param, future) -> seen.add(id), 8);
      states[1] = inbox.state();
      inbox.offer(OP, 3, null, null);
      inbox.shutdown();
      states[2] = inbox.state();
      inbox.drain((op, id, param, future) -> seen.add(id), 8);
      states[3] = inbox.state();
    });
    assertEquals(List.of(0L, 1L, 2L, 3L), seen);
    assertArrayEquals(new int[] {MpscInbox.READY, MpscInbox.EMPTY, MpscInbox.READY, MpscInbox.TERMINATED}, states);
  }

  @Test
  void capacitiesMustBePowersOfTwoWithinTheLimitAndTheFirstNoLargerThanTheLast() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> new MpscInbox(8, 4));
    assertThrows(IllegalArgumentException.class, () -> new MpscInbox(4, 12));
    assertThrows(IllegalArgumentException.class, () -> new MpscInbox(4, MpscInbox.MAX_CAPACITY * 2));
    assertThrows(IllegalArgumentException.class, () -> new MpscInbox(3, 8));
    assertThrows(IllegalArgumentException.class, () -> new MpscInbox.Segment(MpscInbox.MAX_CAPACITY * 2));
    assertThrows(IllegalArgumentException.class, () -> new MpscInbox.Segment(6));
    MpscInbox largest = new MpscInbox(MpscInbox.MAX_CAPACITY, MpscInbox.MAX_CAPACITY); // the limit itself is allowed
    assertTrue(largest.offer(OP, 1, null, null));
    assertEquals(List.of(1L), drainAll(largest));
    assertEquals(List.of(), drainAll(new MpscInbox(4, 4)), "equal first and last capacities are allowed");
  }

  /**
   * A ring that keeps up with its consumer is reused lap after lap: steady traffic of single offers and
   * runs allocates nothing (each drained slot is freed for the next lap, so no successor is needed).
   */
  @Test
  void steadyTrafficThroughOneRingAllocatesNothing() {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "needs HotSpot's allocation counter");
    com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    MpscInbox inbox = new MpscInbox(8, 8);
    long[] ids = {1, 2, 3, 4, 5};
    int[] order = {0, 1, 2, 3, 4};
    Object[] params = new Object[5];
    CompletableFuture<?>[] futures = new CompletableFuture<?>[5];
    long[] drained = {0};
    MpscInbox.Sink sink = (op, id, param, future) -> drained[0] += id;
    long before = 0;
    for (int round = 0; round < 200_000; round++) {
      if (round == 100_000) { // measure the second half, after the JIT has settled
        before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
      }
      inbox.offer(OP, 10, null, null);
      inbox.offerAll(OP, ids, params, futures, order, 0, ids.length);
      while (inbox.drain(sink, 8) > 0) {
        // drain everything
      }
    }
    long allocated = counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertEquals(200_000L * 25, drained[0]);
    assertTrue(allocated < 64 * 1024, "600 000 messages through a recycled ring allocated " + allocated + " bytes");
  }

  /**
   * Three producers mix runs of 1 to 7 messages with single offers into rings of 2 growing to 8, while
   * the consumer drains; then the inbox is shut down while they still offer. Each producer's accepted
   * messages must come out exactly once and in order, and none after the first refusal.
   */
  @Test
  void manyProducersMixingRunsAndSingleOffersLoseAndReorderNothing() throws Exception {
    int producers = 3;
    int perProducer = 30_000;
    for (int round = 0; round < 5; round++) {
      MpscInbox inbox = new MpscInbox(2, 8);
      long[] accepted = new long[producers];
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean failed = new AtomicBoolean();
      Thread[] threads = new Thread[producers];
      for (int p = 0; p < producers; p++) {
        int producer = p;
        threads[p] = new Thread(() -> {
          SplittableRandom random = new SplittableRandom(producer * 31L + 7);
          long[] ids = new long[7];
          int[] order = {0, 1, 2, 3, 4, 5, 6};
          Object[] params = new Object[7];
          CompletableFuture<?>[] futures = new CompletableFuture<?>[7];
          long sent = 0;
          try {
            start.await();
            while (sent < perProducer) {
              int run = random.nextInt(1, 8);
              for (int i = 0; i < run; i++) {
                ids[i] = producer * 1_000_000L + sent + i;
              }
              int in = run == 1 && random.nextBoolean() ? (inbox.offer(OP, ids[0], null, null) ? 1 : 0)
                  : inbox.offerAll(OP, ids, params, futures, order, 0, run);
              sent += in;
              if (in < run) {
                break; // shut down: nothing later may be accepted
              }
            }
          } catch (Throwable t) {
            failed.set(true);
          } finally {
            accepted[producer] = sent;
          }
        });
        threads[p].start();
      }
      long[] nextExpected = new long[producers];
      long[] outOfOrder = {0};
      MpscInbox.Sink check = (op, id, param, future) -> {
        int producer = (int) (id / 1_000_000L);
        if (id % 1_000_000L != nextExpected[producer]++) {
          outOfOrder[0]++;
        }
      };
      start.countDown();
      consumeWithin(() -> {
        long drained = 0;
        boolean shutDown = false;
        while (!shutDown || inbox.state() != MpscInbox.TERMINATED) {
          drained += inbox.drain(check, 64);
          if (!shutDown && drained >= producers * (long) perProducer / 2) {
            shutDown = inbox.shutdown();
          }
          Thread.onSpinWait();
        }
      });
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(!t.isAlive(), "a producer did not end");
      }
      assertTrue(!failed.get(), "a producer threw");
      assertEquals(0, outOfOrder[0], "messages out of order, lost or repeated");
      for (int p = 0; p < producers; p++) {
        assertEquals(accepted[p], nextExpected[p], "producer " + p + ": accepted vs came out");
      }
    }
  }
}
