package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Submission edges: null arguments named, lists without random access, empty batches after shutdown. */
class SubmissionChecksTest {

  /** A parameter object that counts how often it was run. */
  static final class Counted {
    final AtomicInteger runs = new AtomicInteger();
  }

  static final TaskFn<Counted> COUNT = c -> c.runs.incrementAndGet();

  private static void assertNpeNaming(String name, Executable call) {
    assertEquals(name, assertThrows(NullPointerException.class, call).getMessage());
  }

  @Test
  void executorServiceCallsNameTheNullArgument() throws Exception {
    try (ZeroPool pool = ZeroPool.create(1)) {
      Callable<String> ok = () -> "ok";
      List<Callable<String>> withNull = Arrays.asList(ok, null);
      assertNpeNaming("task", () -> pool.submit((Runnable) null));
      assertNpeNaming("task", () -> pool.submit((Callable<?>) null));
      assertNpeNaming("task", () -> pool.submit(null, "x"));
      assertNpeNaming("tasks", () -> pool.invokeAll(null));
      assertNpeNaming("tasks", () -> pool.invokeAll(null, 1, TimeUnit.SECONDS));
      assertNpeNaming("tasks[1]", () -> pool.invokeAll(withNull));
      assertNpeNaming("tasks[1]", () -> pool.invokeAll(withNull, 1, TimeUnit.SECONDS));
      assertNpeNaming("unit", () -> pool.invokeAll(List.of(ok), 1, null));
      assertNpeNaming("tasks", () -> pool.invokeAny(null));
      assertNpeNaming("tasks", () -> pool.invokeAny(null, 1, TimeUnit.SECONDS));
      assertNpeNaming("tasks[0]", () -> pool.invokeAny(Collections.singletonList(null)));
      assertNpeNaming("tasks[1]", () -> pool.invokeAny(withNull, 1, TimeUnit.SECONDS));
      assertNpeNaming("unit", () -> pool.invokeAny(List.of(ok), 1, null));

      // A null element is found before anything runs: the good task before it was not submitted.
      AtomicInteger ran = new AtomicInteger();
      List<Callable<Integer>> countsThenNull = Arrays.asList(ran::incrementAndGet, null);
      assertThrows(NullPointerException.class, () -> pool.invokeAll(countsThenNull));
      pool.shutdown();
      assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
      assertEquals(0, ran.get());
    }
  }

  private static <T> List<T> results(List<Future<T>> futures) throws Exception {
    List<T> values = new ArrayList<>();
    for (Future<T> f : futures) {
      values.add(f.get());
    }
    return values;
  }

  @Test
  void theCheckedCallsStillWork() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      assertEquals("r", pool.submit(() -> { }, "r").get(5, TimeUnit.SECONDS));
      assertEquals(42, pool.submit(() -> 42).get(5, TimeUnit.SECONDS));
      List<Callable<Integer>> two = List.of(() -> 1, () -> 2);
      assertEquals(List.of(1, 2), results(pool.invokeAll(two)));
      assertEquals(List.of(1, 2),
          results(pool.invokeAll(two, 5, TimeUnit.SECONDS)));
      assertTrue(List.of(1, 2).contains(pool.invokeAny(two)));
      assertTrue(List.of(1, 2).contains(pool.invokeAny(two, 5, TimeUnit.SECONDS)));
    }
  }

  private static long timeBatchNanos(ZeroPool pool, List<Counted> params) {
    long start = System.nanoTime();
    pool.submitBatch(COUNT, params).join();
    return System.nanoTime() - start;
  }

  @Test
  void aLinkedListBatchIsLinearAndRunsEachElementExactlyOnce() {
    int n = 200_000;
    try (ZeroPool pool = ZeroPool.create(2)) {
      List<Counted> linked = new LinkedList<>();
      List<Counted> array = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        linked.add(new Counted());
        array.add(new Counted());
      }
      long linkedNanos = Long.MAX_VALUE;
      long arrayNanos = Long.MAX_VALUE;
      for (int round = 0; round < 3; round++) { // best of three: the box is shared and noisy
        linkedNanos = Math.min(linkedNanos, timeBatchNanos(pool, linked));
        arrayNanos = Math.min(arrayNanos, timeBatchNanos(pool, array));
      }
      for (Counted c : linked) {
        assertEquals(3, c.runs.get());
      }
      for (Counted c : array) {
        assertEquals(3, c.runs.get());
      }
      // Quadratic get(i) on 200 000 nodes takes minutes; one copy costs about as much as the batch itself.
      assertTrue(linkedNanos < 20 * arrayNanos + TimeUnit.MILLISECONDS.toNanos(50),
          "LinkedList batch " + linkedNanos / 1000 + " us vs ArrayList " + arrayNanos / 1000 + " us");
    }
  }

  @Test
  void aListWithoutRandomAccessIsReadOnceAtSubmission() {
    try (ZeroPool pool = ZeroPool.create(1)) {
      Counted first = new Counted();
      Counted second = new Counted();
      LinkedList<Counted> list = new LinkedList<>(List.of(first, second));
      TaskFuture f = pool.submitBatch(COUNT, list);
      list.clear(); // the batch holds its own copy
      f.join();
      assertEquals(1, first.runs.get());
      assertEquals(1, second.runs.get());
    }
  }

  @Test
  void anEmptyBatchAfterShutdownIsRejectedByEveryOverload() {
    ZeroPool pool = ZeroPool.create(1);
    pool.submitBatch(COUNT, new Counted[0]).join(); // accepted while running
    pool.shutdown();
    TaskBatch empty = TaskBatch.builder().build();
    List<Supplier<TaskFuture>> overloads = List.of(
        () -> pool.submitBatch(COUNT, new Counted[0]),
        () -> pool.submitBatch(COUNT, new Counted[0], TaskOptions.BACKGROUND),
        () -> pool.submitBatch(COUNT, List.of()),
        () -> pool.submitBatch(COUNT, new LinkedList<>()),
        () -> pool.submitBatch(COUNT, new CopyOnWriteArrayList<Counted>(), TaskOptions.DEFAULT),
        () -> pool.submitBatch(empty),
        () -> pool.submitBatch(empty, TaskOptions.BACKGROUND));
    for (Supplier<TaskFuture> submit : overloads) {
      assertThrows(RejectedExecutionException.class, submit::get);
    }
  }

  @Test
  void emptyBatchesStillCheckTheirArgumentsFirst() {
    try (ZeroPool pool = ZeroPool.create(1)) {
      Collection<Counted> none = List.of();
      assertNpeNaming("options", () -> pool.submitBatch(COUNT, new Counted[0], null));
      assertNpeNaming("options", () -> pool.submitBatch(COUNT, List.copyOf(none), null));
      assertTrue(pool.submitBatch(COUNT, List.copyOf(none)).isDone());
    }
  }
}
