package dev.zeropool.internal;

import static dev.zeropool.internal.RangeEntryTest.runAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zeropool.internal.RangeEntryTest.Recording;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A range entry's caller and waiters, step by step. The pool's workers are kept busy in tasks of
 * the test, so the queue slots an entry publishes stay in the queue, where the test counts them, and
 * every unit runs on a thread the test chose: the caller's publishing (fixed chunks at once, guided
 * ones after the probe), a worker's widening to one slot per worker, a waiter's help for the children
 * and grandchildren of its entry (units another thread "is running" are claimed by the test and
 * finished when the test says), the wake-up of a parked waiter by a new child, the interrupt during a
 * wait, timed waits and callbacks.
 */
class RangeEntryScopeTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Thread> started = new ArrayList<>();
  private WorkerPool pool;

  @AfterEach
  void stopPool() throws InterruptedException {
    release.countDown();
    if (pool != null) {
      pool.shutdown(); // the workers run the stale slots left in the queue (each finds nothing to claim)
      if (!pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
        pool.shutdownNow("test over", false);
        fail("the pool did not stop");
      }
    }
    for (Thread t : started) {
      t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(t.isAlive(), t.getName() + " never ended");
    }
  }

  /** A pool of {@code workers} workers, each blocked in a task until the test ends: the queue is the test's. */
  private WorkerPool busyPool(int workers) throws InterruptedException {
    pool = new WorkerPool("scope-test", workers, r -> {
      Thread t = new Thread(r, "scope-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, null, null, 0L, 0);
    for (int i = 0; i < workers; i++) {
      CountDownLatch busy = new CountDownLatch(1);
      pool.execute(() -> { // one at a time, so that no worker claims two of them in one run
        busy.countDown();
        try {
          release.await(); // released in stopPool, which then stops the pool
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(busy.await(WAIT_SECONDS, TimeUnit.SECONDS), "worker " + i + " took a blocking task");
    }
    assertEquals(0, pool.foreground.size());
    return pool;
  }

  private long slots() {
    return pool.foreground.size();
  }

  private Thread start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    started.add(t);
    t.start();
    return t;
  }

  private static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out waiting until " + what);
      }
      Thread.sleep(1);
    }
  }

  /** Waits until {@code t} is parked on {@code entry} with no interrupt pending. */
  private static void parkedOn(Thread t, RangeEntry entry) throws InterruptedException {
    until(() -> LockSupport.getBlocker(t) == entry && t.getState() != Thread.State.RUNNABLE && !t.isInterrupted(),
        t.getName() + " is parked on " + entry + " (it is " + t.getState() + ")");
  }

  /** Busy for at least {@code nanos}: a unit that does measurable work. */
  private static void work(long nanos) {
    long start = System.nanoTime();
    while (System.nanoTime() - start < nanos) {
      Thread.onSpinWait();
    }
  }

  // ---- the caller and the workers' slots ----

  @Test
  void aFixedChunkCallerPublishesOneSlotWhenThereIsMoreThanOneChunk() throws Exception {
    busyPool(2);
    Recording three = new Recording(pool, 3, 1, null);
    three.invoke();
    assertTrue(three.isDone());
    assertArrayEquals(new int[] {1, 1, 1}, three.runs, "the caller ran every unit (the workers are busy)");
    assertEquals(1, slots(), "one slot for the workers");

    Recording oneChunk = new Recording(pool, 2, 2, null);
    oneChunk.invoke();
    assertTrue(oneChunk.isDone());
    assertEquals(1, slots(), "a single chunk is not shared");
  }

  @Test
  void aWorkerWidensToOneSlotPerWorkerWhileUnitsAreLeft() throws Exception {
    busyPool(2);
    Recording entry = new Recording(pool, 4, 1, null);
    AtomicInteger runsTaken = new AtomicInteger();
    entry.body = i -> {
      if (i < 3) {
        runsTaken.incrementAndGet();
        entry.run(); // another worker takes the next slot of the entry while this unit runs
      }
    };
    assertTrue(entry.publish());
    assertEquals(1, slots());
    entry.run();
    assertTrue(entry.isDone());
    assertArrayEquals(new int[] {1, 1, 1, 1}, entry.runs);
    assertEquals(3, runsTaken.get());
    assertEquals(2, slots(), "the first run added one slot; with two slots for two workers, no more");

    entry.run(); // a stale slot: nothing to claim
    assertArrayEquals(new int[] {1, 1, 1, 1}, entry.runs);
    assertEquals(2, slots());
  }

  @Test
  void aWorkerAddsNoSlotWhenItsFirstChunkTookTheLastUnits() throws Exception {
    busyPool(2);
    Recording entry = new Recording(pool, 1, 0, null);
    assertTrue(entry.publish());
    entry.run();
    assertTrue(entry.isDone());
    assertEquals(1, slots(), "nothing left to share after the first chunk");
  }

  @Test
  void aGuidedCallerWhoseFirstUnitIsSlowPublishesRightAfterIt() throws Exception {
    busyPool(2);
    Recording entry = new Recording(pool, 4, 0, null);
    entry.body = i -> {
      if (i == 0) {
        work(TimeUnit.MICROSECONDS.toNanos(25)); // the rest estimated at 75 µs: worth a wake-up
      }
    };
    entry.invoke();
    assertTrue(entry.isDone());
    assertEquals(1, slots(), "published after the first chunk");
    // then guided chunks: the rest (3) over twice the three parties is less than one: single units
    assertEquals(4, entry.chunks.size(), "chunks of 1, then guided: " + chunks(entry));
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(new int[] {i, i + 1}, entry.chunks.get(i));
    }
  }

  @Test
  void aGuidedCallerOfASingleUnitNeverPublishesHoweverSlowTheUnit() throws Exception {
    busyPool(2);
    Recording entry = new Recording(pool, 1, 0, null);
    entry.body = i -> work(TimeUnit.MICROSECONDS.toNanos(100));
    entry.invoke();
    assertTrue(entry.isDone());
    assertEquals(0, slots(), "nothing left to share");
  }

  @Test
  void theGuidedProbeGrowsItsChunksFourfoldUntilItPublishesAndThenClaimsGuidedChunks() throws Exception {
    busyPool(2);
    int parties = 3;
    for (int round = 0; round < 200; round++) {
      int units = 2_000 + round;
      Recording entry = new Recording(pool, units, 0, null);
      long slotsBefore = slots();
      entry.invoke();
      assertTrue(entry.isDone());
      boolean published = slots() > slotsBefore;
      assertEquals(slotsBefore + (published ? 1 : 0), slots(), "at most one slot per call");
      assertTrue(probeThenGuided(entry.chunks, units, parties, published),
          "round " + round + (published ? ", published" : ", not published") + ": " + chunks(entry));
    }
  }

  @Test
  void aGuidedCallerPublishesOnceItsSecondChunkSaysTheLastUnitOutlastsAWakeUp() throws Exception {
    busyPool(2);
    // six units: chunks of 1 and 4, then the last one. Units 1 to 4 take 8 x PUBLISH_NANOS together,
    // so after the second chunk (5 units done in that time) the last unit is estimated at 1.6 x
    // PUBLISH_NANOS or more: the caller publishes then, if it did not after the first chunk.
    long unitNanos = Math.max(2 * RangeEntry.PUBLISH_NANOS, 2_000L);
    for (int round = 0; round < 50; round++) {
      Recording entry = new Recording(pool, 6, 0, null);
      entry.body = i -> {
        if (i >= 1 && i <= 4) {
          work(unitNanos);
        }
      };
      long before = slots();
      entry.invoke();
      assertTrue(entry.isDone());
      assertEquals(before + 1, slots(), "round " + round + " published no slot: " + chunks(entry));
    }
  }

  @Test
  void theProbesChunksStopGrowingAtTwoToThe28UnitsSoTheirSizeCannotOverflow() throws Exception {
    busyPool(2);
    // units that cost nothing, so a probe of 700 million units rarely measures the 1 µs it needs
    // before it may publish: unpublished rounds grow to 1, 4, ..., 2^28 and stay there (four times
    // 2^30 would overflow an int to 0, an endless run of empty chunks)
    int cap = 1 << 28;
    int unpublished = 0;
    for (int round = 0; round < 5_000 && unpublished < 20; round++) {
      int[] sizes = new int[20]; // the first chunks, in a plain array: nothing is allocated while the probe is timed
      int[] chunks = new int[1];
      RangeEntry entry = new RangeEntry(pool, 700_000_000, 0, false, null) {
        @Override
        protected void runUnits(int from, int to) {
          if (chunks[0] < sizes.length) {
            sizes[chunks[0]] = to - from;
          }
          chunks[0]++;
        }
      };
      long before = slots();
      entry.invoke();
      assertTrue(entry.isDone());
      if (slots() == before) {
        unpublished++;
        String seen = round + ": " + Arrays.toString(sizes);
        assertEquals(17, chunks[0], "round " + seen);
        for (int c = 0; c < 16; c++) {
          assertEquals(Math.min(1 << (2 * c), cap), sizes[c], "round " + seen + ", chunk " + c);
        }
      }
    }
    Assumptions.assumeTrue(unpublished > 0, "every probe took long enough to publish");
  }

  /**
   * Runs guided entries of {@code units} units whose unit {@code i} works {@code unitNanos[i]}, and
   * checks that the caller never publishes in a round where the test can bound every estimate the
   * probe made below {@link RangeEntry#PUBLISH_NANOS}: {@code fastUntil[i]} is the most time since the
   * start of the call at which unit {@code i} may start for the round to count (each decision is made
   * before the next chunk's first unit starts, and the elapsed time it uses is at most that). Rounds
   * where the machine was slower prove nothing; the test needs one that was not.
   */
  private void neverPublishesWhileTheEstimateIsShort(int units, long[] unitNanos, long[] fastUntil)
      throws InterruptedException {
    busyPool(2);
    int counted = 0;
    for (int round = 0; round < 200; round++) {
      Recording entry = new Recording(pool, units, 0, null);
      long[] startedAt = new long[units];
      entry.body = i -> {
        startedAt[i] = System.nanoTime();
        work(unitNanos[i]);
      };
      long before = slots();
      long start = System.nanoTime();
      entry.invoke();
      long end = System.nanoTime();
      boolean fast = true;
      for (int i = 0; i < units; i++) {
        fast &= (i + 1 < units ? startedAt[i + 1] : end) - start < fastUntil[i];
      }
      if (fast) {
        counted++;
        assertEquals(before, slots(), "round " + round + " published although its estimates were short: "
            + chunks(entry));
      }
    }
    Assumptions.assumeTrue(counted > 0, "no round was fast enough to bound the probe's estimates");
  }

  @Test
  void aGuidedCallerOfTwoUnitsDoesNotPublishWhenItsFirstUnitTookLessThanAWakeUp() throws Exception {
    // the first unit takes at least half of PUBLISH_NANOS but, in a counted round, the decision after
    // it comes before PUBLISH_NANOS: the one unit left is estimated below PUBLISH_NANOS (an estimate
    // of three units' time, or of the clock's value, would publish)
    long publish = RangeEntry.PUBLISH_NANOS;
    neverPublishesWhileTheEstimateIsShort(2, new long[] {publish / 2, 0}, new long[] {publish, Long.MAX_VALUE});
  }

  @Test
  void aGuidedCallerDividesWhatItMeasuredByTheUnitsItRanNotMultiplies() throws Exception {
    // six units: after the first chunk (one quick unit) the five left are estimated below
    // PUBLISH_NANOS when it ended before a fifth of it; after the second (four units of a tenth of it
    // each, so at least 0.4 x PUBLISH_NANOS) the one left is estimated at a fifth of the elapsed time,
    // below PUBLISH_NANOS when the sixth unit starts before 5 x PUBLISH_NANOS. Five times the elapsed
    // time would be 2 x PUBLISH_NANOS or more.
    long publish = RangeEntry.PUBLISH_NANOS;
    long tenth = publish / 10;
    neverPublishesWhileTheEstimateIsShort(6, new long[] {0, tenth, tenth, tenth, tenth, 0},
        new long[] {publish / 5, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, 5 * publish, Long.MAX_VALUE});
  }

  /**
   * Whether {@code chunks} are the probe's 1, 4, 16, ... (each from where the last ended) and, if the
   * caller published, from some chunk on the guided sizes of the rest.
   */
  private static boolean probeThenGuided(List<int[]> chunks, int units, int parties, boolean published) {
    for (int probed = 1; probed <= chunks.size(); probed++) {
      int next = 0;
      int size = 1;
      boolean fits = true;
      for (int c = 0; c < chunks.size() && fits; c++) {
        int expected = c < probed ? size : Math.max(1, (units - next) / (2 * parties));
        int[] chunk = chunks.get(c);
        fits = chunk[0] == next && chunk[1] == Math.min(units, next + expected);
        next = chunk[1];
        size *= 4;
      }
      if (fits && next == units && (published ? probed < chunks.size() : probed == chunks.size())) {
        return true;
      }
    }
    return false;
  }

  private static String chunks(Recording entry) {
    StringBuilder text = new StringBuilder();
    for (int[] c : entry.chunks) {
      text.append('[').append(c[0]).append(", ").append(c[1]).append(") ");
    }
    return text.toString();
  }

  // ---- waiting and helping the scope ----

  /** A parent of one unit that "another thread is running": claimed by the test, finished when the test runs it. */
  private Recording runningParent() throws InterruptedException {
    busyPool(1);
    return new Recording(pool, 1, 1, null);
  }

  @Test
  void aWaiterRunsTheUnclaimedUnitsOfAChildOfItsEntry() throws Exception {
    Recording parent = runningParent();
    long parentUnit = parent.claim();
    Recording child = new Recording(pool, 4, 1, parent);
    List<Thread> ranOn = new ArrayList<>();
    child.body = i -> {
      ranOn.add(Thread.currentThread());
      work(TimeUnit.MICROSECONDS.toNanos(50)); // longer than the spin window: the waiter helps on after it
      if (i == 3) {
        parent.runChunk(parentUnit); // the parent's unit ends once its child has run
      }
    };
    assertTrue(child.publish());
    Thread waiter = start("waiter", parent::helpAndAwait);
    try {
      waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(waiter.isAlive(), "the waiter never ran the child's units");
      assertEquals(List.of(waiter, waiter, waiter, waiter), ranOn, "the waiter ran every unit of the child");
    } finally {
      runAll(child); // if the waiter did not help, the test finishes the child, and with it the parent
    }
    assertTrue(parent.isDone());
  }

  @Test
  void aWaiterHelpsAGrandchildWhenTheChildHasNothingLeftToClaim() throws Exception {
    Recording parent = runningParent();
    long parentUnit = parent.claim();
    Recording child = new Recording(pool, 1, 1, parent);
    long childUnit = child.claim();
    Recording grandchild = new Recording(pool, 4, 1, child);
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    grandchild.body = i -> {
      ranOn.set(Thread.currentThread());
      work(TimeUnit.MICROSECONDS.toNanos(50));
      if (i == 3) {
        child.runChunk(childUnit);
        parent.runChunk(parentUnit);
      }
    };
    assertTrue(child.publish());
    assertTrue(grandchild.publish());
    Thread waiter = start("waiter", parent::helpAndAwait);
    try {
      waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(waiter.isAlive(), "the waiter never ran the grandchild's units");
      assertSame(waiter, ranOn.get());
    } finally {
      runAll(grandchild);
    }
    assertTrue(parent.isDone());
    assertTrue(child.isDone());
  }

  @Test
  void aWaiterStillFindsAnOlderChildBelowANewerOneThatHasNothingLeftToClaim() throws Exception {
    Recording parent = runningParent();
    long parentUnit = parent.claim();
    Recording finished = new Recording(pool, 1, 1, parent);
    Recording older = new Recording(pool, 2, 1, parent);
    Recording newer = new Recording(pool, 1, 1, parent);
    long newerUnit = newer.claim();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    older.body = i -> {
      ranOn.set(Thread.currentThread());
      if (i == 1) {
        newer.runChunk(newerUnit);
        parent.runChunk(parentUnit);
      }
    };
    assertTrue(finished.publish());
    runAll(finished);
    assertTrue(finished.isDone());
    assertTrue(older.publish());
    assertTrue(newer.publish());
    Thread waiter = start("waiter", parent::helpAndAwait);
    try {
      waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(waiter.isAlive(), "the waiter never found the older child");
      assertSame(waiter, ranOn.get());
    } finally {
      runAll(older);
    }
    assertTrue(parent.isDone());
  }

  @Test
  void aParkedWaiterIsWokenByANewChildButCallbacksWaitForTheEnd() throws Exception {
    Recording parent = runningParent();
    long parentUnit = parent.claim();
    Recording child = new Recording(pool, 1, 1, parent);
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    CountDownLatch childRan = new CountDownLatch(1);
    child.body = i -> {
      ranOn.set(Thread.currentThread());
      childRan.countDown();
    };
    AtomicInteger called = new AtomicInteger();
    Thread waiter = start("waiter", parent::helpAndAwait);
    try {
      parkedOn(waiter, parent);
      parent.whenDone(called::incrementAndGet);
      assertTrue(child.publish());
      assertTrue(childRan.await(WAIT_SECONDS, TimeUnit.SECONDS), "the waiter was never woken to help the new child");
      assertSame(waiter, ranOn.get());
      assertEquals(0, called.get(), "a new child wakes waiters; it does not end the wait of callbacks");
      assertTrue(waiter.isAlive(), "the parent's own unit is still running");
    } finally {
      runAll(child);
      parent.runChunk(parentUnit);
    }
    waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(waiter.isAlive(), "the waiter never saw the end");
    assertTrue(parent.isDone());
    assertEquals(1, called.get(), "the callback ran once, at the end");
  }

  @Test
  void theLastUnitWakesEveryParkedWaiterAndRunsTheCallbacks() throws Exception {
    Recording entry = runningParent();
    long elsewhere = entry.claim();
    AtomicInteger called = new AtomicInteger();
    entry.whenDone(called::incrementAndGet); // listed first, so the threads below are listed in nodes
    Thread first = start("first-waiter", entry::helpAndAwait);
    parkedOn(first, entry);
    Thread second = start("second-waiter", entry::helpAndAwait);
    try {
      parkedOn(second, entry);
      assertEquals(0, called.get());
    } finally {
      entry.runChunk(elsewhere);
    }
    first.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    second.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(first.isAlive(), "the first waiter was never woken");
    assertFalse(second.isAlive(), "the second waiter was never woken");
    assertEquals(1, called.get());
  }

  @Test
  void anInterruptDoesNotEndAScopeWaitAndIsReassertedWhenItEnds() throws Exception {
    Recording parent = runningParent();
    long parentUnit = parent.claim();
    AtomicBoolean doneAtReturn = new AtomicBoolean();
    AtomicBoolean interruptedAtReturn = new AtomicBoolean();
    Thread waiter = start("waiter", () -> {
      parent.helpAndAwait();
      doneAtReturn.set(parent.isDone());
      interruptedAtReturn.set(Thread.currentThread().isInterrupted());
    });
    try {
      parkedOn(waiter, parent);
      waiter.interrupt();
      parkedOn(waiter, parent); // woken, took the interrupt, parked again
      assertTrue(waiter.isAlive(), "units are still running: the wait goes on");
    } finally {
      parent.runChunk(parentUnit);
    }
    waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(waiter.isAlive(), "the waiter never saw the end");
    assertTrue(doneAtReturn.get());
    assertTrue(interruptedAtReturn.get(), "the interrupt is put back for the caller");
  }

  @Test
  void aCallerWaitsForUnitsRunningElsewhereAndThenThrowsTheirFailure() throws Exception {
    Recording entry = runningParent();
    long elsewhere = entry.claim();
    IllegalStateException boom = new IllegalStateException("elsewhere");
    entry.body = i -> {
      throw boom;
    };
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = start("caller", () -> {
      try {
        entry.invoke();
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    try {
      parkedOn(caller, entry);
    } finally {
      entry.runChunk(elsewhere);
    }
    caller.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(caller.isAlive());
    assertSame(boom, thrown.get().getCause());
  }

  // ---- timed waits ----

  @Test
  void aTimedWaitOnAnUnfinishedEntryGivesUpAtItsTimeout() throws Exception {
    Recording entry = new Recording(2, 1);
    assertFalse(entry.awaitNanos(TimeUnit.MILLISECONDS.toNanos(2)));
    assertFalse(entry.awaitNanos(0));
    assertFalse(entry.awaitNanos(-1));
    runAll(entry);
    assertTrue(entry.awaitNanos(0));
    assertTrue(entry.awaitNanos(-1));
  }

  @Test
  void aTimedWaitIsTrueOnceAnotherThreadFinishesTheLastUnit() throws Exception {
    Recording entry = new Recording(1, 1);
    long unit = entry.claim();
    AtomicReference<Object> result = new AtomicReference<>();
    Thread waiter = start("timed-waiter", () -> {
      try {
        result.set(entry.awaitNanos(TimeUnit.MINUTES.toNanos(5)));
      } catch (Throwable t) {
        result.set(t);
      }
    });
    try {
      parkedOn(waiter, entry);
    } finally {
      entry.runChunk(unit);
    }
    waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(waiter.isAlive());
    assertEquals(Boolean.TRUE, result.get());
  }

  @Test
  void aTimedWaitThrowsWhenInterruptedWhileWaiting() throws Exception {
    Recording entry = new Recording(1, 1);
    long unit = entry.claim();
    AtomicReference<Object> result = new AtomicReference<>();
    Thread waiter = start("timed-waiter", () -> {
      try {
        result.set(entry.awaitNanos(TimeUnit.MINUTES.toNanos(5)));
      } catch (Throwable t) {
        result.set(t);
      }
    });
    try {
      parkedOn(waiter, entry);
      waiter.interrupt();
      waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(waiter.isAlive());
      assertTrue(result.get() instanceof InterruptedException, String.valueOf(result.get()));
      assertFalse(entry.isDone());
    } finally {
      entry.runChunk(unit);
    }
  }

  @Test
  void aTimedWaitWithAnInterruptPendingThrowsAtOnceEvenOnADoneEntry() {
    Recording entry = new Recording(1, 1);
    runAll(entry);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> entry.awaitNanos(TimeUnit.SECONDS.toNanos(1)));
    assertFalse(Thread.interrupted(), "the interrupt was taken");
  }

  // ---- callbacks ----

  @Test
  void aThrowingCallbackGoesToTheFinishingThreadsHandlerAndTheOtherCallbacksStillRun() throws Exception {
    Recording entry = new Recording(1, 1);
    IllegalStateException boom = new IllegalStateException("callback");
    AtomicInteger others = new AtomicInteger();
    entry.whenDone(others::incrementAndGet);
    entry.whenDone(() -> {
      throw boom;
    });
    entry.whenDone(others::incrementAndGet);
    List<Throwable> handled = new ArrayList<>();
    Thread finisher = new Thread(() -> runAll(entry), "finisher");
    finisher.setUncaughtExceptionHandler((t, e) -> handled.add(e));
    started.add(finisher);
    finisher.start();
    finisher.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(finisher.isAlive());
    assertTrue(entry.isDone());
    assertEquals(2, others.get(), "the callbacks before and after the throwing one ran");
    assertEquals(List.of(boom), handled, "the finishing thread's handler got the callback's failure");

    Thread late = new Thread(() -> entry.whenDone(() -> {
      throw boom;
    }), "late");
    late.setUncaughtExceptionHandler((t, e) -> handled.add(e));
    started.add(late);
    late.start();
    late.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(late.isAlive());
    assertEquals(List.of(boom, boom), handled, "a callback on a done entry runs at once, on the caller");
    assertNull(entry.failure());
  }
}
