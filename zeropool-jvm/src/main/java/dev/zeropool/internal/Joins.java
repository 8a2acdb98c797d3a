package dev.zeropool.internal;

import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Forks of a few heterogeneous parts ({@code join}, {@code joinAll}) as {@link RangeEntry}s of one
 * unit per part, claimed one at a time: the caller claims part 0 first and runs it while the slot it
 * published brings a worker for the next; then it claims whatever part nobody has taken, and waits
 * (helping its scope) for those that others run. One object per call: the entry holds the parts and,
 * for suppliers, their results.
 */
public final class Joins {

  private Joins() {}

  /** Runs {@code a} and {@code b}, in parallel where a thread is free; see {@link RangeEntry#invoke()}. */
  public static void join(WorkerPool pool, Runnable a, Runnable b) {
    new RunParts(pool, a, b, null, 2).invoke();
  }

  /** Runs every part of {@code parts}, in parallel where threads are free. */
  public static void joinAll(WorkerPool pool, Runnable[] parts) {
    if (parts.length > 0) {
      new RunParts(pool, null, null, parts, parts.length).invoke();
    }
  }

  /** Computes {@code a} and {@code b} in parallel and combines their results on the calling thread. */
  public static <A, B, R> R join(WorkerPool pool, Supplier<? extends A> a, Supplier<? extends B> b,
      BiFunction<? super A, ? super B, ? extends R> combine) {
    SupplyPair<A, B> pair = new SupplyPair<>(pool, a, b);
    pair.invoke();
    return combine.apply(pair.first, pair.second);
  }

  /** Two runnables, or an array of them. */
  private static final class RunParts extends RangeEntry {
    private final Runnable a;
    private final Runnable b;
    private final Runnable[] parts;

    RunParts(WorkerPool pool, Runnable a, Runnable b, Runnable[] parts, int count) {
      super(pool, count, 1, false, current());
      this.a = a;
      this.b = b;
      this.parts = parts;
    }

    @Override
    protected void runUnits(int from, int to) {
      for (int i = from; i < to; i++) {
        (parts != null ? parts[i] : i == 0 ? a : b).run();
      }
    }
  }

  /** Two suppliers and their results, read by the caller once both units finished. */
  private static final class SupplyPair<A, B> extends RangeEntry {
    private final Supplier<? extends A> a;
    private final Supplier<? extends B> b;
    A first;
    B second;

    SupplyPair(WorkerPool pool, Supplier<? extends A> a, Supplier<? extends B> b) {
      super(pool, 2, 1, false, current());
      this.a = a;
      this.b = b;
    }

    @Override
    protected void runUnits(int from, int to) {
      for (int i = from; i < to; i++) {
        if (i == 0) {
          first = a.get();
        } else {
          second = b.get();
        }
      }
    }
  }
}
