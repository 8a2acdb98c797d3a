package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SpinWait#untilDone}: it answers whether the future is done, spins no longer than its window
 * and not shorter either (only lower bounds of time are checked: a loaded machine can only make a spin
 * longer).
 */
class SpinWaitTest {

  /** A future that is done from its {@code doneAt}-th look on, counting the looks. */
  private static final class DoneAfterLooks extends FutureTask<Void> {
    private final int doneAt;
    int looks;

    DoneAfterLooks(int doneAt) {
      super(() -> null);
      this.doneAt = doneAt;
    }

    @Override
    public boolean isDone() {
      return ++looks >= doneAt;
    }
  }

  @Test
  void withoutAWindowItLooksOnceAndAnswers() {
    assertTrue(SpinWait.untilDone(CompletableFuture.completedFuture(1), 0));
    DoneAfterLooks notYet = new DoneAfterLooks(2);
    assertFalse(SpinWait.untilDone(notYet, 0));
    assertEquals(1, notYet.looks, "one look, no spin");
    assertFalse(SpinWait.untilDone(new CompletableFuture<>(), -1_000));
  }

  @Test
  void aFutureThatIsDoneEndsTheSpinAtOnce() {
    DoneAfterLooks soon = new DoneAfterLooks(3);
    assertTrue(SpinWait.untilDone(soon, TimeUnit.SECONDS.toNanos(60)), "done at the third look");
    assertEquals(3, soon.looks);
    assertTrue(SpinWait.untilDone(CompletableFuture.completedFuture(1), TimeUnit.SECONDS.toNanos(60)));
  }

  @Test
  void aFutureThatStaysOpenIsWaitedForTheWholeWindowThenGivenUp() {
    long window = TimeUnit.MILLISECONDS.toNanos(20);
    DoneAfterLooks never = new DoneAfterLooks(Integer.MAX_VALUE);
    long start = System.nanoTime();
    assertFalse(SpinWait.untilDone(never, window));
    long spun = System.nanoTime() - start;
    assertTrue(spun >= window, "gave up after " + spun + " ns of a " + window + " ns window");
    assertTrue(never.looks > 1, "it looked again while spinning: " + never.looks);
  }
}
