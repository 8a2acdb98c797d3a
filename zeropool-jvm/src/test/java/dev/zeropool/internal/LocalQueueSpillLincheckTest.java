package dev.zeropool.internal;

import dev.zeropool.LincheckRuns;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of {@link LocalQueue#takeOlderHalf} (the owner's spill of a full queue) against
 * thieves: the owner adds and takes halves, thieves take single tasks. A half is decided by the size
 * the owner read, so a thief that takes a task between that read and the owner's CAS must make the
 * owner retry with the new size; taking a half the spec would not take fails the model. Four slots,
 * so that halves of two are possible.
 */
public class LocalQueueSpillLincheckTest {

  private static final int CAPACITY = 4;

  private final LocalQueue queue = new LocalQueue(CAPACITY);

  @Operation(nonParallelGroup = "owner")
  public boolean offer(int value) {
    return queue.offer(new LocalQueueLincheckTest.Task(value));
  }

  @Operation(nonParallelGroup = "owner")
  public List<Integer> takeOlderHalf() {
    Object[] into = new Object[CAPACITY];
    int taken = queue.takeOlderHalf(into);
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < taken; i++) {
      values.add(LocalQueueLincheckTest.valueOf(into[i]));
    }
    return values;
  }

  @Operation
  public Integer steal() {
    return LocalQueueLincheckTest.valueOf(queue.steal());
  }

  /**
   * Two threads of two operations after five: the queue must hold three or more tasks when a half is
   * taken beside a steal, which the standard runs (three threads of three, no more before) rarely reach.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void modelChecking() {
    new ModelCheckingOptions()
        .iterations(4 * LincheckRuns.ITERATIONS)
        .invocationsPerIteration(1_000)
        .actorsBefore(5)
        .threads(2)
        .actorsPerThread(2)
        .sequentialSpecification(SequentialQueue.class)
        .check(getClass());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void stress() {
    LincheckRuns.stress(getClass(), SequentialQueue.class);
  }

  /** The specification: a FIFO of {@link #CAPACITY} places whose spill takes the older half, at least one. */
  public static final class SequentialQueue {
    private final ArrayDeque<Integer> fifo = new ArrayDeque<>();

    public boolean offer(int value) {
      return fifo.size() < CAPACITY && fifo.add(value);
    }

    public List<Integer> takeOlderHalf() {
      List<Integer> values = new ArrayList<>();
      int half = fifo.isEmpty() ? 0 : Math.max(1, fifo.size() / 2);
      for (int i = 0; i < half; i++) {
        values.add(fifo.poll());
      }
      return values;
    }

    public Integer steal() {
      return fifo.poll();
    }
  }
}
