package dev.zeropool.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-checks the non-blocking part of {@link RangeEntry}: claiming chunks by index, counting
 * finished units, recording a failure and skipping the rest, in every interleaving of three threads.
 * The operations return nothing, so what is checked is not linearizability but the entry's
 * invariants: inside every operation, the moment the entry reads as done every unit must have run
 * or been skipped (unless stopped early); and after every scenario, {@link #validate()} checks that no unit ran twice, that
 * done means exhausted (every claimed chunk was counted), that a failure is the poisoned unit's and
 * that without one every unit ran exactly once. Waiting (which parks) is covered by
 * {@code RangeEntryStressTest}. Iterations: {@code -Dzeropool.lincheck.iterations}. (Checked to fail
 * when {@code finish} counts down with a plain read and write instead of one atomic.)
 */
public class RangeEntryLincheckTest {

  private static final int UNITS = 5;
  private static final int CHUNK = 2;
  private static final int POISONED = 3;
  private static final int ITERATIONS = Integer.getInteger("zeropool.lincheck.iterations", 30);

  private final AtomicIntegerArray ran = new AtomicIntegerArray(UNITS);
  private volatile boolean poisoned;
  private volatile boolean stopped;
  private final RangeEntry entry = new RangeEntry(null, UNITS, CHUNK, false, null) {
    @Override
    protected void runUnits(int from, int to) {
      for (int i = from; i < to; i++) {
        if (i == POISONED && poisoned) {
          throw new IllegalStateException("unit " + i);
        }
        ran.incrementAndGet(i);
      }
    }
  };

  /** Claims one chunk and runs it, as a worker or the caller does. */
  @Operation
  public void work() {
    long claimed = entry.claim();
    if (claimed != RangeEntry.NONE) {
      entry.runChunk(claimed);
      checkDoneMeansFinished();
    }
  }

  /** Claims and runs chunks until none is left. */
  @Operation
  public void workAll() {
    for (long claimed; (claimed = entry.claim()) != RangeEntry.NONE; ) {
      entry.runChunk(claimed);
    }
    checkDoneMeansFinished();
  }

  /** Makes the poisoned unit throw if it has not run yet. */
  @Operation
  public void poison() {
    poisoned = true;
  }

  /** Stops the entry early, as a search that found its match does. */
  @Operation
  public void stop() {
    stopped = true; // before the skip, so whoever sees the entry done through it sees the flag
    entry.skipRest();
    checkDoneMeansFinished();
  }

  private void checkDoneMeansFinished() {
    if (entry.isDone() && entry.failure() == null && !stopped) {
      for (int i = 0; i < UNITS; i++) {
        if (ran.get(i) != 1) {
          throw new IllegalStateException("done, but unit " + i + " ran " + ran.get(i) + " times");
        }
      }
    }
  }

  @Validate
  public void validate() {
    for (int i = 0; i < UNITS; i++) {
      if (ran.get(i) > 1) {
        throw new IllegalStateException("unit " + i + " ran " + ran.get(i) + " times");
      }
    }
    if (entry.isDone() != entry.isExhausted()) {
      throw new IllegalStateException("done = " + entry.isDone() + " but exhausted = " + entry.isExhausted());
    }
    if (entry.failure() != null) {
      if (!"unit 3".equals(entry.failure().getCause().getMessage()) || ran.get(POISONED) != 0) {
        throw new IllegalStateException("wrong failure: " + entry.failure());
      }
    } else if (entry.isDone() && !stopped) {
      for (int i = 0; i < UNITS; i++) {
        if (ran.get(i) != 1) {
          throw new IllegalStateException("unit " + i + " ran " + ran.get(i) + " times");
        }
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void modelChecking() {
    new ModelCheckingOptions()
        .iterations(ITERATIONS)
        .invocationsPerIteration(1_000)
        .threads(3)
        .actorsPerThread(2)
        .actorsBefore(0) // a stop or workAll before the parallel part would leave nothing to race on
        .actorsAfter(0)
        .check(getClass());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void stress() {
    new StressOptions()
        .iterations(ITERATIONS)
        .invocationsPerIteration(1_000)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(0)
        .actorsAfter(0)
        .check(getClass());
  }
}
