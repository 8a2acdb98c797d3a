package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertTrue(!t.isAlive(), t.getName() + " is stuck");
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    assertEquals(0, table.size(), "no remove was lost");
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
          if (leavesEarly) {
            table.removeCurrent();
          }
          halfRemoved.await(10, TimeUnit.SECONDS);
          if (leavesEarly) {
            assertNull(table.current());
          } else {
            assertSame(mine, table.current(), "its probe chain survived the others' removal");
            table.removeCurrent();
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      });
      threads[i].start();
    }
    added.await(10, TimeUnit.SECONDS);
    halfRemoved.await(10, TimeUnit.SECONDS);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    assertEquals(0, table.size());
  }
}
