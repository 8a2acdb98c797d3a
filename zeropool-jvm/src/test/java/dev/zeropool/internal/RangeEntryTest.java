package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A range entry claimed, run and counted by hand on the test thread, one step at a time: the guided
 * and fixed chunk sizes, the end of the range, the count of finished units, the skip of the rest, the
 * recorded failure with its suppressed ones, the current entry while a chunk runs, and the callbacks
 * of the completion. No pool is involved (the guided size then divides the rest among two parties),
 * except where a case needs one (the division by the pool's parties, the stack of published children).
 * The waits (a parked waiter, a timed wait) run on a thread of the test with a bounded join, so an
 * entry that never completes fails an assertion here instead of hanging.
 *
 * <p>Named after the class, so that PIT runs these fast cases first on every mutant of {@link RangeEntry}.
 */
class RangeEntryTest {

  /** Records every chunk it runs and runs {@code body} for each unit (which may throw). */
  static final class Recording extends RangeEntry {
    final List<int[]> chunks = new ArrayList<>();
    final int[] runs;
    IntConsumer body = i -> { };

    Recording(WorkerPool pool, int units, int fixedChunk, RangeEntry parent) {
      super(pool, units, fixedChunk, false, parent);
      this.runs = new int[units];
    }

    Recording(int units, int fixedChunk) {
      this(null, units, fixedChunk, null);
    }

    @Override
    protected void runUnits(int from, int to) {
      chunks.add(new int[] {from, to});
      for (int i = from; i < to; i++) {
        runs[i]++;
        body.accept(i);
      }
    }
  }

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  private WorkerPool pool;

  @AfterEach
  void stopPool() {
    if (pool != null) {
      pool.shutdownNow("test over", false);
    }
  }

  private WorkerPool pool(int workers) {
    pool = new WorkerPool("entry-test", workers, r -> {
      Thread t = new Thread(r, "entry-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, null, null, 0L, 0);
    return pool;
  }

  /** Starts a thread of the test; each case checks that its threads ended, within the bound. */
  private static Thread start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true); // a thread left waiting by a broken entry must not keep the JVM alive
    t.start();
    return t;
  }

  /** Waits until {@code t} ended, at most the bound, and fails with {@code what} if it did not. */
  private static void ended(Thread t, String what) throws InterruptedException {
    t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(t.isAlive(), what + " (" + t.getName() + " is " + t.getState() + ")");
  }

  /** Waits until {@code t} is parked on {@code entry}, at most the bound. */
  private static void parkedOn(Thread t, RangeEntry entry) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!(LockSupport.getBlocker(t) == entry
        && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING))) {
      assertTrue(t.isAlive(), t.getName() + " ended before it parked");
      assertTrue(System.nanoTime() - deadline < 0, t.getName() + " never parked on the entry (" + t.getState() + ")");
      Thread.sleep(1);
    }
  }

  /** A private field of {@link RangeEntry}, read the way a heap dump would show it. */
  private static Object field(RangeEntry entry, String name) {
    try {
      Field f = RangeEntry.class.getDeclaredField(name);
      f.setAccessible(true);
      return f.get(entry);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static int from(long claimed) {
    return (int) (claimed >>> 32);
  }

  static int to(long claimed) {
    return (int) claimed;
  }

  /** Claims and runs every chunk left, as the caller's last loop does. */
  static void runAll(RangeEntry entry) {
    int claims = 0;
    for (long claimed; (claimed = entry.claim()) != RangeEntry.NONE; ) {
      assertTrue(++claims <= entry.units, "every claim takes at least one unit");
      entry.runChunk(claimed);
    }
  }

  /** Claims guided chunks until none is left and checks each against {@code rest / divisor}. */
  private static void checkGuidedChunks(RangeEntry entry, int units, int divisor) {
    int next = 0;
    int chunks = 0;
    while (next < units) {
      assertFalse(entry.isExhausted(), "units from " + next + " are unclaimed");
      long claimed = entry.claim();
      assertTrue(claimed != RangeEntry.NONE, "units from " + next + " are still unclaimed");
      assertEquals(next, from(claimed), "chunks follow each other");
      int size = Math.max(1, (units - next) / divisor);
      assertEquals(Math.min(units, next + size), to(claimed), "chunk " + chunks + " from " + next);
      next = to(claimed);
      chunks++;
    }
    assertTrue(entry.isExhausted());
    assertEquals(RangeEntry.NONE, entry.claim(), "an exhausted entry hands out nothing");
    assertEquals(RangeEntry.NONE, entry.claim(5), "nor a chunk of a given size");
    assertTrue(chunks > 10, "single units at the end: " + chunks + " chunks");
  }

  @Test
  void guidedChunksAreAQuarterOfTheRestWithTwoPartiesDownToSingleUnits() {
    Recording entry = new Recording(100, 0);
    checkGuidedChunks(entry, 100, 4);
    assertFalse(entry.isDone(), "claimed is not finished");
  }

  @Test
  void guidedChunksDivideTheRestAmongThePoolsWorkersAndTheCaller() {
    pool = new WorkerPool("claim-test", 3, r -> {
      Thread t = new Thread(r, "claim-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, null, null, 0L, 0);
    // three workers and the caller: the rest divided by twice four parties
    checkGuidedChunks(new Recording(pool, 200, 0, null), 200, 8);
  }

  @Test
  void fixedChunksHaveTheAskedSizeAndTheLastIsCutAtTheEnd() {
    Recording entry = new Recording(10, 4);
    long first = entry.claim();
    assertEquals(0, from(first));
    assertEquals(4, to(first));
    long second = entry.claim();
    assertEquals(4, from(second));
    assertEquals(8, to(second));
    long last = entry.claim();
    assertEquals(8, from(last));
    assertEquals(10, to(last));
    assertTrue(entry.isExhausted());
    assertEquals(RangeEntry.NONE, entry.claim());
  }

  @Test
  void aClaimOfAGivenSizeIsCutAtTheEndAndFailsOnceNothingIsLeft() {
    Recording entry = new Recording(5, 0);
    long first = entry.claim(3);
    assertEquals(0, from(first));
    assertEquals(3, to(first));
    assertFalse(entry.isExhausted());
    long second = entry.claim(3);
    assertEquals(3, from(second));
    assertEquals(5, to(second), "cut at the end of the range");
    assertTrue(entry.isExhausted());
    assertEquals(RangeEntry.NONE, entry.claim(1));
    assertEquals(RangeEntry.NONE, entry.claim());
  }

  @Test
  void theEntryIsDoneExactlyWhenTheLastClaimedUnitFinishes() {
    Recording entry = new Recording(5, 0);
    AtomicInteger called = new AtomicInteger();
    entry.whenDone(called::incrementAndGet);
    entry.claim(5);
    entry.finish(2);
    assertFalse(entry.isDone());
    assertEquals("Recording[3 of 5 units unfinished]", entry.toString());
    assertEquals(0, called.get(), "not done yet");
    entry.finish(3);
    assertTrue(entry.isDone());
    assertEquals(1, called.get(), "the callback runs when the last unit finishes");
    entry.whenDone(called::incrementAndGet);
    assertEquals(2, called.get(), "a callback on a done entry runs at once");
    assertNull(entry.failure());
    entry.throwIfFailed();
  }

  @Test
  void everyUnitRunsOnceInChunkOrderAndTheLastChunkCompletesTheEntry() {
    Recording entry = new Recording(9, 2);
    List<String> callbacks = new ArrayList<>();
    entry.whenDone(() -> callbacks.add("first"));
    entry.whenDone(() -> callbacks.add("second"));
    runAll(entry);
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, entry.runs);
    assertEquals(5, entry.chunks.size());
    assertArrayEquals(new int[] {8, 9}, entry.chunks.get(4));
    assertTrue(entry.isDone());
    assertEquals("Recording[done]", entry.toString());
    assertEquals(2, callbacks.size(), "each callback once: " + callbacks);
    assertTrue(callbacks.contains("first") && callbacks.contains("second"), callbacks.toString());
  }

  @Test
  void skipRestCountsEveryUnclaimedUnitAsFinishedWithoutRunningIt() {
    Recording entry = new Recording(10, 2);
    long claimed = entry.claim();
    entry.skipRest();
    assertTrue(entry.isExhausted());
    assertEquals(RangeEntry.NONE, entry.claim());
    assertEquals("Recording[2 of 10 units unfinished]", entry.toString(), "only the claimed chunk is left");
    entry.skipRest();
    assertEquals("Recording[2 of 10 units unfinished]", entry.toString(), "a second skip finds nothing to skip");
    entry.runChunk(claimed);
    assertTrue(entry.isDone());
    assertArrayEquals(new int[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, entry.runs);
    entry.skipRest();
    assertTrue(entry.isDone());
    assertEquals("Recording[done]", entry.toString());
  }

  @Test
  void aThrowingUnitEndsItsChunkAndEveryUnclaimedUnitIsSkipped() {
    Recording entry = new Recording(9, 3);
    IllegalStateException boom = new IllegalStateException("unit 1");
    entry.body = i -> {
      if (i == 1) {
        throw boom;
      }
    };
    long first = entry.claim();
    long second = entry.claim();
    entry.runChunk(first);
    assertTrue(entry.isExhausted(), "the rest after the failure was claimed by the skip");
    assertEquals("Recording[3 of 9 units unfinished]", entry.toString(), "the second chunk was claimed before");
    assertNull(RangeEntry.current(), "the current entry is restored after a throwing chunk");
    entry.runChunk(second);
    assertTrue(entry.isDone());
    assertArrayEquals(new int[] {1, 1, 0, 1, 1, 1, 0, 0, 0}, entry.runs, "unit 2 skipped, 6 to 8 never claimed");
    CompletionException failure = entry.failure();
    assertSame(boom, failure.getCause());
    assertSame(failure, assertThrows(CompletionException.class, entry::throwIfFailed));
  }

  @Test
  void theFirstFailureIsTheCauseAndTheNextSixteenAreSuppressed() {
    int units = 20;
    Recording entry = new Recording(units, 1);
    entry.body = i -> {
      throw new IllegalStateException("unit " + i);
    };
    long[] claimed = new long[units];
    for (int i = 0; i < units; i++) {
      claimed[i] = entry.claim(); // every chunk claimed before any fails, as by 20 threads at once
    }
    for (long c : claimed) {
      entry.runChunk(c);
    }
    assertTrue(entry.isDone());
    CompletionException failure = entry.failure();
    assertEquals("unit 0", failure.getCause().getMessage());
    Throwable[] suppressed = failure.getSuppressed();
    assertEquals(RangeEntry.MAX_SUPPRESSED, suppressed.length, "at most 16 suppressed");
    for (int i = 0; i < suppressed.length; i++) {
      assertEquals("unit " + (i + 1), suppressed[i].getMessage());
    }
  }

  @Test
  void aNestedJoinsFailureIsKeptAsItIsAndTheSameFailureTwiceIsNotSuppressedInItself() {
    IllegalStateException cause = new IllegalStateException("inner unit");
    CompletionException nested = new CompletionException(cause);
    Recording entry = new Recording(4, 1);
    entry.body = i -> {
      if (i < 2) {
        throw nested; // a nested join's failure, rethrown by two chunks
      }
      throw cause; // and its cause, rethrown by two more
    };
    long[] claimed = {entry.claim(), entry.claim(), entry.claim(), entry.claim()};
    for (long c : claimed) {
      entry.runChunk(c);
    }
    assertTrue(entry.isDone());
    assertSame(nested, entry.failure(), "one level of wrapping, not two");
    assertEquals(0, nested.getSuppressed().length, "neither the failure nor its cause is suppressed in itself");
  }

  @Test
  void aCompletionExceptionWithoutACauseIsWrappedLikeAnyOtherFailure() {
    CompletionException bare = new CompletionException("no cause", null);
    Recording entry = new Recording(1, 1);
    entry.body = i -> {
      throw bare;
    };
    entry.runChunk(entry.claim());
    assertSame(bare, entry.failure().getCause());
  }

  @Test
  void aChunkRunsWithItsEntryAsTheCurrentOneAndTheOuterOneComesBackAfterIt() {
    Recording inner = new Recording(2, 1);
    Recording outer = new Recording(2, 1);
    List<RangeEntry> seen = new ArrayList<>();
    inner.body = i -> seen.add(RangeEntry.current());
    outer.body = i -> {
      seen.add(RangeEntry.current());
      inner.runChunk(inner.claim());
      seen.add(RangeEntry.current());
    };
    assertNull(RangeEntry.current());
    outer.runChunk(outer.claim());
    assertNull(RangeEntry.current());
    assertEquals(List.of(outer, inner, outer), seen);
  }

  // ---- what stale claims and the stack of children leave behind ----

  @Test
  void aStaleClaimOrSkipLeavesTheCursorOfAnExhaustedEntryWhereItIs() {
    Recording exact = new Recording(8, 4); // the last chunk ends exactly at the end: the cursor is 8
    exact.runChunk(exact.claim());
    exact.runChunk(exact.claim());
    Recording over = new Recording(10, 4); // the last chunk is cut at the end: the cursor is 12
    runAll(over);
    for (Recording entry : List.of(exact, over)) {
      Object cursor = field(entry, "cursor");
      assertEquals(entry == exact ? 8L : 12L, cursor);
      assertEquals(RangeEntry.NONE, entry.claim());
      assertEquals(RangeEntry.NONE, entry.claim(3));
      entry.skipRest();
      // the class comment's overflow bound: stale claims (queue slots of a long finished entry) add nothing
      assertEquals(cursor, field(entry, "cursor"), "a claim or skip on " + entry + " moved its exhausted cursor");
      assertTrue(entry.isDone());
    }
  }

  @Test
  void aPublishedChildDropsTheFinishedChildrenOnTopOfItsParentsStack() throws Exception {
    pool(1).shutdown(); // the slots are refused: no worker runs the children, the test does
    Recording parent = new Recording(pool, 1, 1, null);
    Recording finished = new Recording(pool, 1, 1, parent);
    Recording live = new Recording(pool, 2, 1, parent);
    Recording newer = new Recording(pool, 1, 1, parent);
    AtomicBoolean accepted = new AtomicBoolean(true);
    AtomicReference<Object> belowLive = new AtomicReference<>(parent);
    Thread publisher = start("publisher", () -> { // the pushes are CAS loops: bounded by the join below
      accepted.set(finished.publish());
      runAll(finished);
      live.publish();
      belowLive.set(field(live, "nextSibling"));
      newer.publish();
    });
    ended(publisher, "the children were never pushed");
    assertFalse(accepted.get(), "the pool is shut down");
    assertTrue(finished.isDone());
    assertNull(belowLive.get(), "the finished child was dropped from the stack");
    assertSame(newer, field(parent, "children"));
    assertSame(live, field(newer, "nextSibling"), "a live child stays below a newer one");
    runAll(live);
    runAll(newer);
  }

  // ---- waiting, with every wait on a thread of the test and bounded ----

  @Test
  void helpAndAwaitRunsTheUnclaimedUnitsAndReturnsOnceTheUnitRunningElsewhereFinishes() throws Exception {
    Recording entry = new Recording(3, 1);
    long elsewhere = entry.claim(); // unit 0 "runs on another thread": the test finishes it below
    List<Thread> ranOn = new ArrayList<>();
    entry.body = i -> ranOn.add(Thread.currentThread());
    Thread waiter = start("helping-waiter", entry::helpAndAwait);
    try {
      parkedOn(waiter, entry);
      assertEquals(List.of(waiter, waiter), ranOn, "the waiter ran units 1 and 2 itself before it parked");
    } finally {
      entry.runChunk(elsewhere);
    }
    ended(waiter, "the last unit did not wake the waiter");
    assertTrue(entry.isDone());
    assertArrayEquals(new int[] {1, 1, 1}, entry.runs);
  }

  @Test
  void theLastUnitWakesEveryParkedWaiterAndRunsEveryCallbackOnce() throws Exception {
    Recording entry = new Recording(1, 1);
    long unit = entry.claim();
    AtomicInteger called = new AtomicInteger();
    entry.whenDone(called::incrementAndGet);
    Thread first = start("first-waiter", entry::helpAndAwait);
    Thread second = start("second-waiter", entry::helpAndAwait);
    try {
      parkedOn(first, entry);
      parkedOn(second, entry);
      entry.whenDone(called::incrementAndGet);
      assertEquals(0, called.get(), "not done yet");
    } finally {
      entry.runChunk(unit);
    }
    ended(first, "the last unit did not wake the first waiter");
    ended(second, "the last unit did not wake the second waiter");
    assertEquals(2, called.get(), "each callback once");
  }

  @Test
  void aTimedWaitGivesUpAtItsTimeoutAndIsTrueOnceTheLastUnitFinishes() throws Exception {
    Recording entry = new Recording(1, 1);
    long unit = entry.claim();
    AtomicReference<Object> timedOut = new AtomicReference<>();
    Thread early = start("timed-out-waiter", () -> {
      try {
        timedOut.set(entry.awaitNanos(TimeUnit.MILLISECONDS.toNanos(1)));
      } catch (Throwable t) {
        timedOut.set(t);
      }
    });
    ended(early, "a wait of 1 ms did not give up");
    assertEquals(Boolean.FALSE, timedOut.get());
    AtomicReference<Object> woken = new AtomicReference<>();
    Thread late = start("woken-waiter", () -> {
      try {
        woken.set(entry.awaitNanos(TimeUnit.MINUTES.toNanos(5)));
      } catch (Throwable t) {
        woken.set(t);
      }
    });
    try {
      parkedOn(late, entry);
    } finally {
      entry.runChunk(unit);
    }
    ended(late, "the last unit did not wake the timed waiter");
    assertEquals(Boolean.TRUE, woken.get());
  }

  // ---- what waiting allocates ----

  @Test
  void aLoneTimedWaiterIsListedWithoutANodeAndAZeroTimeoutListsNothing() throws Exception {
    Allocations counter = Allocations.ofThisThread();
    int rounds = 2_000;
    Recording[] fresh = new Recording[rounds];
    for (int i = 0; i < rounds; i++) {
      fresh[i] = new Recording(1, 1);
    }
    Recording polled = new Recording(1, 1);
    AtomicReference<Object> gaveUp = new AtomicReference<>();
    Thread probe = start("probe", () -> { // a wait that never gives up fails here, not on the test thread
      try {
        gaveUp.set(fresh[0].awaitNanos(1));
      } catch (InterruptedException e) {
        gaveUp.set(e);
      }
    });
    ended(probe, "a timed wait of 1 ns did not give up");
    assertEquals(Boolean.FALSE, gaveUp.get());
    fresh[0] = new Recording(1, 1);
    long before = counter.bytes();
    for (Recording entry : fresh) {
      assertFalse(entry.awaitNanos(1)); // lists the thread bare and gives up: it stays listed
    }
    long lone = counter.bytes() - before;
    before = counter.bytes();
    for (int i = 0; i < rounds; i++) {
      assertFalse(polled.awaitNanos(0)); // a poll: nothing is listed, so nothing piles up
    }
    long polls = counter.bytes() - before;
    // a node is 16 to 24 bytes: one per round would be 32 kB or more
    assertTrue(lone < 8L * rounds, rounds + " lone timed waiters allocated " + lone + " bytes");
    assertTrue(polls < 8L * rounds, rounds + " zero-timeout polls allocated " + polls + " bytes");
    assertSame(Thread.currentThread(), field(fresh[0], "waiters"), "a lone waiter is the list itself");
    assertNull(field(polled, "waiters"), "no poll listed the thread");
  }
}
