package dev.zeropool;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The project's standard Lincheck runs: 3 threads of 3 operations each, 1000 scenarios' runs per
 * iteration, {@code -Dzeropool.lincheck.iterations} iterations (30 by default; small in CI and under
 * mutation testing). A test with other needs (fewer actors, no operations before the parallel part)
 * builds its own options.
 *
 * <pre>{@code @Test void modelChecking() { LincheckRuns.modelCheck(getClass(), SequentialFifo.class); }}</pre>
 */
public final class LincheckRuns {

  public static final int ITERATIONS = Integer.getInteger("zeropool.lincheck.iterations", 30);

  private LincheckRuns() {}

  /**
   * Model-checks {@code test}'s operations against {@code specification} (null: the test class itself
   * run sequentially).
   */
  public static void modelCheck(Class<?> test, Class<?> specification) {
    check(new ModelCheckingOptions(), test, specification);
  }

  /** Stress-tests {@code test}'s operations against {@code specification} (null: the test class itself). */
  public static void stress(Class<?> test, Class<?> specification) {
    check(new StressOptions(), test, specification);
  }

  private static <O extends Options<O, ?>> void check(O options, Class<?> test, Class<?> specification) {
    options.iterations(ITERATIONS).invocationsPerIteration(1_000).threads(3).actorsPerThread(3);
    if (specification != null) {
      options.sequentialSpecification(specification);
    }
    options.check(test);
  }
}
