package dev.zeropool.internal;

import dev.zeropool.LincheckRuns;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-checks how a batch's range entry hands out its tasks: concurrent guided claims and a stop's
 * claim of the rest never give one task to two claimers, and the batch is done exactly when every task
 * was claimed and counted down. Chunk sizes depend on how stale a claimer's read of the cursor was, so
 * the operations record their chunks and a validation checks the invariants after each scenario.
 */
public class RangeCompletionLincheckTest {

  private static final int TASKS = 10;

  private final RangeCompletion entry =
      new RangeCompletion(null, t -> { }, null, new Object[TASKS], TASKS, false, null);
  /** How many claims covered each task. */
  private final AtomicIntegerArray claims = new AtomicIntegerArray(TASKS);

  /** Claims a guided chunk, records it and counts it down. */
  @Operation
  public void claimChunk() {
    record(entry.claim());
  }

  /** A stop's hand-back: claims everything left, records it and counts it down. */
  @Operation
  public void claimRest() {
    record(entry.claimRest());
  }

  private void record(long claimed) {
    if (claimed == RangeCompletion.NONE) {
      return;
    }
    int from = (int) (claimed >>> 32);
    int to = (int) claimed;
    for (int i = from; i < to; i++) {
      claims.incrementAndGet(i);
    }
    entry.tasksDone(to - from);
  }

  @Validate
  public void eachTaskClaimedAtMostOnceAndDoneIffAllClaimed() {
    boolean all = true;
    for (int i = 0; i < TASKS; i++) {
      int c = claims.get(i);
      if (c > 1) {
        throw new IllegalStateException("task " + i + " was claimed " + c + " times");
      }
      all &= c == 1;
    }
    if (all != entry.isDone()) {
      throw new IllegalStateException("done = " + entry.isDone() + " but all claimed = " + all);
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void modelChecking() {
    LincheckRuns.modelCheck(getClass(), null);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void stress() {
    LincheckRuns.stress(getClass(), null);
  }
}
