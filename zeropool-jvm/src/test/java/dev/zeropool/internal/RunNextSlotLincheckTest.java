package dev.zeropool.internal;

import dev.zeropool.LincheckRuns;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of {@link RunNextSlot} against a sequential slot: the owner's puts and takes (one
 * non-parallel group, as only the owner puts) against thieves stealing and waiters taking back their
 * own task ({@link RunNextSlot#remove}) from other threads. A task that two exits both returned would
 * show up as a result no sequential order gives. Two fixed tasks, so that a waiter's exact task may or
 * may not be the one in the slot. Iterations: {@code -Dzeropool.lincheck.iterations} (small in CI).
 */
public class RunNextSlotLincheckTest {

  private static final LocalQueueLincheckTest.Task FIRST = new LocalQueueLincheckTest.Task(1);
  private static final LocalQueueLincheckTest.Task SECOND = new LocalQueueLincheckTest.Task(2);

  private final RunNextSlot slot = new RunNextSlot();

  @Operation(nonParallelGroup = "owner")
  public Integer putFirst() {
    return LocalQueueLincheckTest.valueOf(slot.put(FIRST));
  }

  @Operation(nonParallelGroup = "owner")
  public Integer putSecond() {
    return LocalQueueLincheckTest.valueOf(slot.put(SECOND));
  }

  @Operation(nonParallelGroup = "owner")
  public Integer take() {
    return LocalQueueLincheckTest.valueOf(slot.take());
  }

  @Operation
  public Integer steal() {
    return LocalQueueLincheckTest.valueOf(slot.steal());
  }

  @Operation
  public boolean removeFirst() {
    return slot.remove(FIRST);
  }

  @Operation
  public boolean isEmpty() {
    return slot.isEmpty();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void modelChecking() {
    LincheckRuns.modelCheck(getClass(), SequentialSlot.class);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void stress() {
    LincheckRuns.stress(getClass(), SequentialSlot.class);
  }

  /** The specification: one place, each exit empties it. */
  public static final class SequentialSlot {
    private Integer task;

    private Integer replace(Integer next) {
      Integer previous = task;
      task = next;
      return previous;
    }

    public Integer putFirst() {
      return replace(1);
    }

    public Integer putSecond() {
      return replace(2);
    }

    public Integer take() {
      return replace(null);
    }

    public Integer steal() {
      return replace(null);
    }

    public boolean removeFirst() {
      return Objects.equals(task, 1) && replace(null) != null;
    }

    public boolean isEmpty() {
      return task == null;
    }
  }
}
