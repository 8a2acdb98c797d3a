package dev.zeropool.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The future of a message ({@link PinnedFuture}): a wait that could never end (on the item's own
 * thread) fails at once, by every kind of wait; a wait on a finished reply returns it anywhere; and a
 * waiter whose reply is next in line spins for the spin window instead of parking at once.
 */
class PinnedFutureTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  static final ItemFn<long[], Long, Long> ADD = (cell, by) -> cell[0] += by;
  static final ItemFn<long[], Void, Long> GET = (cell, unused) -> cell[0];

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Closes {@code pool} on a helper thread and fails, instead of hanging, if a pinned thread has not
   * ended in time (one stuck in a wait on its own thread would never end).
   */
  private static void closeWithin(PinnedPool<?> pool) throws InterruptedException {
    Thread closer = new Thread(pool::close, "pinned-closer");
    closer.setDaemon(true);
    closer.start();
    closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(closer.isAlive(), "a pinned thread did not end after close()");
  }

  @Test
  void joinGetAndATimedGetOnTheItemsOwnThreadFailAtOnce() throws Exception {
    PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(2).daemon(true).build();
    try {
      await(pool.add(0, () -> new long[1]));
      await(pool.add(2, () -> new long[1])); // the same thread as item 0
      ItemFn<long[], Void, Long> viaJoin = (cell, unused) -> pool.send(2, GET, null).join();
      ItemFn<long[], Void, Long> viaGet = (cell, unused) -> pool.send(2, GET, null).get();
      // a short timeout on purpose: the right answer is an immediate refusal, not a TimeoutException
      ItemFn<long[], Void, Long> viaTimedGet = (cell, unused) -> pool.send(2, GET, null).get(100, TimeUnit.MILLISECONDS);
      for (ItemFn<long[], Void, Long> wait : java.util.List.of(viaJoin, viaGet, viaTimedGet)) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(pool.send(0, wait, null)));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("would deadlock"), e.getCause().getMessage());
      }
    } finally {
      closeWithin(pool);
    }
  }

  @Test
  void aFinishedReplyCanBeReadOnItsOwnThreadAndAnywhereElse() throws Exception {
    PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(2).daemon(true).build();
    try {
      await(pool.add(0, () -> new long[1]));
      await(pool.add(2, () -> new long[1]));
      CompletableFuture<Long> done = pool.send(2, ADD, 7L);
      assertEquals(7L, await(done));
      assertEquals(7L, done.get(), "an untimed get of a finished reply");
      assertEquals(7L, done.join());
      ItemFn<long[], CompletableFuture<Long>, Long> readAllThreeWays =
          (cell, reply) -> reply.join() + reply.get() + reply.get(1, TimeUnit.MILLISECONDS);
      assertEquals(21L, await(pool.send(0, readAllThreeWays, done)), "item 0 reads item 2's finished reply");
    } finally {
      closeWithin(pool);
    }
  }

  /**
   * A timed get waits at most about its timeout, even when the pool's spin window is longer: the spin
   * counts against the timeout (it used to spin the whole window first, so a 50 ms get with a 3 s
   * window took 3 s).
   */
  @Test
  void aTimedGetGivesUpAfterItsTimeoutEvenWithALongerSpinWindow() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(1).daemon(true)
        .spinWindow(Duration.ofSeconds(3)).build();
    try {
      await(pool.add(1, () -> new long[1]));
      pool.send(1, (cell, unused) -> {
        blocked.countDown();
        return release.await(WAIT_SECONDS, TimeUnit.SECONDS) ? 0L : -1L;
      }, null);
      assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS));
      CompletableFuture<Long> next = pool.send(1, ADD, 1L); // next in line: the waiter spins
      long start = System.nanoTime();
      assertThrows(TimeoutException.class, () -> next.get(50, TimeUnit.MILLISECONDS));
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(tookMillis < 1_500, "a 50 ms get took " + tookMillis + " ms");
    } finally {
      release.countDown();
      closeWithin(pool);
    }
  }

  /**
   * A waiter whose message is next in its thread's inbox spins (stays runnable) while the thread
   * finishes the message before it, then gets its reply.
   */
  @Test
  void aWaiterWhoseReplyIsNextSpinsInsteadOfParking() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Long> seenByWaiter = new CompletableFuture<>();
    // longer than the watch below and every bound; the release below ends the waiter's spin early
    PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(1).daemon(true)
        .spinWindow(Duration.ofSeconds(WAIT_SECONDS + 2)).build();
    Thread waiter = null;
    try {
      await(pool.add(1, () -> new long[1]));
      pool.send(1, (cell, unused) -> {
        blocked.countDown();
        return release.await(WAIT_SECONDS, TimeUnit.SECONDS) ? cell[0] += 10 : -1L;
      }, null);
      assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS));
      CompletableFuture<Long> next = pool.send(1, ADD, 1L); // the one message waiting: depth 1
      waiter = new Thread(() -> {
        waiting.countDown();
        try {
          seenByWaiter.complete(next.get(WAIT_SECONDS, TimeUnit.SECONDS));
        } catch (Throwable t) {
          seenByWaiter.completeExceptionally(t);
        }
      }, "spinning-waiter");
      waiter.setDaemon(true);
      waiter.start();
      assertTrue(waiting.await(WAIT_SECONDS, TimeUnit.SECONDS));
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
      while (System.nanoTime() - end < 0) {
        Thread.State state = waiter.getState();
        assertTrue(state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING,
            "the waiter parked although its reply is next: " + state);
        Thread.onSpinWait();
      }
    } finally {
      release.countDown();
    }
    try {
      assertEquals(11L, seenByWaiter.get(WAIT_SECONDS, TimeUnit.SECONDS));
      waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(waiter.isAlive());
    } finally {
      closeWithin(pool);
    }
  }
}
