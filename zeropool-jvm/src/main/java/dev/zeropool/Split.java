package dev.zeropool;

/**
 * How a parallel loop ({@link ZeroPool#forRange(int, int, Split, java.util.function.IntConsumer)} and
 * its siblings) cuts its index range into chunks, the pieces threads claim one at a time. Each claim
 * is one atomic operation on the loop's shared cursor, so a chunk should hold enough work to make that
 * (about 10-100 ns, more when threads contend) negligible, and there should be enough chunks to keep
 * every thread busy until the end.
 *
 * <pre>{@code
 * pool.forRange(0, rows, Split.perItem(), y -> renderRow(y));        // one row per claim
 * pool.forRange(0, n, Split.per(4_096), i -> out[i] = a[i] + b[i]);  // 4 096 indices per claim
 * pool.forRange(0, n, Split.byThreads(), i -> out[i] = f(i));        // one chunk per thread
 * pool.forRange(0, n, i -> out[i] = f(i));                           // adaptive (the default)
 * }</pre>
 *
 * <p>Instances are immutable and can be kept in {@code static final} fields.
 */
public final class Split {

  private static final int ADAPTIVE = 0;
  private static final int PER = 1;
  private static final int BY = 2;
  private static final int BY_THREADS = 3;

  private static final Split ADAPTIVE_SPLIT = new Split(ADAPTIVE, 0);
  private static final Split PER_ITEM = new Split(PER, 1);
  private static final Split BY_THREADS_SPLIT = new Split(BY_THREADS, 0);

  private final int kind;
  private final int value;

  private Split(int kind, int value) {
    this.kind = kind;
    this.value = value;
  }

  /**
   * {@return the default: the calling thread starts alone, measures its first chunks, and shares the
   * rest with the workers only when it is long enough to gain from them; shared chunks are guided
   * (the unclaimed indices divided by twice the number of threads: big chunks first, single indices
   * at the end)}
   *
   * <p>So a short loop costs about what the plain loop costs, and a long one spreads over every
   * thread without tuning.
   *
   * <pre>{@code pool.forRange(0, n, Split.adaptive(), i -> out[i] = f(i));}</pre>
   */
  public static Split adaptive() {
    return ADAPTIVE_SPLIT;
  }

  /**
   * {@return one index per chunk: for few, heavy items (frames, files, rows), and for items whose cost
   * varies a lot}
   *
   * <pre>{@code pool.forRange(0, scenes.length, Split.perItem(), i -> render(scenes[i]));}</pre>
   */
  public static Split perItem() {
    return PER_ITEM;
  }

  /**
   * {@return chunks of {@code chunkSize} indices (the last one may be shorter)}
   *
   * <pre>{@code pool.forRange(0, n, Split.per(1_024), i -> out[i] = a[i] * k);}</pre>
   *
   * @throws IllegalArgumentException if {@code chunkSize < 1}
   */
  public static Split per(int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be at least 1: " + chunkSize);
    }
    return chunkSize == 1 ? PER_ITEM : new Split(PER, chunkSize);
  }

  /**
   * {@return {@code chunks} chunks of (nearly) equal length (fewer if the range is shorter)}
   *
   * <pre>{@code pool.forRange(0, n, Split.by(64), i -> out[i] = f(i));}</pre>
   *
   * @throws IllegalArgumentException if {@code chunks < 1}
   */
  public static Split by(int chunks) {
    if (chunks < 1) {
      throw new IllegalArgumentException("chunks must be at least 1: " + chunks);
    }
    return new Split(BY, chunks);
  }

  /**
   * {@return one chunk per thread: the pool's workers plus the calling thread, which works too; for
   * uniform, cheap items where every claim counts}
   *
   * <pre>{@code long total = pool.sumLong(0, n, Split.byThreads(), i -> values[i]);}</pre>
   */
  public static Split byThreads() {
    return BY_THREADS_SPLIT;
  }

  /** Units per claim for a range of {@code n} indices on {@code workers} workers; 0 means adaptive. */
  int chunkSize(int n, int workers) {
    switch (kind) {
      case PER:
        return value;
      case BY:
        return chunksOf(n, value);
      case BY_THREADS:
        return chunksOf(n, workers + 1);
      default:
        return 0;
    }
  }

  private static int chunksOf(int n, int chunks) {
    return (int) Math.max(1, ((long) n + chunks - 1) / chunks);
  }

  @Override
  public String toString() {
    switch (kind) {
      case PER:
        return value == 1 ? "Split.perItem()" : "Split.per(" + value + ")";
      case BY:
        return "Split.by(" + value + ")";
      case BY_THREADS:
        return "Split.byThreads()";
      default:
        return "Split.adaptive()";
    }
  }
}
