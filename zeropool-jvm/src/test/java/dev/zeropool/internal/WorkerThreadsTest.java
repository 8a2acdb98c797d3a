package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkerThreads}: a thread finds the worker it added itself as, and nothing before or after;
 * the table grows past its first size with probe chains intact; concurrent adds and removes lose none.
 */
class WorkerThreadsTest {

  private static final int THREADS = 64; // 64 threads in a table of 128 or more places: collisions are certain in practice

  // Workers whose threads end at once without running them: only their identity matters here.
  private final WorkerPool pool = new WorkerPool("threads-test", THREADS, r -> new Thread(() -> { }),
      0L, null, null, null, 0L, 0);

  @AfterEach
  void stop() {
    pool.shutdownNow("test", false);
  }

  @Test
  void aThreadThatIsNoWorkerFindsNothing() {
    WorkerThreads table = new WorkerThreads();
    assertNull(table.current());
    assertEquals(0, table.size());
  }

  @Test
  void aThreadFindsTheWorkerItAddedUntilItRemovesItself() {
    WorkerThreads table = new WorkerThreads();
    table.add(pool.workers[3]);
    assertSame(pool.workers[3], table.current());
    assertEquals(1, table.size());
    table.removeCurrent();
    assertNull(table.current());
    assertEquals(0, table.size());
  }

  @Test
  void manyThreadsEachFindTheirOwnWorkerAndOnlyTheirs() throws Exception {
    WorkerThreads table = new WorkerThreads();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    CyclicBarrier allAdded = new CyclicBarrier(THREADS + 1);
    CyclicBarrier allChecked = new CyclicBarrier(THREADS + 1);
    Thread[] threads = new Thread[THREADS];
    for (int i = 0; i < THREADS; i++) {
      Worker mine = pool.workers[i];
      threads[i] = new Thread(() -> {
        try {
          start.await(10, TimeUnit.SECONDS); // all add at once: a change made without the lock loses others
          table.add(mine);
          allAdded.await(10, TimeUnit.SECONDS);
          assertSame(mine, table.current(), "with every other thread listed too");
          allChecked.await(10, TimeUnit.SECONDS); // and all remove at once
          table.removeCurrent();
          assertNull(table.current(), "after removing itself");
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      });
      threads[i].start();
    }
    allAdded.await(10, TimeUnit.SECONDS);
    assertEquals(THREADS, table.size(), "no add was lost");
    assertNull(table.current(), "the test thread was never added");
    allChecked.await(10, TimeUnit.SECONDS);
    endAll(List.of(threads), failure);
    assertEquals(0, table.size(), "no remove was lost");
  }

  /**
   * Thread ids are sequential, and Fibonacci hashing spreads sequential ids evenly, so threads made
   * one after another rarely share a place: this test picks four that do, to walk a probe chain.
   */
  @Test
  void threadsWhoseProbesStartAtTheSamePlaceAreAllFoundBeforeAndAfterOneLeaves() throws Exception {
    int tableOfFour = 8; // four threads fill a table of 8 places (at least twice as many as threads)
    List<Thread> sharingAPlace = new ArrayList<>();
    WorkerThreads table = new WorkerThreads();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CyclicBarrier added = new CyclicBarrier(5);
    CyclicBarrier counted = new CyclicBarrier(5);
    CyclicBarrier firstLeft = new CyclicBarrier(5);
    int home = -1;
    for (int made = 0; sharingAPlace.size() < 4 && made < 10_000; made++) {
      int index = sharingAPlace.size();
      Worker mine = pool.workers[index];
      Thread candidate = new Thread(() -> {
        try {
          table.add(mine);
          added.await(10, TimeUnit.SECONDS);
          counted.await(10, TimeUnit.SECONDS);
          assertSame(mine, table.current(), "found along the shared probe chain");
          // The first one leaves: the others' probes passed over its entry.
          leaveOrStay(table, mine, index == 0, firstLeft, "still found after the chain was rebuilt without the first");
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      });
      int place = WorkerThreads.place(candidate, tableOfFour - 1);
      if (home < 0) {
        home = place;
      }
      if (place == home) {
        sharingAPlace.add(candidate);
      }
    }
    assertEquals(4, sharingAPlace.size(), "four threads whose probes start at place " + home);
    for (Thread t : sharingAPlace) {
      t.start();
    }
    added.await(10, TimeUnit.SECONDS);
    assertEquals(4, table.size());
    counted.await(10, TimeUnit.SECONDS);
    firstLeft.await(10, TimeUnit.SECONDS);
    endAll(sharingAPlace, failure);
    assertEquals(0, table.size());
  }

  @Test
  void removingOneThreadKeepsTheOthersFindable() throws Exception {
    WorkerThreads table = new WorkerThreads();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CyclicBarrier added = new CyclicBarrier(THREADS + 1);
    CyclicBarrier halfRemoved = new CyclicBarrier(THREADS + 1);
    Thread[] threads = new Thread[THREADS];
    for (int i = 0; i < THREADS; i++) {
      Worker mine = pool.workers[i];
      boolean leavesEarly = i % 2 == 0;
      threads[i] = new Thread(() -> {
        try {
          table.add(mine);
          added.await(10, TimeUnit.SECONDS);
          leaveOrStay(table, mine, leavesEarly, halfRemoved, "its probe chain survived the others' removal");
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      });
      threads[i].start();
    }
    added.await(10, TimeUnit.SECONDS);
    halfRemoved.await(10, TimeUnit.SECONDS);
    endAll(List.of(threads), failure);
    assertEquals(0, table.size());
  }

  /**
   * On a thread that added itself as {@code mine}: leaves before {@code barrier} if {@code leavesEarly},
   * else stays, and checks after it that it is gone, or still found (then leaves).
   */
  private static void leaveOrStay(WorkerThreads table, Worker mine, boolean leavesEarly, CyclicBarrier barrier,
      String stillFound) throws Exception {
    if (leavesEarly) {
      table.removeCurrent();
    }
    barrier.await(10, TimeUnit.SECONDS);
    if (leavesEarly) {
      assertNull(table.current());
    } else {
      assertSame(mine, table.current(), stillFound);
      table.removeCurrent();
    }
  }

  /** Waits for {@code threads} to end and rethrows the first failure any of them recorded. */
  private static void endAll(List<Thread> threads, AtomicReference<Throwable> failure) throws InterruptedException {
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertTrue(!t.isAlive(), t.getName() + " is stuck");
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }
}
