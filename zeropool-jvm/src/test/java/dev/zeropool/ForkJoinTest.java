package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fork-join and parallel loops: micropool's own cases in spirit (zip-add and sum over 10 000
 * elements, per-item for_each, 1000 spawn pairs, two and sixteen outside roots at once), recursion,
 * failures, spawned-task cancellation, and bad input.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ForkJoinTest {

  private static final Split[] SPLITS = {Split.adaptive(), Split.perItem(), Split.per(7),
      Split.per(1_000), Split.by(3), Split.by(100_000), Split.byThreads()};

  private final ZeroPool pool = ZeroPool.create(3);

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void zipAddAndSumOfTenThousandElements() {
    int n = 10_000;
    long[] a = new long[n];
    long[] b = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
      b[i] = 3L * i;
    }
    long expected = 4L * n * (n - 1) / 2;
    for (Split split : SPLITS) {
      long[] out = new long[n];
      pool.forRange(0, n, split, i -> out[i] = a[i] + b[i]); // plain writes: the call publishes them
      for (int i = 0; i < n; i++) {
        assertEquals(4L * i, out[i], split + " index " + i);
      }
      assertEquals(expected, pool.sumLong(0, n, split, i -> out[i]), split.toString());
      assertEquals((double) expected, pool.sumDouble(0, n, split, i -> out[i]), 0.0, split.toString());
      assertEquals(4L * (n - 1), pool.reduce(0, n, split, Long.MIN_VALUE, i -> out[i], Math::max));
    }
  }

  @Test
  void offsetAndEmptyRanges() {
    AtomicIntegerArray seen = new AtomicIntegerArray(200);
    pool.forRange(-100, 100, i -> seen.incrementAndGet(i + 100));
    for (int i = 0; i < 200; i++) {
      assertEquals(1, seen.get(i));
    }
    pool.forRange(5, 5, i -> { throw new AssertionError("empty range ran " + i); });
    assertEquals(0, pool.sumLong(7, 7, i -> 1));
    assertEquals(42, pool.reduce(7, 7, 42, i -> 1, Long::sum));
    assertFalse(pool.anyMatch(3, 3, i -> true));
    assertEquals(-1, pool.findAny(3, 3, i -> true));
    assertEquals(Integer.MAX_VALUE - 1, pool.findAny(Integer.MAX_VALUE - 10, Integer.MAX_VALUE,
        Split.perItem(), i -> i == Integer.MAX_VALUE - 1));
    // Folds and searches over a range that does not start at 0 see exactly its indices.
    assertEquals(145, pool.sumLong(10, 20, i -> i));
    assertEquals(145, pool.sumLong(10, 20, Split.per(3), i -> i));
    assertEquals(145.0, pool.sumDouble(10, 20, Split.per(3), i -> i));
    assertEquals(19, pool.reduce(10, 20, Split.per(3), Long.MIN_VALUE, i -> i, Math::max));
    assertFalse(pool.anyMatch(10, 20, Split.per(5), i -> i < 10 || i >= 20));
    assertEquals(-1, pool.findAny(10, 20, Split.per(5), i -> i < 10 || i >= 20));
  }

  @Test
  void perItemForEachOverArraysAndLists() {
    Integer[] items = new Integer[1_000];
    Arrays.setAll(items, i -> i);
    for (Split split : SPLITS) {
      AtomicIntegerArray seen = new AtomicIntegerArray(items.length);
      pool.forEach(items, split, i -> seen.incrementAndGet(i));
      pool.forEach(Arrays.asList(items), split, i -> seen.incrementAndGet(i));
      pool.forEach(new LinkedList<>(Arrays.asList(items)), split, i -> seen.incrementAndGet(i));
      for (int i = 0; i < items.length; i++) {
        assertEquals(3, seen.get(i), split + " item " + i);
      }
    }
    pool.forEach(new String[0], s -> { throw new AssertionError(s); });
    pool.forEach(List.<String>of(), s -> { throw new AssertionError(s); });
  }

  @Test
  void joinRunsBothPartsAndCombinesResults() {
    int[] sides = new int[2];
    pool.join(() -> sides[0] = 1, () -> sides[1] = 2);
    assertArrayEquals(new int[] {1, 2}, sides);
    assertEquals("ab", pool.join(() -> "a", () -> "b", (x, y) -> x + y));
    int[] parts = new int[20];
    Runnable[] tasks = new Runnable[parts.length];
    for (int i = 0; i < tasks.length; i++) {
      int k = i;
      tasks[i] = () -> parts[k]++;
    }
    pool.joinAll(tasks);
    pool.joinAll();
    for (int p : parts) {
      assertEquals(1, p);
    }
  }

  static long fib(ZeroPool pool, int n) {
    if (n < 15) {
      return fibSequential(n);
    }
    return pool.join(() -> fib(pool, n - 1), () -> fib(pool, n - 2), Long::sum);
  }

  static long fibSequential(int n) {
    return n < 2 ? n : fibSequential(n - 1) + fibSequential(n - 2);
  }

  @Test
  void fibOfThirtyWithACutoff() {
    assertEquals(832_040L, fib(pool, 30));
  }

  /** A balanced tree of joins, loops and spawns: returns the number of leaves it ran. */
  static long tree(ZeroPool pool, int depth, int kind) {
    if (depth == 0) {
      return 1;
    }
    switch ((depth + kind) % 3) {
      case 0:
        return pool.join(() -> tree(pool, depth - 1, kind + 1), () -> tree(pool, depth - 1, kind + 2), Long::sum);
      case 1:
        return pool.sumLong(0, 3, Split.perItem(), i -> tree(pool, depth - 1, kind + i));
      default:
        SpawnedTask<Long> spawned = pool.spawn(() -> tree(pool, depth - 1, kind + 1));
        long here = tree(pool, depth - 1, kind + 2);
        return here + spawned.join();
    }
  }

  @Test
  void nestedRecursionOnTwoWorkersFromSeveralOutsideThreads() throws Exception {
    try (ZeroPool small = ZeroPool.create(2)) {
      long expected = tree(small, 8, 0);
      AtomicReference<Throwable> problem = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int kind = t;
        threads.add(new Thread(() -> {
          try {
            for (int round = 0; round < 5; round++) {
              assertEquals(expected, tree(small, 8, 3 * kind)); // same leaf count whatever the shape
            }
          } catch (Throwable e) {
            problem.compareAndSet(null, e);
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertNull(problem.get(), () -> String.valueOf(problem.get()));
    }
  }

  @Test
  void twoOutsideRootsAtOnce() throws Exception {
    int n = 200_000;
    CyclicBarrier start = new CyclicBarrier(2);
    long[][] results = new long[2][];
    List<Thread> roots = new ArrayList<>();
    AtomicReference<Throwable> problem = new AtomicReference<>();
    for (int r = 0; r < 2; r++) {
      int root = r;
      roots.add(new Thread(() -> {
        try {
          long[] out = new long[n];
          start.await();
          for (int round = 0; round < 20; round++) {
            pool.forRange(0, n, i -> out[i] += i + root);
          }
          results[root] = out;
        } catch (Throwable e) {
          problem.compareAndSet(null, e);
        }
      }));
    }
    roots.forEach(Thread::start);
    for (Thread t : roots) {
      t.join();
    }
    assertNull(problem.get(), () -> String.valueOf(problem.get()));
    for (int r = 0; r < 2; r++) {
      for (int i = 0; i < n; i++) {
        assertEquals(20L * (i + r), results[r][i]);
      }
    }
  }

  @Test
  void sixteenOutsideRootsWithOneSlowItem() throws Exception {
    int items = 64;
    AtomicIntegerArray runs = new AtomicIntegerArray(16 * items);
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> problem = new AtomicReference<>();
    List<Thread> roots = new ArrayList<>();
    for (int r = 0; r < 16; r++) {
      int root = r;
      roots.add(new Thread(() -> {
        try {
          start.await();
          pool.forRange(0, items, Split.perItem(), i -> {
            if (root == 7 && i == 13) {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            runs.incrementAndGet(root * items + i);
          });
        } catch (Throwable e) {
          problem.compareAndSet(null, e);
        }
      }));
    }
    roots.forEach(Thread::start);
    start.countDown();
    for (Thread t : roots) {
      t.join();
    }
    assertNull(problem.get(), () -> String.valueOf(problem.get()));
    for (int i = 0; i < runs.length(); i++) {
      assertEquals(1, runs.get(i), "item " + i);
    }
  }

  @Test
  void aThousandSpawnPairsWithTinySleeps() {
    long total = 0;
    for (int i = 0; i < 1_000; i++) {
      int k = i;
      SpawnedTask<Integer> a = pool.spawn(() -> {
        LockSupport.parkNanos(1_000);
        return k;
      });
      SpawnedTask<Integer> b = pool.spawn(() -> {
        LockSupport.parkNanos(1_000);
        return 2 * k;
      });
      total += b.join() + a.join();
    }
    assertEquals(3L * 999 * 1_000 / 2, total);
  }

  @Test
  void theFirstFailureIsTheCauseLaterOnesAreSuppressedAndNoPartRunsAfterTheThrow() {
    AtomicInteger running = new AtomicInteger();
    CompletionException e = assertThrows(CompletionException.class,
        () -> pool.forRange(0, 64, Split.perItem(), i -> {
          running.incrementAndGet();
          try {
            LockSupport.parkNanos(100_000);
            throw new IllegalStateException("part " + i);
          } finally {
            running.decrementAndGet();
          }
        }));
    assertEquals(0, running.get(), "the call returned while a part was still running");
    assertTrue(e.getCause() instanceof IllegalStateException);
    for (Throwable s : e.getSuppressed()) {
      assertTrue(s instanceof IllegalStateException);
      assertTrue(s != e.getCause());
    }
    assertTrue(e.getSuppressed().length <= 16);
    // The workers survived: every one of them still takes work.
    AtomicIntegerArray seen = new AtomicIntegerArray(1_000);
    pool.forRange(0, 1_000, Split.perItem(), seen::incrementAndGet);
    for (int i = 0; i < 1_000; i++) {
      assertEquals(1, seen.get(i));
    }
  }

  @Test
  void afterAThrowTheUnitsNobodyClaimedYetAreSkipped() throws Exception {
    try (ZeroPool one = ZeroPool.create(1)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocking = new CountDownLatch(1);
      one.execute(() -> {
        blocking.countDown();
        awaitUninterruptibly(release);
      });
      try {
        Waits.open(blocking, "the only worker is blocked");
        AtomicInteger ran = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("first unit");
        CompletionException e = assertThrows(CompletionException.class,
            () -> one.forRange(0, 1_000, Split.perItem(), i -> { // the caller runs every unit
              ran.incrementAndGet();
              throw boom;
            }));
        assertSame(boom, e.getCause());
        assertEquals(1, ran.get(), "units ran after the first one threw");
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void failuresOfPartsThatRanTogetherAreAllReported() {
    // Four parts on four threads (three workers and the caller) fail together: one is the cause, the
    // other three are suppressed in it.
    CyclicBarrier together = new CyclicBarrier(4);
    Runnable[] parts = new Runnable[4];
    for (int k = 0; k < parts.length; k++) {
      int part = k;
      parts[k] = () -> {
        try {
          together.await(Waits.SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError("the four parts never ran together", e);
        }
        throw new IllegalStateException("part " + part);
      };
    }
    CompletionException e = assertThrows(CompletionException.class, () -> pool.joinAll(parts));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(3, e.getSuppressed().length, Arrays.toString(e.getSuppressed()));
    for (Throwable suppressed : e.getSuppressed()) {
      assertInstanceOf(IllegalStateException.class, suppressed);
    }
    // The same exception thrown by every part is the cause once, not also suppressed in itself.
    IllegalStateException shared = new IllegalStateException("shared");
    CyclicBarrier again = new CyclicBarrier(4);
    for (int k = 0; k < parts.length; k++) {
      parts[k] = () -> {
        try {
          again.await(Waits.SECONDS, TimeUnit.SECONDS);
        } catch (Exception x) {
          throw new AssertionError("the four parts never ran together", x);
        }
        throw shared;
      };
    }
    CompletionException same = assertThrows(CompletionException.class, () -> pool.joinAll(parts));
    assertSame(shared, same.getCause());
    assertEquals(0, same.getSuppressed().length, Arrays.toString(same.getSuppressed()));
  }

  @Test
  void joinFailuresCarryTheCauseAndNestedFailuresAreNotWrappedTwice() {
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    CompletionException e = assertThrows(CompletionException.class, () -> pool.join(() -> { }, () -> {
      throw boom;
    }));
    assertSame(boom, e.getCause());
    CompletionException nested = assertThrows(CompletionException.class,
        () -> pool.join(() -> pool.join(() -> { throw boom; }, () -> { }), () -> { }));
    assertSame(boom, nested.getCause());
    ExecutionException viaGet = assertThrows(ExecutionException.class,
        () -> pool.spawn(() -> { throw boom; }).get());
    assertSame(boom, viaGet.getCause());
    assertSame(boom, assertThrows(CompletionException.class,
        () -> pool.spawn(() -> { throw boom; }).join()).getCause());
  }

  @Test
  void searchStopsClaimingOnceFound() {
    AtomicInteger tested = new AtomicInteger();
    int n = 10_000_000;
    assertTrue(pool.anyMatch(0, n, Split.per(64), i -> {
      tested.incrementAndGet();
      return i == 100;
    }));
    assertTrue(tested.get() < n / 10, "tested " + tested.get() + " of " + n);
    assertEquals(100, pool.findAny(0, 1_000, Split.perItem(), i -> i == 100));
    assertEquals(-1, pool.findAny(0, 1_000, i -> false));
    assertFalse(pool.anyMatch(-50, 50, i -> i == 50));
    assertTrue(pool.anyMatch(-50, 50, i -> i == -1));
  }

  @Test
  void spawnedJoinRunsAnUnstartedTaskOnTheCaller() throws Exception {
    try (ZeroPool one = ZeroPool.create(1)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocking = new CountDownLatch(1);
      one.execute(() -> {
        blocking.countDown();
        awaitUninterruptibly(release);
      });
      try {
        Waits.open(blocking, "the only worker is blocked");
        SpawnedTask<Thread> task = one.spawn(Thread::currentThread);
        assertFalse(task.isDone());
        assertSame(Thread.currentThread(), task.join());
        assertTrue(task.isDone());
        assertFalse(task.cancel(false));
        SpawnedTask<Thread> viaGet = one.spawn(Thread::currentThread);
        assertSame(Thread.currentThread(), viaGet.get(), "an untimed get runs it on the caller too");
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void cancellingAnUnstartedSpawnedTaskMeansItNeverRuns() throws Exception {
    try (ZeroPool one = ZeroPool.create(1)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocking = new CountDownLatch(1);
      AtomicBoolean ran = new AtomicBoolean();
      SpawnedTask<String> later;
      one.execute(() -> {
        blocking.countDown();
        awaitUninterruptibly(release);
      });
      try {
        Waits.open(blocking, "the only worker is blocked");
        SpawnedTask<String> cancelled = one.spawn(() -> {
          ran.set(true);
          return "ran";
        });
        later = one.spawn(() -> "later");
        assertTrue(cancelled.cancel(true));
        assertFalse(cancelled.cancel(true));
        assertTrue(cancelled.isCancelled() && cancelled.isDone());
        assertEquals("SpawnedTask[Cancelled]", cancelled.toString());
        assertThrows(CancellationException.class, cancelled::join);
        assertThrows(CancellationException.class, cancelled::get);
        assertTrue(cancelled.toCompletableFuture().isCancelled());
      } finally {
        release.countDown();
      }
      // Spawned tasks start in spawn order: once `later` ran on the worker, the cancelled one's slot was passed.
      assertEquals("later", later.get(Waits.SECONDS, TimeUnit.SECONDS));
      assertFalse(ran.get());
    }
  }

  @Test
  void cancellingAStartedSpawnedTaskChangesNothing() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SpawnedTask<Integer> task = pool.spawn(() -> {
      started.countDown();
      awaitUninterruptibly(release);
      return 42;
    });
    try {
      Waits.open(started, "the task started");
      assertFalse(task.cancel(true));
      assertFalse(task.isCancelled());
      assertEquals("SpawnedTask[Running]", task.toString());
      assertThrows(TimeoutException.class, () -> task.get(1, TimeUnit.MILLISECONDS));
    } finally {
      release.countDown();
    }
    assertEquals(42, task.get());
    assertEquals(42, task.toCompletableFuture().join());
    assertEquals("SpawnedTask[Completed]", task.toString());
  }

  @Test
  void spawnedTasksRunBehindForegroundWork() throws Exception {
    try (ZeroPool one = ZeroPool.create(1)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocking = new CountDownLatch(1);
      List<String> order = new ArrayList<>();
      one.execute(() -> {
        blocking.countDown();
        awaitUninterruptibly(release);
      });
      SpawnedTask<Boolean> first;
      SpawnedTask<Boolean> second;
      try {
        Waits.open(blocking, "the only worker is blocked");
        first = one.spawn(() -> order.add("spawn 1"));
        second = one.spawn(() -> order.add("spawn 2"));
        one.execute(() -> order.add("foreground")); // the one worker is the only writer of `order`
      } finally {
        release.countDown();
      }
      second.get(Waits.SECONDS, TimeUnit.SECONDS); // timed: never runs the task on this thread
      first.get(Waits.SECONDS, TimeUnit.SECONDS);
      assertEquals(List.of("foreground", "spawn 1", "spawn 2"), order);
    }
  }

  @Test
  void timedAndInterruptedWaitsOnASpawnedTaskNeverRunItAndEndWhenTheySay() throws Exception {
    try (ZeroPool one = ZeroPool.create(1)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocking = new CountDownLatch(1);
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      one.execute(() -> {
        blocking.countDown();
        awaitUninterruptibly(release);
      });
      SpawnedTask<Integer> queued;
      CompletableFuture<Integer> registeredBefore;
      try {
        Waits.open(blocking, "the only worker is blocked");
        queued = one.spawn(() -> {
          ranOn.set(Thread.currentThread());
          return 42;
        });
        registeredBefore = queued.toCompletableFuture(); // completed by the thread that ends the task
        assertEquals("SpawnedTask[Not started]", queued.toString());
        assertThrows(TimeoutException.class, () -> queued.get(0, TimeUnit.SECONDS));
        assertThrows(TimeoutException.class, () -> queued.get(-1, TimeUnit.SECONDS));
        assertThrows(TimeoutException.class, () -> queued.get(1, TimeUnit.MILLISECONDS));
        // An interrupt ends a timed wait at once, long before its timeout; the waiter parks meanwhile.
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
          try {
            queued.get(Waits.SECONDS * 6, TimeUnit.SECONDS);
          } catch (Throwable t) {
            outcome.set(t);
          }
        });
        waiter.setDaemon(true);
        waiter.start();
        Waits.state(waiter, Thread.State.TIMED_WAITING);
        waiter.interrupt();
        Waits.ended(waiter);
        assertInstanceOf(InterruptedException.class, outcome.get());
        // An interrupt before get() is reported at once: the caller does not run the task instead.
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, queued::get);
        assertNull(ranOn.get());
      } finally {
        release.countDown();
      }
      assertEquals(42, queued.get(Waits.SECONDS, TimeUnit.SECONDS));
      assertEquals(42, registeredBefore.get(Waits.SECONDS, TimeUnit.SECONDS));
      assertTrue(ranOn.get().getName().contains("worker"), ranOn.get().getName());
    }
  }

  @Test
  void everyThreadWaitingForASpawnedTaskIsWokenWhenItEnds() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SpawnedTask<Integer> task = pool.spawn(() -> {
      started.countDown();
      awaitUninterruptibly(release);
      return 42;
    });
    List<Thread> waiters = new ArrayList<>();
    AtomicInteger got = new AtomicInteger();
    try {
      Waits.open(started, "the task started");
      for (int w = 0; w < 3; w++) { // the first is listed bare, the others in nodes
        Thread waiter = new Thread(() -> {
          try {
            got.addAndGet(task.get()); // untimed: parks until the task ends (nothing to help)
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        waiter.setDaemon(true);
        waiters.add(waiter);
        waiter.start();
        Waits.state(waiter, Thread.State.WAITING, Thread.State.TIMED_WAITING);
      }
    } finally {
      release.countDown();
    }
    for (Thread waiter : waiters) {
      Waits.ended(waiter);
    }
    assertEquals(3 * 42, got.get());
  }

  @Test
  void aSpawnedTasksCompletableFutureCarriesItsFailureOrItsValue() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    SpawnedTask<Object> failing = pool.spawn(() -> {
      throw boom;
    });
    CompletableFuture<Object> failed = failing.toCompletableFuture();
    ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(Waits.SECONDS, TimeUnit.SECONDS));
    assertSame(boom, e.getCause());
    assertEquals("SpawnedTask[Failed: java.lang.IllegalStateException: boom]", failing.toString());
    assertEquals(7, pool.spawn(() -> 7).toCompletableFuture().get(Waits.SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void badInputFailsAtTheCallSite() {
    assertEquals("a", assertThrows(NullPointerException.class, () -> pool.join(null, () -> { })).getMessage());
    assertEquals("b", assertThrows(NullPointerException.class, () -> pool.join(() -> { }, null)).getMessage());
    assertEquals("combine", assertThrows(NullPointerException.class,
        () -> pool.join(() -> 1, () -> 2, null)).getMessage());
    assertEquals("tasks", assertThrows(NullPointerException.class, () -> pool.joinAll((Runnable[]) null)).getMessage());
    assertEquals("tasks[1]", assertThrows(NullPointerException.class,
        () -> pool.joinAll(() -> { }, null)).getMessage());
    assertEquals("task", assertThrows(NullPointerException.class, () -> pool.spawn(null)).getMessage());
    assertEquals("body", assertThrows(NullPointerException.class, () -> pool.forRange(0, 1, null)).getMessage());
    assertEquals("split", assertThrows(NullPointerException.class,
        () -> pool.forRange(0, 1, null, i -> { })).getMessage());
    assertThrows(NullPointerException.class, () -> pool.forEach((Object[]) null, x -> { }));
    assertThrows(NullPointerException.class, () -> pool.forEach(List.of(), null));
    assertThrows(NullPointerException.class, () -> pool.sumLong(0, 1, null));
    assertThrows(NullPointerException.class, () -> pool.reduce(0, 1, 0, i -> i, null));
    assertThrows(NullPointerException.class, () -> pool.anyMatch(0, 1, null));
    IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class,
        () -> pool.forRange(5, 3, i -> { }));
    assertTrue(backwards.getMessage().contains("from = 5"), backwards.getMessage());
    assertThrows(IllegalArgumentException.class, () -> pool.sumLong(1, 0, i -> i));
    assertThrows(IllegalArgumentException.class, () -> pool.forRange(Integer.MIN_VALUE, Integer.MAX_VALUE, i -> { }));
    assertThrows(IllegalArgumentException.class, () -> pool.findAny(-1, 3, i -> true));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Split.per(0)).getMessage().contains("0"));
    assertThrows(IllegalArgumentException.class, () -> Split.by(-2));
  }

  @Test
  void everyCallIsRefusedAfterShutdownBeforeAnyPartRuns() {
    pool.shutdown();
    AtomicBoolean ran = new AtomicBoolean();
    Runnable part = () -> ran.set(true);
    assertThrows(RejectedExecutionException.class, () -> pool.join(part, part));
    assertThrows(RejectedExecutionException.class, () -> pool.join(() -> ran.getAndSet(true), () -> 1, (x, y) -> x));
    assertThrows(RejectedExecutionException.class, () -> pool.joinAll(part));
    assertThrows(RejectedExecutionException.class, () -> pool.spawn(() -> ran.getAndSet(true)));
    assertThrows(RejectedExecutionException.class, () -> pool.forRange(0, 10, i -> ran.set(true)));
    assertThrows(RejectedExecutionException.class, () -> pool.forRange(0, 0, i -> ran.set(true)));
    assertThrows(RejectedExecutionException.class, () -> pool.forEach(new Integer[] {1}, i -> ran.set(true)));
    assertThrows(RejectedExecutionException.class, () -> pool.sumLong(0, 10, i -> ran.getAndSet(true) ? 1 : 0));
    assertThrows(RejectedExecutionException.class, () -> pool.anyMatch(0, 10, i -> ran.getAndSet(true)));
    assertFalse(ran.get());
  }

  @Test
  void anInterruptWhileWaitingIsKeptAndTheCallStillCompletes() {
    CountDownLatch workerStarted = new CountDownLatch(1);
    AtomicBoolean secondDone = new AtomicBoolean();
    Thread caller = Thread.currentThread();
    pool.join(() -> awaitUninterruptibly(workerStarted), () -> {
      workerStarted.countDown(); // so this part runs on a worker: the caller is stuck in the first
      caller.interrupt();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      secondDone.set(true);
    });
    assertTrue(Thread.interrupted(), "the interrupt was kept");
    assertTrue(secondDone.get(), "join returned before its parts finished");
  }

  static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
