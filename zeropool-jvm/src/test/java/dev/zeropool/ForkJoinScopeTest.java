package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Makes the scope rule observable. Every fork call gets an id and knows the chain of calls it was
 * forked from; every thread keeps the stack of calls it is blocked in. Whenever a part starts, the
 * call its thread waits for innermost (if any) must be in the part's chain: a thread blocked in a
 * call runs only parts forked, directly or transitively, by that call. Several outside roots run at
 * once on a small pool while spawned tasks and plain submissions queue up meanwhile; those must never
 * start on a thread that is blocked in a call.
 */
class ForkJoinScopeTest {

  /** A fork call and the chain of calls above it. */
  record Scope(long id, Scope parent) {
    boolean within(long callId) {
      for (Scope s = this; s != null; s = s.parent) {
        if (s.id == callId) {
          return true;
        }
      }
      return false;
    }
  }

  private static final AtomicLong IDS = new AtomicLong();
  private static final ThreadLocal<ArrayDeque<Long>> WAITING = ThreadLocal.withInitial(ArrayDeque::new);

  private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
  private final AtomicInteger partsRun = new AtomicInteger();

  /** Called as a part of {@code scope} starts on the current thread. */
  private void partStarts(Scope scope) {
    partsRun.incrementAndGet();
    Long waitingFor = WAITING.get().peek();
    if (waitingFor != null && !scope.within(waitingFor)) {
      violations.add(Thread.currentThread().getName() + " blocked in call " + waitingFor
          + " ran a part of call " + scope.id);
    }
  }

  /** Called as unrelated work (a spawned task, a submission) starts. */
  private void unrelatedStarts(String what) {
    Long waitingFor = WAITING.get().peek();
    if (waitingFor != null) {
      violations.add(Thread.currentThread().getName() + " blocked in call " + waitingFor + " ran " + what);
    }
  }

  /** A random tree below {@code parent}: joins and loops whose parts fork further, down to {@code depth}. */
  private void fork(ZeroPool pool, Scope parent, int depth, long seed) {
    Scope call = new Scope(IDS.incrementAndGet(), parent);
    Runnable[] parts = new Runnable[2 + (int) (seed % 3)];
    for (int i = 0; i < parts.length; i++) {
      long childSeed = seed * 31 + i;
      parts[i] = () -> {
        partStarts(call);
        if (depth > 0 && childSeed % 4 != 0) {
          fork(pool, call, depth - 1, childSeed);
        } else {
          LockSupport.parkNanos(20_000);
        }
      };
    }
    WAITING.get().push(call.id);
    try {
      if (seed % 2 == 0) {
        pool.joinAll(parts);
      } else {
        pool.forRange(0, parts.length, Split.perItem(), i -> parts[i].run());
      }
    } finally {
      WAITING.get().pop();
    }
  }

  @Test
  void aBlockedThreadRunsOnlyPartsOfItsOwnScope() throws Exception {
    try (ZeroPool pool = ZeroPool.create(2)) {
      AtomicReference<Throwable> problem = new AtomicReference<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> roots = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        long rootSeed = 1_000 + r;
        roots.add(new Thread(() -> {
          try {
            start.await();
            for (int round = 0; round < 30; round++) {
              fork(pool, null, 4, rootSeed * 7 + round);
            }
          } catch (Throwable e) {
            problem.compareAndSet(null, e);
          }
        }, "root-" + r));
      }
      AtomicInteger unrelated = new AtomicInteger();
      Thread noise = new Thread(() -> {
        try {
          start.await();
          List<SpawnedTask<Boolean>> spawned = new ArrayList<>();
          for (int i = 0; i < 300; i++) {
            spawned.add(pool.spawn(() -> {
              unrelatedStarts("a spawned task");
              return unrelated.incrementAndGet() > 0;
            }));
            pool.execute(() -> {
              unrelatedStarts("an execute task");
              unrelated.incrementAndGet();
            });
            LockSupport.parkNanos(50_000);
          }
          for (SpawnedTask<Boolean> s : spawned) {
            s.get(1, TimeUnit.MINUTES); // timed get never runs the task on this thread
          }
        } catch (Throwable e) {
          problem.compareAndSet(null, e);
        }
      }, "noise");
      roots.forEach(Thread::start);
      noise.start();
      start.countDown();
      for (Thread t : roots) {
        t.join();
      }
      noise.join();
      assertNull(problem.get(), () -> String.valueOf(problem.get()));
      assertTrue(violations.isEmpty(), () -> violations.size() + " violations, e.g. " + violations.peek());
      assertTrue(partsRun.get() > 1_000, "parts run: " + partsRun.get());
      pool.shutdown();
      assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
      assertEquals(600, unrelated.get());
    }
  }

  @Test
  void twoOutsideCallersNeverRunEachOthersParts() throws Exception {
    try (ZeroPool pool = ZeroPool.create(1)) {
      ConcurrentLinkedQueue<String> wrongThread = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> callers = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        callers.add(new Thread(() -> {
          Thread me = Thread.currentThread();
          try {
            start.await();
            for (int round = 0; round < 200; round++) {
              pool.forRange(0, 64, Split.perItem(), i -> {
                Thread t = Thread.currentThread();
                if (t != me && t.getName().startsWith("caller")) {
                  wrongThread.add(t.getName() + " ran a part of " + me.getName());
                }
              });
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "caller-" + c));
      }
      callers.forEach(Thread::start);
      start.countDown();
      for (Thread t : callers) {
        t.join();
      }
      assertTrue(wrongThread.isEmpty(), () -> String.valueOf(wrongThread.peek()));
    }
  }
}
