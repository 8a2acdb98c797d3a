package dev.zeropool.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-checks the non-blocking part of {@link Completion}: concurrent countdowns, failures,
 * cancellation with the skip of a task that has not started, a zero-timeout await, and waiters that
 * do not park (callbacks and {@code CompletableFuture} views) behave like a sequential countdown.
 * After each scenario a validation checks that every callback registered so far fired exactly once
 * if the submission is done and none fired if it is not, and that every view agrees with the
 * submission. (Parking waiters are covered by the pool's tests: Lincheck cannot check operations
 * that park.) Three tasks, and each of the three operations that finish a task runs at most once
 * per scenario ({@code runOnce}), so a scenario completes the submission when it has all three and
 * never counts down past zero.
 *
 * <p>A task that starts is modelled only by its end ({@link #taskDone}): a {@code cancel()} between a
 * task's start and its end returns true although that task still runs, as documented, so the start
 * is not an operation of the specification.
 */
public class CompletionLincheckTest {

  private static final int TASKS = 3;
  private static final int ITERATIONS = Integer.getInteger("zeropool.lincheck.iterations", 30);

  private final Completion completion = new Completion(null, TASKS, false, null);
  /** Countdowns made; the submission completed when it reached {@link #TASKS}. */
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicInteger registered = new AtomicInteger();
  private final AtomicInteger fired = new AtomicInteger();
  private final List<CompletableFuture<Void>> views = new CopyOnWriteArrayList<>();

  private void countDown() {
    completion.tasksDone(1);
    finished.incrementAndGet();
  }

  @Operation(runOnce = true)
  public void taskDone() {
    countDown();
  }

  @Operation(runOnce = true)
  public void taskFailed() {
    completion.taskFailed(new IllegalStateException());
    countDown();
  }

  /** What a worker does with a task it is about to start if the submission was cancelled: skip it. */
  @Operation(runOnce = true)
  public boolean skipIfCancelled() {
    if (completion.shouldSkip()) {
      completion.taskSkipped();
      countDown();
      return true;
    }
    return false;
  }

  @Operation
  public boolean cancel() {
    return completion.cancel();
  }

  @Operation
  public boolean isDone() {
    return completion.isDone();
  }

  /** Whether join would throw (the cause may be a task's failure or the skip's cancellation). */
  @Operation
  public boolean failed() {
    return completion.failure() != null;
  }

  @Operation
  public String awaitWithoutWaiting() throws InterruptedException {
    try {
      return completion.await(0, TimeUnit.SECONDS) ? "done" : "running";
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      return "failed";
    }
  }

  @Operation
  public void whenDone() {
    registered.incrementAndGet();
    completion.whenDone(e -> fired.incrementAndGet());
  }

  @Operation
  public void view() {
    views.add(completion.toCompletableFuture());
  }

  @Validate
  public void everyWaiterFiredExactlyOnceIfDone() {
    boolean done = finished.get() >= TASKS;
    int expected = done ? registered.get() : 0;
    if (fired.get() != expected) {
      throw new IllegalStateException("done = " + done + ", " + registered.get() + " callbacks registered, "
          + fired.get() + " fired");
    }
    for (CompletableFuture<Void> view : views) {
      if (view.isDone() != done) {
        throw new IllegalStateException("view " + view + " disagrees with " + completion);
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
        .sequentialSpecification(SequentialCountdown.class)
        .check(getClass());
  }

  /** The specification: a countdown that remembers whether any task failed or was skipped. */
  public static final class SequentialCountdown {
    private int pending = TASKS;
    private boolean failed;
    private boolean cancelled;

    public void taskDone() {
      pending--;
    }

    public void taskFailed() {
      failed = true;
      pending--;
    }

    public boolean skipIfCancelled() {
      if (!cancelled) {
        return false;
      }
      pending--;
      failed = true;
      return true;
    }

    public boolean cancel() {
      if (pending == 0) {
        return false;
      }
      cancelled = true;
      return true;
    }

    public boolean isDone() {
      return pending == 0;
    }

    public boolean failed() {
      return pending == 0 && failed;
    }

    public String awaitWithoutWaiting() {
      return pending != 0 ? "running" : failed ? "failed" : "done";
    }

    public void whenDone() {}

    public void view() {}
  }
}
