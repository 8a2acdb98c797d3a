package dev.zeropool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;
import java.util.function.LongBinaryOperator;

/**
 * Parallel loops as {@link RangeEntry}s: unit {@code u} is index {@code from + u}, so the entry is the
 * only object a loop allocates, whatever its length. Reductions fold each claimed chunk into a local
 * primitive and merge it into the entry's accumulator with one atomic operation per chunk (no boxing,
 * nothing per index); a search stops the entry ({@link RangeEntry#skipRest()}) at its first match, so
 * no thread claims another chunk after it.
 *
 * <p>{@code chunk} is a fixed number of indices per claim, or 0 for the adaptive default (see
 * {@link RangeEntry}).
 */
public final class Loops {

  /** What {@link #findAny} returns when no index matches (no {@code int} index can be it). */
  public static final long NOT_FOUND = Long.MIN_VALUE;

  private static final VarHandle LONG_TOTAL;
  private static final VarHandle DOUBLE_BITS;
  private static final VarHandle FOUND;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      LONG_TOTAL = lookup.findVarHandle(LongFold.class, "total", long.class);
      DOUBLE_BITS = lookup.findVarHandle(DoubleSum.class, "bits", long.class);
      FOUND = lookup.findVarHandle(Search.class, "found", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Loops() {}

  /** Runs {@code body} once per index of {@code [from, to)} ({@code from < to}). */
  public static void forRange(WorkerPool pool, int from, int to, int chunk, IntConsumer body) {
    new ForRange(pool, from, to - from, chunk, body).invoke();
  }

  /** Runs {@code body} once per element of {@code array} (not empty). */
  public static <T> void forEach(WorkerPool pool, T[] array, int chunk, Consumer<? super T> body) {
    new ForEachArray<>(pool, array, chunk, body).invoke();
  }

  /** Runs {@code body} once per element of {@code list} (not empty, random access). */
  public static <T> void forEach(WorkerPool pool, List<? extends T> list, int chunk, Consumer<? super T> body) {
    new ForEachList<>(pool, list, chunk, body).invoke();
  }

  /** {@return the sum of {@code f(i)} over {@code [from, to)} ({@code from < to})} */
  public static long sumLong(WorkerPool pool, int from, int to, int chunk, IntToLongFunction f) {
    LongFold fold = new LongFold(pool, from, to - from, chunk, f, null, 0L);
    fold.invoke();
    return fold.total;
  }

  /** {@return {@code identity} folded with {@code f(i)} over {@code [from, to)} by {@code op}} */
  public static long reduce(WorkerPool pool, int from, int to, int chunk, long identity,
      IntToLongFunction f, LongBinaryOperator op) {
    LongFold fold = new LongFold(pool, from, to - from, chunk, f, op, identity);
    fold.invoke();
    return fold.total;
  }

  /** {@return the sum of {@code f(i)} over {@code [from, to)} ({@code from < to})} */
  public static double sumDouble(WorkerPool pool, int from, int to, int chunk, IntToDoubleFunction f) {
    DoubleSum sum = new DoubleSum(pool, from, to - from, chunk, f);
    sum.invoke();
    return Double.longBitsToDouble(sum.bits);
  }

  /** {@return an index of {@code [from, to)} that matches {@code p}, or {@link #NOT_FOUND}} */
  public static long findAny(WorkerPool pool, int from, int to, int chunk, IntPredicate p) {
    Search search = new Search(pool, from, to - from, chunk, p);
    search.invoke();
    return search.found;
  }


  private static final class ForRange extends RangeEntry {
    private final int from;
    private final IntConsumer body;

    ForRange(WorkerPool pool, int from, int units, int chunk, IntConsumer body) {
      super(pool, units, chunk, false, current());
      this.from = from;
      this.body = body;
    }

    @Override
    protected void runUnits(int start, int end) {
      IntConsumer b = body;
      for (int i = from + start, last = from + end; i != last; i++) {
        b.accept(i);
      }
    }
  }

  private static final class ForEachArray<T> extends RangeEntry {
    private final T[] array;
    private final Consumer<? super T> body;

    ForEachArray(WorkerPool pool, T[] array, int chunk, Consumer<? super T> body) {
      super(pool, array.length, chunk, false, current());
      this.array = array;
      this.body = body;
    }

    @Override
    protected void runUnits(int start, int end) {
      T[] a = array;
      Consumer<? super T> b = body;
      for (int i = start; i < end; i++) {
        b.accept(a[i]);
      }
    }
  }

  private static final class ForEachList<T> extends RangeEntry {
    private final List<? extends T> list;
    private final Consumer<? super T> body;

    ForEachList(WorkerPool pool, List<? extends T> list, int chunk, Consumer<? super T> body) {
      super(pool, list.size(), chunk, false, current());
      this.list = list;
      this.body = body;
    }

    @Override
    protected void runUnits(int start, int end) {
      List<? extends T> l = list;
      Consumer<? super T> b = body;
      for (int i = start; i < end; i++) {
        b.accept(l.get(i));
      }
    }
  }

  /** A long sum ({@code op == null}: one {@code getAndAdd} per chunk) or a fold by {@code op} (one CAS loop per chunk). */
  private static final class LongFold extends RangeEntry {
    private final int from;
    private final IntToLongFunction f;
    private final LongBinaryOperator op;
    private final long identity;
    volatile long total;

    LongFold(WorkerPool pool, int from, int units, int chunk, IntToLongFunction f,
        LongBinaryOperator op, long identity) {
      super(pool, units, chunk, false, current());
      this.from = from;
      this.f = f;
      this.op = op;
      this.identity = identity;
      this.total = identity;
    }

    @Override
    protected void runUnits(int start, int end) {
      IntToLongFunction fn = f;
      int last = from + end;
      if (op == null) {
        long sum = 0;
        for (int i = from + start; i != last; i++) {
          sum += fn.applyAsLong(i);
        }
        LONG_TOTAL.getAndAdd(this, sum);
      } else {
        LongBinaryOperator o = op;
        long acc = identity;
        for (int i = from + start; i != last; i++) {
          acc = o.applyAsLong(acc, fn.applyAsLong(i));
        }
        long seen;
        do {
          seen = total;
        } while (!LONG_TOTAL.compareAndSet(this, seen, o.applyAsLong(seen, acc)));
      }
    }
  }

  /** A double sum, merged per chunk with a CAS loop on the bits (chunk sums add in claim-completion order). */
  private static final class DoubleSum extends RangeEntry {
    private final int from;
    private final IntToDoubleFunction f;
    volatile long bits;

    DoubleSum(WorkerPool pool, int from, int units, int chunk, IntToDoubleFunction f) {
      super(pool, units, chunk, false, current());
      this.from = from;
      this.f = f;
      this.bits = Double.doubleToRawLongBits(0.0);
    }

    @Override
    protected void runUnits(int start, int end) {
      IntToDoubleFunction fn = f;
      double sum = 0;
      for (int i = from + start, last = from + end; i != last; i++) {
        sum += fn.applyAsDouble(i);
      }
      long seen;
      do {
        seen = bits;
      } while (!DOUBLE_BITS.compareAndSet(this, seen,
          Double.doubleToRawLongBits(Double.longBitsToDouble(seen) + sum)));
    }
  }

  /** Stops claiming at the first match: later chunks are skipped, running ones stop at their next index. */
  private static final class Search extends RangeEntry {
    private final int from;
    private final IntPredicate p;
    volatile long found = NOT_FOUND;

    Search(WorkerPool pool, int from, int units, int chunk, IntPredicate p) {
      super(pool, units, chunk, false, current());
      this.from = from;
      this.p = p;
    }

    @Override
    protected void runUnits(int start, int end) {
      IntPredicate test = p;
      for (int i = from + start, last = from + end; i != last; i++) {
        if (found != NOT_FOUND) {
          return;
        }
        if (test.test(i)) {
          FOUND.compareAndSet(this, NOT_FOUND, (long) i);
          skipRest();
          return;
        }
      }
    }
  }
}
