package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeropool.TaskFn;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch's range entry claimed by hand, one claim at a time: guided chunk sizes, the pool's gauge of
 * unclaimed tasks, the hand-back of the rest, and the completion of a submission of no tasks.
 */
class RangeCompletionTest {

  private static final TaskFn<Object> NOTHING = p -> { };

  private WorkerPool pool;

  @AfterEach
  void stopPool() {
    if (pool != null) {
      pool.shutdownNow("test over", false);
    }
  }

  /** A pool with one worker (so the guided size divides the rest among two parties) that nobody feeds. */
  private WorkerPool onePool() {
    pool = new WorkerPool("range-test", 1, r -> {
      Thread t = new Thread(r, "range-test-worker");
      t.setDaemon(true);
      return t;
    }, 0L, null, null, null, 0L, 0);
    return pool;
  }

  private static int from(long claimed) {
    return (int) (claimed >>> 32);
  }

  private static int to(long claimed) {
    return (int) claimed;
  }

  @Test
  void guidedChunksCoverEveryTaskOnceEachAQuarterOfTheRestWithTwoParties() {
    WorkerPool core = onePool();
    int units = 100;
    RangeCompletion entry = new RangeCompletion(core, NOTHING, null, new Object[units], units, false, null);
    int next = 0;
    int chunks = 0;
    while (next < units) {
      long claimed = entry.claim();
      assertTrue(claimed != RangeCompletion.NONE, "tasks from " + next + " are still unclaimed");
      assertEquals(next, from(claimed), "chunks follow each other");
      int expected = Math.max(1, (units - next) / 4); // the rest divided by twice the two parties
      assertEquals(Math.min(units, next + expected), to(claimed), "chunk " + chunks + " from " + next);
      next = to(claimed);
      chunks++;
      assertEquals(-next, core.unclaimedRangeTasks.sum(), "the gauge drops by each chunk, once");
    }
    assertEquals(RangeCompletion.NONE, entry.claim(), "an exhausted entry hands out nothing");
    assertEquals(RangeCompletion.NONE, entry.claimRest(), "nor does a stop's claim of the rest");
    assertEquals(-units, core.unclaimedRangeTasks.sum());
    assertTrue(entry.toString().startsWith("batch of 100 tasks, "), entry.toString());
  }

  @Test
  void aStopClaimsExactlyTheTasksNobodyClaimedAndTheGaugeDropsByThem() {
    WorkerPool core = onePool();
    RangeCompletion entry = new RangeCompletion(core, NOTHING, null, new Object[40], 40, false, null);
    long first = entry.claim();
    assertEquals(0, from(first));
    assertEquals(10, to(first));
    long rest = entry.claimRest();
    assertEquals(10, from(rest));
    assertEquals(40, to(rest));
    assertEquals(-40, core.unclaimedRangeTasks.sum(), "10 claimed in a chunk, 30 by the stop");
    assertEquals(RangeCompletion.NONE, entry.claimRest());
    assertEquals(RangeCompletion.NONE, entry.claim());
    entry.tasksDone(40);
    assertTrue(entry.isDone());
    assertNull(entry.failure());
  }

  @Test
  void claimsOnAnExhaustedEntryNeverMoveItsCursor() {
    WorkerPool core = onePool();
    RangeCompletion entry = new RangeCompletion(core, NOTHING, null, new Object[8], 8, false, null);
    while (entry.claim() != RangeCompletion.NONE) {
      assertTrue(entry.cursor() <= 8);
    }
    assertEquals(8, entry.cursor(), "the chunks ended exactly at the last task");
    for (int i = 0; i < 1000; i++) { // stale slots and late stops
      assertEquals(RangeCompletion.NONE, entry.claim());
      assertEquals(RangeCompletion.NONE, entry.claimRest());
    }
    assertEquals(8, entry.cursor(), "no atomic add once exhausted: the cursor can never overflow");
    RangeCompletion stopped = new RangeCompletion(core, NOTHING, null, new Object[8], 8, false, null);
    assertEquals(8, to(stopped.claimRest()));
    long after = stopped.cursor();
    assertEquals(RangeCompletion.NONE, stopped.claimRest());
    assertEquals(RangeCompletion.NONE, stopped.claim());
    assertEquals(after, stopped.cursor());
  }

  /** Three workers whose threads never run: the slots stay in the queue, where the tests count them. */
  private static WorkerPool poolWhoseWorkersNeverRun(String name) {
    return new WorkerPool(name, 3, r -> new Thread(() -> { }, name + "-idle"), 0L, null, null, null, 0L, 0);
  }

  @Test
  void anEntryIssuesAtMostOneQueueSlotPerWorkerAndNoneOnceExhausted() {
    pool = poolWhoseWorkersNeverRun("range-slots-test");
    RangeCompletion entry = new RangeCompletion(pool, NOTHING, null, new Object[100], 100, false, null);
    assertTrue(pool.submitRange(entry));
    assertEquals(1, pool.queuedRangeSlots.sum(), "the submission's own slot");
    entry.claim();
    entry.widen();
    assertEquals(2, pool.queuedRangeSlots.sum(), "one more for the next worker");
    entry.widen();
    assertEquals(3, pool.queuedRangeSlots.sum());
    entry.widen();
    entry.widen();
    assertEquals(3, pool.queuedRangeSlots.sum(), "as many slots as workers, no more");
    RangeCompletion claimed = new RangeCompletion(pool, NOTHING, null, new Object[100], 100, false, null);
    assertTrue(pool.submitRange(claimed));
    claimed.claimRest();
    claimed.widen();
    assertEquals(4, pool.queuedRangeSlots.sum(), "every task claimed: no slot would find work");
  }

  @Test
  void aWaiterThatClaimsTakesTheCascadesPlaceOfOneWorker() {
    pool = poolWhoseWorkersNeverRun("range-waiter-test");
    RangeCompletion entry = new RangeCompletion(pool, NOTHING, null, new Object[100], 100, false, null);
    assertTrue(pool.submitRange(entry));
    entry.countWaiter();
    entry.claim();
    entry.widen();
    entry.widen();
    assertEquals(2, pool.queuedRangeSlots.sum(), "the waiter and two workers: three threads for three workers");
  }

  @Test
  void aSubmissionOfNoTasksIsCompleteFromTheStart() throws Exception {
    Completion none = new Completion(null, 0, false, null);
    assertTrue(none.isDone());
    none.join();
    assertNull(none.get());
    assertTrue(none.await(0, TimeUnit.SECONDS));
    assertFalse(none.cancel());
    AtomicReference<Object> seen = new AtomicReference<>("not called");
    none.whenDone(seen::set);
    assertNull(seen.get(), "a callback on a done submission runs at once, with no failure");
    assertTrue(none.toCompletableFuture().isDone());
    assertEquals(0, none.waiterCount());
  }
}
