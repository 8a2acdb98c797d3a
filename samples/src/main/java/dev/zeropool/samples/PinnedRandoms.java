package dev.zeropool.samples;

import dev.zeropool.pinned.ItemFn;
import dev.zeropool.pinned.PinnedPool;
import dev.zeropool.pinned.PinnedSender;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * messaging_thread_pool's {@code Randoms} example: each item holds 10 000 random numbers seeded by its
 * id and answers "mean" and "sum" requests. The numbers never leave the item's thread.
 */
public final class PinnedRandoms {

  /** One item: its numbers, made on the thread it lives on. */
  static final class Randoms {
    final long[] numbers = new long[10_000];

    Randoms(long id) {
      SplittableRandom random = new SplittableRandom(id);
      for (int i = 0; i < numbers.length; i++) {
        numbers[i] = random.nextInt(1_000);
      }
    }
  }

  static final ItemFn<Randoms, Void, Long> SUM = (r, unused) -> {
    long sum = 0;
    for (long n : r.numbers) {
      sum += n;
    }
    return sum;
  };

  static final ItemFn<Randoms, Void, Double> MEAN = (r, unused) -> SUM.apply(r, null) / (double) r.numbers.length;

  private PinnedRandoms() {}

  /** Runs the sample on a pool of {@code threads} pinned threads. */
  public static void run(int threads) {
    try (PinnedPool<Randoms> pool = PinnedPool.create(threads)) {
      long[] ids = new long[100];
      for (int id = 0; id < ids.length; id++) {
        ids[id] = id;
        pool.add(id, () -> new Randoms(PinnedPool.currentItemId().orElseThrow()));
      }
      List<Void> none = Collections.nCopies(ids.length, null);
      long total = 0;
      for (CompletableFuture<Long> sum : pool.sendAll(ids, SUM, none)) { // responses in request order
        total += sum.join();
      }
      double firstMean = PinnedSender.inCompletionOrder(pool.sendAll(ids, MEAN, none))
          .iterator().next().join(); // responses as they come: the first one to arrive
      System.out.printf("pinned Randoms: 100 items, sum of all = %d, first mean to arrive = %.1f%n", total, firstMean);
    }
  }

  public static void main(String[] args) {
    run(Runtime.getRuntime().availableProcessors());
  }
}
