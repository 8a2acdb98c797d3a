package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Random trees of joins, joinAlls, loops (every split, every loop kind), spawns and spawn
 * cancellations, from several outside threads at once on a small pool. Every leaf owns one index of
 * a counter array (plain, unsynchronized increments: the calls must publish them); at the end every
 * index was run exactly once, except the indices of spawned tasks that were cancelled before they
 * started, which must not have run at all. Size: {@code -Dzeropool.stress.items} scales the rounds.
 */
class ForkJoinStressTest {

  private static final int ROUNDS = (int) Math.max(20, Long.getLong("zeropool.stress.items", 12_000_000L) / 200_000);
  private static final Split[] SPLITS = {Split.adaptive(), Split.perItem(), Split.per(3), Split.by(2), Split.byThreads()};

  private final ZeroPool pool = ZeroPool.create(3);

  /** Runs the subtree owning indices {@code [lo, hi)} of {@code runs}; returns how many leaves ran. */
  private long tree(int[] runs, int lo, int hi, long seed) {
    int n = hi - lo;
    if (n == 1) {
      runs[lo]++;
      return 1;
    }
    SplittableRandom random = new SplittableRandom(seed);
    int mid = lo + 1 + random.nextInt(n - 1);
    switch (random.nextInt(7)) {
      case 0: {
        long[] sides = new long[2];
        pool.join(() -> sides[0] = tree(runs, lo, mid, seed * 3), () -> sides[1] = tree(runs, mid, hi, seed * 5));
        return sides[0] + sides[1];
      }
      case 1:
        return pool.join(() -> tree(runs, lo, mid, seed * 3), () -> tree(runs, mid, hi, seed * 5), Long::sum);
      case 2: {
        int parts = Math.min(n, 2 + random.nextInt(4));
        long[] counts = new long[parts];
        Runnable[] tasks = new Runnable[parts];
        for (int p = 0; p < parts; p++) {
          int k = p;
          tasks[p] = () -> counts[k] = tree(runs, lo + n * k / parts, lo + n * (k + 1) / parts, seed * 7 + k);
        }
        pool.joinAll(tasks);
        long total = 0;
        for (long c : counts) {
          total += c;
        }
        return total;
      }
      case 3: {
        // A loop over sub-ranges: index j of the loop owns [lo + n*j/m, lo + n*(j+1)/m).
        int m = Math.min(n, 2 + random.nextInt(8));
        Split split = SPLITS[random.nextInt(SPLITS.length)];
        return pool.sumLong(0, m, split, j -> tree(runs, lo + n * j / m, lo + n * (j + 1) / m, seed * 11 + j));
      }
      case 4: {
        int m = Math.min(n, 2 + random.nextInt(8));
        long[] counts = new long[m];
        Integer[] js = new Integer[m];
        for (int j = 0; j < m; j++) {
          js[j] = j;
        }
        pool.forEach(js, SPLITS[random.nextInt(SPLITS.length)],
            j -> counts[j] = tree(runs, lo + n * j / m, lo + n * (j + 1) / m, seed * 13 + j));
        long total = 0;
        for (long c : counts) {
          total += c;
        }
        return total;
      }
      case 5: {
        SpawnedTask<Long> left = pool.spawn(() -> tree(runs, lo, mid, seed * 3));
        long right = tree(runs, mid, hi, seed * 5);
        return right + left.join();
      }
      default: {
        // A spawn that may be cancelled: if the cancel wins, its indices must never run.
        SpawnedTask<Long> left = pool.spawn(() -> tree(runs, lo, mid, seed * 3));
        long right = tree(runs, mid, hi, seed * 5);
        if (left.cancel(false)) {
          for (int i = lo; i < mid; i++) {
            runs[i]++; // they must not have run: count them once here so the final check is uniform
          }
          return right + (mid - lo);
        }
        return right + left.join();
      }
    }
  }

  @Test
  void everyIndexOfRandomTreesRunsExactlyOnce() throws Exception {
    try (pool) {
      AtomicReference<Throwable> problem = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long threadSeed = 17 + t;
        threads.add(new Thread(() -> {
          try {
            SplittableRandom random = new SplittableRandom(threadSeed);
            for (int round = 0; round < ROUNDS; round++) {
              int n = 1 + random.nextInt(2_000);
              int[] runs = new int[n];
              long leaves = tree(runs, 0, n, random.nextLong());
              assertEquals(n, leaves);
              for (int i = 0; i < n; i++) {
                if (runs[i] != 1) {
                  throw new AssertionError("index " + i + " of " + n + " ran " + runs[i] + " times");
                }
              }
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
}
