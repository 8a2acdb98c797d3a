package dev.zeropool.samples;

import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import dev.zeropool.pinned.ItemFn;
import dev.zeropool.pinned.PinnedPool;

/**
 * messaging_thread_pool's two-level example: an item fans work out to an inner pool and waits for it.
 * The wait is safe because the inner pool's threads are not the item's thread; waiting on a message to
 * an item of the item's own thread would never end, and fails fast with an
 * {@link IllegalStateException} instead.
 */
public final class PinnedTwoLevel {

  /** An outer item: a portfolio whose valuation is split into chunks for an inner ZeroPool. */
  static final class Portfolio {
    final double[] prices;
    double lastValue;

    Portfolio(int positions) {
      prices = new double[positions];
      for (int i = 0; i < positions; i++) {
        prices[i] = 1 + i % 7;
      }
    }
  }

  /** One chunk of a valuation: a range of prices and its partial sum. */
  static final class Chunk {
    final double[] prices;
    final int from;
    final int to;
    double sum;

    Chunk(double[] prices, int from, int to) {
      this.prices = prices;
      this.from = from;
      this.to = to;
    }
  }

  static final TaskFn<Chunk> VALUE_CHUNK = c -> {
    for (int i = c.from; i < c.to; i++) {
      c.sum += c.prices[i] * 1.01;
    }
  };

  private PinnedTwoLevel() {}

  /** Runs the sample with a pinned pool of {@code threads} threads over an inner ZeroPool. */
  public static void run(int threads) {
    try (ZeroPool inner = ZeroPool.create(threads);
        PinnedPool<Portfolio> portfolios = PinnedPool.create(threads)) {
      ItemFn<Portfolio, Integer, Double> revalue = (p, chunks) -> {
        Chunk[] parts = new Chunk[chunks];
        int step = p.prices.length / chunks;
        for (int i = 0; i < chunks; i++) {
          parts[i] = new Chunk(p.prices, i * step, i == chunks - 1 ? p.prices.length : (i + 1) * step);
        }
        inner.submitBatch(VALUE_CHUNK, parts).join(); // the item's thread waits for the inner pool
        double total = 0;
        for (Chunk c : parts) {
          total += c.sum;
        }
        return p.lastValue = total;
      };
      portfolios.add(1, () -> new Portfolio(100_000));
      portfolios.add(2, () -> new Portfolio(50_000));
      double one = portfolios.send(1, revalue, 8).join();
      double two = portfolios.send(2, revalue, 8).join();
      String selfWait = portfolios.send(1, (p, unused) -> portfolios.send(1 + portfolios.threadCount(), revalue, 2).join(), null)
          .handle((v, e) -> e.getClass().getSimpleName()).join();
      System.out.printf("pinned two-level: portfolio values %.0f and %.0f; waiting on the item's own thread: %s%n",
          one, two, selfWait);
    }
  }

  public static void main(String[] args) {
    run(2);
  }
}
