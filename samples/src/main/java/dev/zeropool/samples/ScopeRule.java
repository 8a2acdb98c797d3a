package dev.zeropool.samples;

import dev.zeropool.Split;
import dev.zeropool.ZeroPool;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * micropool's scope rule, made visible: a thread blocked in a fork runs only parts of its own call
 * (and of calls forked by them), never another caller's parts and never spawned background work. Two
 * outside threads run loops at the same time; each counts the parts it ran of the other's loop.
 */
public final class ScopeRule {

  private ScopeRule() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) throws Exception {
    ConcurrentHashMap<String, AtomicInteger> foreignParts = new ConcurrentHashMap<>();
    Thread[] callers = new Thread[2];
    for (int c = 0; c < callers.length; c++) {
      String me = "caller-" + c;
      callers[c] = new Thread(() -> {
        for (int round = 0; round < 100; round++) {
          pool.forRange(0, 64, Split.perItem(), i -> {
            String runner = Thread.currentThread().getName();
            if (runner.startsWith("caller-") && !runner.equals(me)) {
              foreignParts.computeIfAbsent(runner, k -> new AtomicInteger()).incrementAndGet();
            }
          });
        }
      }, me);
    }
    // Background work queued meanwhile: a blocked caller never picks it up either.
    AtomicInteger spawnedOnCallers = new AtomicInteger();
    var spawned = pool.spawn(() -> {
      if (Thread.currentThread().getName().startsWith("caller-")) {
        spawnedOnCallers.incrementAndGet();
      }
      return null;
    });
    for (Thread t : callers) {
      t.start();
    }
    for (Thread t : callers) {
      t.join();
    }
    spawned.get(); // a plain get from this thread: may run it here, which is not a caller thread
    System.out.println("scope: parts run by the other caller = " + foreignParts
        + " (always empty), spawned tasks run by a caller = " + spawnedOnCallers.get());
  }
}
