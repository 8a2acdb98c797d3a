package dev.zeropool.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The contract of {@link PinnedPool} as DESIGN (layer 6) states it, one rule per test. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PinnedPoolTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  /** A test item: a counter, a log of what it saw, and a flag that detects overlapping messages. */
  static final class Item {
    long value;
    final List<Object> seen = new ArrayList<>();
    final AtomicInteger inside = new AtomicInteger();
    final Thread createdOn = Thread.currentThread();
  }

  static final ItemFn<Item, Long, Long> ADD = (item, by) -> item.value += by;
  static final ItemFn<Item, Void, Long> GET = (item, unused) -> item.value;
  static final ItemFn<Item, Void, Thread> WHERE = (item, unused) -> Thread.currentThread();
  static final ItemFn<Item, Object, Void> RECORD = (item, x) -> {
    item.seen.add(x);
    return null;
  };

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> f) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT_SECONDS, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void everyCallForAnIdRunsOnTheThreadThatCreatedTheItem() throws Exception {
    try (PinnedPool<Item> pool = PinnedPool.create(4)) {
      for (long id = -20; id < 20; id++) {
        pool.add(id, Item::new);
      }
      List<Thread> senders = new ArrayList<>();
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      for (int s = 0; s < 3; s++) {
        senders.add(new Thread(() -> {
          try {
            for (int round = 0; round < 50; round++) {
              for (long id = -20; id < 20; id++) {
                Thread where = await(pool.send(id, WHERE, null));
                Thread created = await(pool.send(id, (item, unused) -> item.createdOn, null));
                if (where != created || !where.getName().endsWith("-" + Math.floorMod(id, 4L))) {
                  wrong.add(id + " ran on " + where.getName() + ", created on " + created.getName());
                }
              }
            }
          } catch (Exception e) {
            wrong.add(e.toString());
          }
        }));
      }
      senders.forEach(Thread::start);
      for (Thread t : senders) {
        t.join();
      }
      assertTrue(wrong.isEmpty(), () -> String.valueOf(wrong));
    }
  }

  @Test
  void messagesToOneItemRunOneAtATimeInEachSendersOrder() throws Exception {
    int senders = 4;
    int perSender = 2_000;
    long items = 8;
    ItemFn<Item, long[], Void> check = (item, senderAndSeq) -> {
      if (item.inside.incrementAndGet() != 1) {
        item.seen.add("overlap");
      }
      item.seen.add(senderAndSeq);
      Thread.onSpinWait();
      item.inside.decrementAndGet();
      return null;
    };
    try (PinnedPool<Item> pool = PinnedPool.create(3)) {
      for (long id = 0; id < items; id++) {
        pool.add(id, Item::new);
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        long sender = s;
        threads.add(new Thread(() -> {
          try {
            start.await();
            for (long seq = 0; seq < perSender; seq++) {
              pool.post(seq % items, check, new long[] {sender, seq});
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      threads.forEach(Thread::start);
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      for (long id = 0; id < items; id++) {
        List<Object> seen = await(pool.send(id, (item, unused) -> List.copyOf(item.seen), null));
        long[] last = {-1, -1, -1, -1};
        assertEquals(senders * perSender / items, seen.size(), "messages seen by item " + id);
        for (Object o : seen) {
          long[] m = (long[]) o; // an "overlap" marker would fail this cast
          assertTrue(m[1] > last[(int) m[0]], "sender " + m[0] + "'s messages out of order at item " + id);
          last[(int) m[0]] = m[1];
        }
      }
    }
  }

  @Test
  void aDuplicateAddFailsWithoutCallingItsFactoryAndLeavesTheItem() throws Exception {
    try (PinnedPool<Item> pool = PinnedPool.create(2)) {
      await(pool.add(5, Item::new));
      await(pool.send(5, ADD, 3L));
      AtomicInteger calls = new AtomicInteger();
      Throwable failure = failureOf(pool.add(5, () -> {
        calls.incrementAndGet();
        return new Item();
      }));
      assertInstanceOf(IllegalStateException.class, failure);
      assertEquals(0, calls.get());
      assertEquals(3L, await(pool.send(5, GET, null)));
    }
  }

  @Test
  void unknownAndRemovedIdsFailWithNoSuchElement() throws Exception {
    try (PinnedPool<Item> pool = PinnedPool.create(2)) {
      assertInstanceOf(NoSuchElementException.class, failureOf(pool.send(1, GET, null)));
      await(pool.add(1, Item::new));
      assertTrue(await(pool.remove(1)));
      assertFalse(await(pool.remove(1)));
      assertInstanceOf(NoSuchElementException.class, failureOf(pool.send(1, GET, null)));
      await(pool.add(1, Item::new)); // the id is free again
      assertEquals(0L, await(pool.send(1, GET, null)));
    }
  }

  @Test
  void aFailingFactoryCreatesNoItem() throws Exception {
    try (PinnedPool<Item> pool = PinnedPool.create(1)) {
      IllegalArgumentException boom = new IllegalArgumentException("boom");
      assertSame(boom, failureOf(pool.add(1, () -> {
        throw boom;
      })));
      assertInstanceOf(NullPointerException.class, failureOf(pool.add(2, () -> null)));
      assertInstanceOf(NoSuchElementException.class, failureOf(pool.send(1, GET, null)));
      assertInstanceOf(NoSuchElementException.class, failureOf(pool.send(2, GET, null)));
      assertEquals(0, pool.itemCounts()[0]);
    }
  }

  @Test
  void aThrowingHandlerFailsOnlyItsFutureAndTheItemLivesOnHalfUpdated() throws Exception {
    ItemFn<Item, Long, Long> addThenThrowChecked = (item, by) -> {
      item.value += by;
      throw new IOException("disk full");
    };
    ItemFn<Item, Void, Long> throwUnchecked = (item, unused) -> {
      throw new ArithmeticException("overflow");
    };
    try (PinnedPool<Item> pool = PinnedPool.create(1)) {
      await(pool.add(1, Item::new));
      Throwable checked = failureOf(pool.send(1, addThenThrowChecked, 10L));
      assertInstanceOf(IOException.class, checked);
      assertEquals("disk full", checked.getMessage());
      assertInstanceOf(ArithmeticException.class, failureOf(pool.send(1, throwUnchecked, null)));
      CompletionException joined = assertThrows(CompletionException.class,
          () -> pool.send(1, throwUnchecked, null).join());
      assertInstanceOf(ArithmeticException.class, joined.getCause());
      assertEquals(11L, await(pool.send(1, ADD, 1L)), "the item lives on, with the write made before the throw");
    }
  }

  @Test
  void closeRunsThousandsOfPendingMessagesBeforeItReturns() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    PinnedPool<Item> pool = PinnedPool.create(2);
    List<CompletableFuture<Long>> pending = new ArrayList<>();
    Thread closer = new Thread(pool::close);
    try {
      await(pool.add(0, Item::new));
      await(pool.add(1, Item::new));
      pool.send(0, (item, unused) -> {
        blocked.countDown();
        return release.await(WAIT_SECONDS, TimeUnit.SECONDS) ? 0L : -1L;
      }, null);
      assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS));
      for (int i = 0; i < 5_000; i++) {
        pending.add(pool.send(i % 2, ADD, 1L));
      }
      closer.start();
      while (!pool.isClosed()) {
        Thread.onSpinWait(); // close() has refused new messages once this is true
      }
      assertThrows(RejectedExecutionException.class, () -> pool.send(0, ADD, 1L));
      assertTrue(closer.isAlive(), "close() must wait for the blocked message");
    } finally {
      release.countDown();
    }
    closer.join(30_000);
    assertFalse(closer.isAlive());
    for (int i = 0; i < pending.size(); i++) {
      assertEquals(i / 2 + 1, pending.get(i).getNow(-1L), "message " + i);
    }
  }

  @Test
  void everyCallAfterCloseIsRejectedAndASecondCloseDoesNothing() {
    PinnedPool<Item> pool = PinnedPool.create(2);
    pool.close();
    assertTrue(pool.isClosed());
    assertThrows(RejectedExecutionException.class, () -> pool.add(1, Item::new));
    assertThrows(RejectedExecutionException.class, () -> pool.send(1, GET, null));
    assertThrows(RejectedExecutionException.class, () -> pool.post(1, GET, null));
    assertThrows(RejectedExecutionException.class, () -> pool.remove(1));
    pool.close();
  }

  /**
   * Closes {@code pool} on a helper thread and fails, instead of hanging, if a pinned thread has not
   * ended in time (one stuck in a wait that can never end, for instance).
   */
  private static void closeWithin(PinnedPool<?> pool) throws InterruptedException {
    Thread closer = new Thread(pool::close, "pinned-closer");
    closer.setDaemon(true);
    closer.start();
    closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(closer.isAlive(), "a pinned thread did not end after close()");
  }

  @Test
  void closeOrAWaitOnItsOwnThreadFromInsideAnItemFailsFast() throws Exception {
    // daemon threads, closed within a bound: a thread stuck waiting on itself fails the test, not hangs it
    PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(2).daemon(true).build();
    try {
      await(pool.add(0, Item::new));
      await(pool.add(2, Item::new)); // same thread as 0
      await(pool.add(1, Item::new)); // the other thread
      assertInstanceOf(IllegalStateException.class, failureOf(pool.send(0, (item, unused) -> {
        pool.close();
        return null;
      }, null)));
      assertInstanceOf(IllegalStateException.class,
          failureOf(pool.send(0, (item, unused) -> pool.send(2, GET, null).join(), null)));
      assertInstanceOf(IllegalStateException.class,
          failureOf(pool.send(0, (item, unused) -> pool.send(2, GET, null).get(), null)));
      // waiting on an item of another thread is fine
      await(pool.send(1, ADD, 4L));
      ItemFn<Item, Void, Long> askOtherThread = (item, unused) -> pool.send(1, GET, null).join();
      assertEquals(4L, await(pool.send(0, askOtherThread, null)));
      assertFalse(pool.isClosed());
    } finally {
      closeWithin(pool);
    }
  }

  @Test
  void shutdownNowFailsTheMessagesThatHaveNotStarted() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger dropped = new AtomicInteger();
    PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(1)
        .failureHandler((failure, id) -> {
          if (failure instanceof CancellationException) {
            dropped.incrementAndGet();
          }
        }).build();
    CompletableFuture<Long> running;
    List<CompletableFuture<Long>> queued = new ArrayList<>();
    try {
      await(pool.add(0, Item::new));
      running = pool.send(0, (item, unused) -> {
        blocked.countDown();
        return release.await(WAIT_SECONDS, TimeUnit.SECONDS) ? 1L : -1L;
      }, null);
      assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS));
      for (int i = 0; i < 100; i++) {
        queued.add(pool.send(0, ADD, 1L));
        pool.post(0, ADD, 1L);
      }
      pool.shutdownNow();
      assertThrows(RejectedExecutionException.class, () -> pool.send(0, ADD, 1L));
    } finally {
      release.countDown();
    }
    pool.close();
    assertEquals(1L, running.getNow(-2L), "the running message finishes");
    assertEquals(100, dropped.get(), "every dropped post, and nothing else, reaches the failure handler");
    for (CompletableFuture<Long> f : queued) {
      CancellationException e = assertThrows(CancellationException.class, () -> f.get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertTrue(e.getMessage().contains("shutdownNow"), e.getMessage());
    }
  }

  @Test
  void badInputFailsAtTheCallSite() {
    assertThrows(IllegalArgumentException.class, () -> PinnedPool.create(0));
    assertThrows(IllegalArgumentException.class, () -> PinnedPool.builder().threads(-1));
    assertThrows(IllegalArgumentException.class, () -> PinnedPool.builder().inboxCapacity(3));
    assertThrows(IllegalArgumentException.class, () -> PinnedPool.builder().spinWindow(java.time.Duration.ofNanos(-1)));
    assertThrows(NullPointerException.class, () -> PinnedPool.builder().router(null));
    try (PinnedPool<Item> pool = PinnedPool.create(1)) {
      NullPointerException npe = assertThrows(NullPointerException.class, () -> pool.add(1, null));
      assertEquals("factory", npe.getMessage());
      assertEquals("fn", assertThrows(NullPointerException.class, () -> pool.send(1, null, 1L)).getMessage());
      assertEquals("fn", assertThrows(NullPointerException.class, () -> pool.post(1, null, 1L)).getMessage());
      assertThrows(NullPointerException.class, () -> pool.sendAll(null, GET, List.of()));
      assertThrows(IllegalArgumentException.class, () -> pool.sendAll(new long[2], GET, Collections.nCopies(3, null)));
    }
  }

  @Test
  void hooksThreadStateNamesAndTheCurrentItemId() throws Exception {
    ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    try (PinnedPool<Item> pool = PinnedPool.<Item>builder()
        .threads(2)
        .threadNamePrefix("rooms-")
        .threadState(i -> "state of " + i)
        .beforeEach(id -> events.add("before " + id + " " + PinnedPool.currentItemId()))
        .afterEach(id -> events.add("after " + id))
        .build()) {
      assertEquals(2, pool.threadCount());
      await(pool.add(3, Item::new));
      String seen = await(pool.send(3, (item, unused) -> Thread.currentThread().getName() + " "
          + PinnedPool.<String>threadState() + " " + PinnedPool.currentItemId().getAsLong(), null));
      assertEquals("rooms-1 state of 1 3", seen);
      assertEquals(List.of("before 3 OptionalLong[3]", "after 3", "before 3 OptionalLong[3]", "after 3"),
          List.copyOf(events));
      assertEquals(OptionalLong.empty(), PinnedPool.currentItemId());
      assertThrows(IllegalStateException.class, PinnedPool::threadState);
    }
  }

  @Test
  void aCustomRouterIsUsedAndAnOutOfRangeAnswerFailsTheCall() throws Exception {
    try (PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(3)
        .threadNamePrefix("r-").router(id -> id < 0 ? 7 : 2).build()) {
      await(pool.add(10, Item::new));
      assertEquals("r-2", await(pool.send(10, WHERE, null)).getName());
      assertThrows(IllegalStateException.class, () -> pool.send(-1, GET, null));
    }
  }

  @Test
  void aMessageCancelledBeforeItStartsIsSkipped() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (PinnedPool<Item> pool = PinnedPool.create(1)) {
      await(pool.add(0, Item::new));
      try {
        pool.send(0, (item, unused) -> {
          blocked.countDown();
          return release.await(WAIT_SECONDS, TimeUnit.SECONDS);
        }, null);
        assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<Long> cancelled = pool.send(0, ADD, 100L);
        assertTrue(cancelled.cancel(false));
        assertTrue(pool.inboxDepths()[0] >= 1);
      } finally {
        release.countDown();
      }
      assertEquals(1L, await(pool.send(0, ADD, 1L)), "the cancelled ADD never ran");
    }
  }

  @Test
  void inboxDepthShowsABlockedThreadAndItemCountsFollowAddsAndRemoves() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (PinnedPool<Item> pool = PinnedPool.create(2)) {
      await(pool.add(0, Item::new));
      await(pool.add(1, Item::new));
      await(pool.add(3, Item::new));
      assertEquals(List.of(1, 2), List.of(pool.itemCounts()[0], pool.itemCounts()[1]));
      CompletableFuture<Long> last;
      try {
        pool.send(0, (item, unused) -> {
          blocked.countDown();
          return release.await(WAIT_SECONDS, TimeUnit.SECONDS);
        }, null);
        assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS));
        for (int i = 0; i < 1_000; i++) {
          pool.post(0, ADD, 1L);
        }
        last = pool.send(0, GET, null);
        assertEquals(1_001, pool.inboxDepths()[0]);
      } finally {
        release.countDown();
      }
      assertEquals(1_000L, await(last));
      assertEquals(0, pool.inboxDepths()[0]);
      assertTrue(await(pool.remove(3)));
      assertEquals(1, pool.itemCounts()[1]);
    }
  }

  @Test
  void sendAllKeepsRequestOrderAndInCompletionOrderGivesEveryResponseOnce() throws Exception {
    try (PinnedPool<Item> pool = PinnedPool.create(3)) {
      long[] ids = new long[30];
      List<Long> params = new ArrayList<>();
      for (int i = 0; i < ids.length; i++) {
        ids[i] = i;
        params.add((long) i * 10);
        pool.add(i, Item::new);
      }
      List<CompletableFuture<Long>> replies = pool.sendAll(ids, ADD, params);
      for (int i = 0; i < ids.length; i++) {
        assertEquals(i * 10L, await(replies.get(i)));
      }
      List<CompletableFuture<Long>> again = pool.sendAll(ids, ADD, params);
      List<Long> inCompletionOrder = new ArrayList<>();
      for (CompletableFuture<Long> done : PinnedSender.inCompletionOrder(again)) {
        assertTrue(done.isDone());
        inCompletionOrder.add(done.join());
      }
      inCompletionOrder.sort(null);
      List<Long> expected = new ArrayList<>();
      params.forEach(p -> expected.add(2 * p));
      assertEquals(expected, inCompletionOrder);
    }
  }

  @Test
  void sendAllGroupsByThreadButKeepsEachItemsRequestOrder() throws Exception {
    try (PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(3).inboxCapacity(2).build()) {
      for (long id = 0; id < 4; id++) {
        await(pool.add(id, Item::new));
      }
      int n = 200; // far more than the two-slot first ring: runs spill into grown rings
      long[] ids = new long[n];
      List<Object> params = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids[i] = (i * 7) % 4; // items 0..3 interleaved, on threads 0, 1, 2, 0
        params.add(i % 5 == 0 ? null : i);
      }
      List<CompletableFuture<Void>> replies = pool.sendAll(ids, RECORD, params);
      assertEquals(n, replies.size());
      for (CompletableFuture<Void> reply : replies) {
        await(reply);
      }
      for (long id = 0; id < 4; id++) {
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (ids[i] == id) {
            expected.add(params.get(i));
          }
        }
        long item = id;
        assertEquals(expected, await(pool.send(id, (it, unused) -> new ArrayList<>(it.seen), null)), "item " + item);
      }
    }
  }

  @Test
  void aPostWakesAParkedThreadByItself() throws Exception {
    try (PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(1).spinWindow(java.time.Duration.ZERO).build()) {
      await(pool.add(1, Item::new));
      Thread pinned = await(pool.send(1, WHERE, null));
      for (int round = 0; round < 20; round++) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (pinned.getState() != Thread.State.WAITING) { // parked: only a signal can wake it now
          assertTrue(System.nanoTime() - deadline < 0, "the thread did not park: " + pinned.getState());
          Thread.onSpinWait();
        }
        CountDownLatch ran = new CountDownLatch(1);
        pool.post(1, (item, latch) -> {
          latch.countDown();
          return null;
        }, ran); // no send follows: only the post's own signal can wake the parked thread
        assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS), "round " + round);
      }
    }
  }

  @Test
  void aRouterAnswerOutsideTheThreadsFailsTheCallAndTheBuilderChecksTheInboxCapacity() {
    try (PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(2).router(id -> (int) id).build()) {
      assertThrows(IllegalStateException.class, () -> pool.send(2, GET, null));
      assertThrows(IllegalStateException.class, () -> pool.send(-1, GET, null));
    }
    PinnedPool.builder().inboxCapacity(2).inboxCapacity(1 << 16); // the bounds themselves are accepted
    assertThrows(IllegalArgumentException.class, () -> PinnedPool.builder().inboxCapacity(1));
    assertThrows(IllegalArgumentException.class, () -> PinnedPool.builder().inboxCapacity(1 << 17));
  }

  @Test
  void sendAllRoutesEveryIdBeforeSendingAnyAndRefusesWhenClosed() throws Exception {
    PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(2).router(id -> id == 99 ? 5 : (int) id % 2).build();
    try {
      await(pool.add(0, Item::new));
      await(pool.add(1, Item::new));
      assertThrows(IllegalStateException.class,
          () -> pool.sendAll(new long[] {0, 1, 99}, ADD, List.of(1L, 1L, 1L)));
      assertEquals(0L, await(pool.send(0, GET, null)), "nothing of the refused batch ran");
      assertEquals(0L, await(pool.send(1, GET, null)), "nothing of the refused batch ran");
      assertEquals(List.of(), pool.sendAll(new long[0], ADD, List.of()));
    } finally {
      pool.close();
    }
    assertThrows(RejectedExecutionException.class, () -> pool.sendAll(new long[] {0, 1}, ADD, List.of(1L, 1L)));
  }

  @Test
  void aFailedPostGoesToTheFailureHandlerAndTheThreadCarriesOn() throws Exception {
    AtomicReference<String> reported = new AtomicReference<>();
    CountDownLatch got = new CountDownLatch(1);
    try (PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(1)
        .failureHandler((failure, id) -> {
          reported.set(failure.getClass().getSimpleName() + " " + id);
          got.countDown();
        }).build()) {
      pool.post(42, ADD, 1L);
      assertTrue(got.await(WAIT_SECONDS, TimeUnit.SECONDS));
      assertEquals("NoSuchElementException 42", reported.get());
      await(pool.add(42, Item::new));
      assertEquals(1L, await(pool.send(42, ADD, 1L)));
    }
  }

  @Test
  void aFailureHandlerThatThrowsHandsBothFailuresToTheThreadsUncaughtExceptionHandler() throws Exception {
    AtomicReference<Throwable> uncaught = new AtomicReference<>();
    try (PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(1)
        .failureHandler((failure, id) -> {
          throw new IllegalStateException("the handler failed too");
        }).build()) {
      await(pool.add(1, Item::new));
      await(pool.send(1, (item, unused) -> {
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
        return null;
      }, null));
      pool.post(1, (item, unused) -> {
        throw new ArithmeticException("the post failed");
      }, null);
      assertEquals(0L, await(pool.send(1, GET, null)), "the thread carries on"); // and the post ran before
      Throwable reported = uncaught.get();
      assertInstanceOf(ArithmeticException.class, reported);
      assertEquals(1, reported.getSuppressed().length);
      assertEquals("the handler failed too", reported.getSuppressed()[0].getMessage());
    }
  }

  @Test
  void withoutAFailureHandlerAFailedPostIsPrintedToStandardError() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try (PinnedPool<Item> pool = PinnedPool.create(1)) {
      await(pool.add(1, Item::new));
      pool.post(1, (item, unused) -> {
        throw new ArithmeticException("a post that fails on purpose");
      }, null);
      await(pool.send(1, GET, null)); // runs after the post, on the same thread
    } finally {
      System.setErr(originalErr);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("pinned item 1 failed with no future to report to:"), text);
    assertTrue(text.contains("java.lang.ArithmeticException: a post that fails on purpose"), text);
  }

  /**
   * An interrupt of the thread that calls close() does not cut the wait for the threads short (they
   * still finish their messages), and close() hands the interrupt back.
   */
  @Test
  void closeWaitsThroughAnInterruptAndKeepsItForTheCaller() throws Exception {
    Thread caller = Thread.currentThread();
    CountDownLatch started = new CountDownLatch(1);
    PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(1).daemon(true).build();
    await(pool.add(1, Item::new));
    // Runs until close() waits for the thread (after the interrupt made its first wait throw).
    CompletableFuture<Boolean> sawCloseWaiting = pool.send(1, (item, unused) -> {
      started.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (!(pool.isClosed() && caller.getState() == Thread.State.WAITING)) {
        if (System.nanoTime() - deadline > 0) {
          return false;
        }
        Thread.onSpinWait();
      }
      return true;
    }, null);
    assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));
    caller.interrupt();
    try {
      pool.close();
    } finally {
      assertTrue(Thread.interrupted(), "close() hands the caller's interrupt back"); // and clears it
    }
    assertTrue(sawCloseWaiting.getNow(false), "the message ran to its end while close() waited");
  }

  @Test
  void toStringShowsTheThreadCountAndWhetherThePoolIsClosed() {
    PinnedPool<Item> pool = PinnedPool.create(3);
    assertEquals("PinnedPool[threads=3, closed=false]", pool.toString());
    pool.close();
    assertEquals("PinnedPool[threads=3, closed=true]", pool.toString());
  }

  /** messaging_thread_pool's two-level example: an item fans work out to an inner pool and waits. */
  static final TaskFn<long[]> SQUARE = cell -> cell[0] *= cell[0];

  @Test
  void anItemCanFanOutToAnInnerZeroPoolOrPinnedPoolAndWait() throws Exception {
    try (ZeroPool inner = ZeroPool.create(2);
        PinnedPool<Item> innerPinned = PinnedPool.create(2);
        PinnedPool<Item> outer = PinnedPool.create(2)) {
      ItemFn<Item, Integer, Long> sumOfSquares = (item, n) -> {
        long[][] cells = new long[n][];
        for (int i = 0; i < n; i++) {
          cells[i] = new long[] {i + 1};
        }
        inner.submitBatch(SQUARE, cells).join();
        long sum = 0;
        for (long[] c : cells) {
          sum += c[0];
        }
        return item.value = sum;
      };
      ItemFn<Item, Long, Long> askInner = (item, id) -> {
        innerPinned.add(id, Item::new).join();
        return innerPinned.send(id, ADD, 5L).join() + innerPinned.send(id, ADD, 5L).join();
      };
      List<CompletableFuture<Long>> sums = new ArrayList<>();
      for (long id = 0; id < 8; id++) {
        outer.add(id, Item::new);
        sums.add(outer.send(id, sumOfSquares, 10));
        sums.add(outer.send(id, askInner, id));
      }
      for (int i = 0; i < sums.size(); i += 2) {
        assertEquals(385L, await(sums.get(i)));
        assertEquals(15L, await(sums.get(i + 1)));
      }
    }
  }

  @Test
  void threadsAreDaemonOnlyWhenAskedAndEndAfterClose() throws Exception {
    PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(1).daemon(true).build();
    await(pool.add(1, Item::new));
    Thread t = await(pool.send(1, WHERE, null));
    assertTrue(t.isDaemon());
    pool.close();
    assertFalse(t.isAlive());
    try (PinnedPool<Item> plain = PinnedPool.create(1)) {
      await(plain.add(1, Item::new));
      Thread p = await(plain.send(1, WHERE, null));
      assertFalse(p.isDaemon());
      assertNotSame(t, p);
      assertTrue(p.getName().matches("zeropool-pinned-\\d+-thread-0"), p.getName());
    }
  }

  @Test
  void anItemsStateIsVisibleToItsOwnThreadOnlyThroughMessages() throws Exception {
    // a plain, non-thread-safe ArrayList per item, written by many senders' messages
    ItemFn<List<Integer>, Integer, Integer> append = (list, x) -> {
      list.add(x);
      return list.size();
    };
    try (PinnedPool<List<Integer>> pool = PinnedPool.create(2)) {
      Supplier<List<Integer>> factory = ArrayList::new;
      await(pool.add(1, factory));
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        threads.add(new Thread(() -> {
          for (int i = 0; i < 5_000; i++) {
            pool.post(1, append, i);
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(20_001, await(pool.send(1, append, -1)));
    }
  }

  @Test
  void afterTheSpinWindowEveryThreadParksSoAnIdlePoolCostsNoCpu() throws Exception {
    // A long window, so that the spinner is surely seen spinning first, then parking by itself.
    try (PinnedPool<Item> pool = PinnedPool.<Item>builder().threads(3).threadNamePrefix("idle-check-")
        .spinWindow(java.time.Duration.ofMillis(200)).build()) {
      for (long id = 0; id < 30; id++) {
        pool.add(id, Item::new);
      }
      for (long id = 0; id < 30; id++) {
        await(pool.send(id, ADD, 1L));
      }
      List<Thread> threads = new ArrayList<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("idle-check-")) {
          threads.add(t);
        }
      }
      assertEquals(3, threads.size());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      boolean allParked = false;
      while (!allParked && System.nanoTime() - deadline < 0) {
        allParked = threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING);
        Thread.sleep(5); // polling a condition, not timing it: the assertion below holds or times out
      }
      assertTrue(allParked, "a pinned thread still runs with nothing to do");
      // Parked, not gone: a message after the pause wakes its thread and runs.
      assertEquals(2L, await(pool.send(7, ADD, 1L)));
    }
  }
}
