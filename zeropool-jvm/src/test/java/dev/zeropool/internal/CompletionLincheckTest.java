package dev.zeropool.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-checks the non-blocking part of {@link Completion}: concurrent countdowns, failures,
 * cancellation and the done check behave like a sequential countdown (parking waiters are covered by
 * the pool's stress tests: Lincheck cannot check operations that park). Six tasks, so no scenario
 * (3 threads x 2 operations) counts down past zero.
 */
public class CompletionLincheckTest {

  private static final int TASKS = 6;
  private static final int ITERATIONS = Integer.getInteger("zeropool.lincheck.iterations", 30);

  private final Completion completion = new Completion(null, TASKS, false, null);

  @Operation
  public void taskDone() {
    completion.tasksDone(1);
  }

  @Operation
  public void taskFailed() {
    completion.taskFailed(new IllegalStateException());
    completion.tasksDone(1);
  }

  @Operation
  public boolean cancel() {
    return completion.cancel();
  }

  @Operation
  public boolean isDone() {
    return completion.isDone();
  }

  /** The failure join would throw, as the class of its cause (or null). */
  @Operation
  public String failure() {
    CompletionException e = completion.failure();
    return e == null ? null : e.getCause().getClass().getSimpleName();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void modelChecking() {
    new ModelCheckingOptions()
        .iterations(ITERATIONS)
        .invocationsPerIteration(1_000)
        .threads(3)
        .actorsPerThread(2)
        .sequentialSpecification(SequentialCountdown.class)
        .check(getClass());
  }

  /** The specification: a countdown that remembers whether any task failed. */
  public static final class SequentialCountdown {
    private int pending = TASKS;
    private boolean failed;

    public void taskDone() {
      pending--;
    }

    public void taskFailed() {
      failed = true;
      pending--;
    }

    public boolean cancel() {
      return pending != 0;
    }

    public boolean isDone() {
      return pending == 0;
    }

    public String failure() {
      return pending == 0 && failed ? "IllegalStateException" : null;
    }
  }
}
