package dev.zeropool.pinned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What one {@link PinnedThread} does around its messages: the thread-state factory and the
 * {@code afterEach} hook's failures, the spin window after messages that come one by one (on every
 * thread at once), the wake-up of a parked thread, and what is left of its items once it has ended.
 */
class PinnedThreadTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);
  /**
   * Longer than every wait of these tests: a thread in this window spins until a message or the
   * shutdown ends it. Not much longer: a thread that wrongly ignored both would hold up close() that long.
   */
  private static final Duration LONG_WINDOW = Duration.ofSeconds(WAIT_SECONDS + 2);
  /** How long a thread that must be spinning is watched. */
  private static final long WATCH_MILLIS = 50;

  static final ItemFn<long[], Long, Long> ADD = (cell, by) -> cell[0] += by;
  static final ItemFn<long[], Void, Thread> WHERE = (cell, unused) -> Thread.currentThread();

  /**
   * Waits for a message's reply through a plain copy of its future: a pinned future's own wait spins
   * for the pool's spin window first, which here is longer than the bound.
   */
  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.copy().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Fails if {@code t} parks at any moment of the next {@link #WATCH_MILLIS} ms. */
  private static void assertSpinsAndDoesNotPark(Thread t, String when) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WATCH_MILLIS);
    while (System.nanoTime() - end < 0) {
      Thread.State state = t.getState();
      assertTrue(state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING,
          when + ": the thread parked inside its spin window (" + state + ")");
      Thread.onSpinWait();
    }
  }

  /** Waits (bounded) until {@code t} is parked. */
  private static void awaitParked(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (t.getState() != Thread.State.WAITING) {
      assertTrue(System.nanoTime() - deadline < 0, "the thread did not park: " + t.getState());
      Thread.onSpinWait();
    }
  }

  @Test
  void aThrowingThreadStateFactoryGoesToTheFailureHandlerWithIdMinusOneAndTheThreadRunsOn() throws Exception {
    ConcurrentLinkedQueue<String> reported = new ConcurrentLinkedQueue<>();
    try (PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(1)
        .threadState(i -> {
          throw new IllegalArgumentException("no state for thread " + i);
        })
        .failureHandler((failure, id) -> reported.add(failure.getMessage() + ", id " + id))
        .build()) {
      await(pool.add(1, () -> new long[1])); // the factory ran before the thread's first message
      assertEquals(List.of("no state for thread 0, id -1"), List.copyOf(reported));
      ExecutionException noState = assertThrows(ExecutionException.class,
          () -> await(pool.send(1, (cell, unused) -> PinnedPool.threadState(), null)));
      assertInstanceOf(IllegalStateException.class, noState.getCause());
      assertEquals(2L, await(pool.send(1, ADD, 2L)));
    }
  }

  @Test
  void aPoolWithoutThreadStateReportsNothingWhenItsThreadsStart() throws Exception {
    ConcurrentLinkedQueue<String> reported = new ConcurrentLinkedQueue<>();
    try (PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(2)
        .failureHandler((failure, id) -> reported.add(failure + ", id " + id)).build()) {
      await(pool.add(0, () -> new long[1]));
      await(pool.add(1, () -> new long[1])); // both threads have started and run a message
      assertEquals(List.of(), List.copyOf(reported));
    }
  }

  @Test
  void aThrowingAfterEachHookGoesToTheFailureHandlerAndTheMessageKeepsItsOutcome() throws Exception {
    ConcurrentLinkedQueue<String> reported = new ConcurrentLinkedQueue<>();
    try (PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(1)
        .afterEach(id -> {
          if (id == 2) {
            throw new IllegalStateException("after-hook of " + id);
          }
        })
        .failureHandler((failure, id) -> reported.add(failure.getMessage() + ", id " + id))
        .build()) {
      await(pool.add(1, () -> new long[1]));
      await(pool.add(2, () -> new long[1])); // the hook throws: the add still succeeds
      assertEquals(5L, await(pool.send(2, ADD, 5L)));
      assertEquals(List.of("after-hook of 2, id 2", "after-hook of 2, id 2"), List.copyOf(reported));
      assertEquals(1L, await(pool.send(1, ADD, 1L)));
      assertEquals(2, reported.size(), "no report for an item whose hook does not throw");
    }
  }

  /**
   * After a message that came alone the thread spins for the window instead of parking; a message that
   * arrives during the spin is run at once (not at the window's end), and the thread spins again after it.
   */
  @Test
  void aThreadThatRanOneMessageSpinsThroughItsWindowAndAMessageEndsTheSpinAtOnce() throws Exception {
    try (PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(1).spinWindow(LONG_WINDOW).build()) {
      await(pool.add(1, () -> new long[1]));
      Thread pinned = await(pool.send(1, WHERE, null));
      assertSpinsAndDoesNotPark(pinned, "after one message");
      for (long round = 1; round <= 3; round++) {
        assertEquals(round, await(pool.send(1, ADD, 1L)), "a message sent during the spin runs within the bound");
        assertSpinsAndDoesNotPark(pinned, "after round " + round);
      }
    }
  }

  /**
   * A drain that took two messages still counts as "one by one": the thread spins after it. The two are
   * the first messages of a fresh thread (an add whose factory blocks until the second has been sent),
   * so no earlier message can share their drain.
   */
  @Test
  void aThreadSpinsAfterADrainOfTwoMessages() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> pinned = new AtomicReference<>();
    try (PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(1).spinWindow(LONG_WINDOW).build()) {
      CompletableFuture<Void> added;
      CompletableFuture<Long> second;
      try {
        added = pool.add(1, () -> {
          pinned.set(Thread.currentThread());
          blocked.countDown();
          try {
            return release.await(WAIT_SECONDS, TimeUnit.SECONDS) ? new long[1] : null; // null fails the add
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
        assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS));
        second = pool.send(1, ADD, 1L); // waits in the inbox: the running drain takes it right after the add
      } finally {
        release.countDown();
      }
      await(added);
      assertEquals(1L, await(second));
      assertSpinsAndDoesNotPark(pinned.get(), "after a drain of two messages");
    }
  }

  /** A parked thread is woken by each send, runs it, and parks again (the window is zero). */
  @Test
  void aParkedThreadIsWokenByEverySendAndParksAgain() throws Exception {
    try (PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(1).spinWindow(Duration.ZERO).build()) {
      await(pool.add(1, () -> new long[1]));
      Thread pinned = await(pool.send(1, WHERE, null));
      for (long round = 1; round <= 10; round++) {
        awaitParked(pinned); // so that this round's send has to wake it
        assertEquals(round, await(pool.send(1, ADD, 1L)));
      }
      awaitParked(pinned);
    }
  }

  /**
   * Every thread that ran a message alone spins through its window, whatever the others do: spinners
   * yield their cores, so there is no one-spinner rule to keep a second thread from spinning.
   */
  @Test
  void everyThreadOfThePoolSpinsAfterAMessageThatCameAlone() throws Exception {
    try (PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(2).spinWindow(LONG_WINDOW).build()) {
      await(pool.add(0, () -> new long[1]));
      await(pool.add(1, () -> new long[1]));
      Thread first = await(pool.send(0, WHERE, null));
      Thread second = await(pool.send(1, WHERE, null));
      assertNotSame(first, second, "ids 0 and 1 live on different threads");
      assertSpinsAndDoesNotPark(first, "the first thread, while the second spins too");
      assertSpinsAndDoesNotPark(second, "the second thread, while the first spins too");
    }
  }

  /** A thread that has ended holds no items: the counts read zero and the items can be collected. */
  @Test
  void aClosedPoolCountsNoItemsAndKeepsNoneAlive() throws Exception {
    ConcurrentLinkedQueue<WeakReference<long[]>> made = new ConcurrentLinkedQueue<>();
    PinnedPool<long[]> pool = PinnedPool.<long[]>builder().threads(2).build();
    try {
      for (long id = 0; id < 6; id++) {
        await(pool.add(id, () -> {
          long[] item = new long[1];
          made.add(new WeakReference<>(item));
          return item;
        }));
      }
      assertArrayEquals(new int[] {3, 3}, pool.itemCounts());
    } finally {
      pool.close();
    }
    assertArrayEquals(new int[] {0, 0}, pool.itemCounts());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (made.stream().anyMatch(r -> r.get() != null) && System.nanoTime() - deadline < 0) {
      System.gc(); // a collection is what is waited for here, not time
    }
    assertEquals(6, made.size());
    assertTrue(made.stream().allMatch(r -> r.get() == null), "an item outlived its ended thread");
    Reference.reachabilityFence(pool); // the pool (and its ended threads) stays reachable throughout
  }
}
