package dev.zeropool.internal;

import dev.zeropool.LincheckRuns;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of {@link LocalQueue} against a bounded sequential FIFO: the owner's adds and takes
 * (one non-parallel group, as only the owner adds) against thieves taking from other threads. A ring
 * of two slots makes almost every add reuse a slot whose task a thief may still be taking, and makes
 * the owner clear slots that thieves left behind: an add may refuse only when the FIFO is full.
 * Iterations: {@code -Dzeropool.lincheck.iterations} (small in CI).
 */
public class LocalQueueLincheckTest {

  private static final int CAPACITY = 2;

  private final LocalQueue queue = new LocalQueue(CAPACITY);

  @Operation(nonParallelGroup = "owner")
  public boolean offer(int value) {
    return queue.offer(new Task(value));
  }

  @Operation(nonParallelGroup = "owner")
  public Integer poll() {
    return valueOf(queue.poll());
  }

  @Operation
  public Integer steal() {
    return valueOf(queue.steal());
  }

  @Operation
  public boolean isEmpty() {
    return queue.isEmpty(); // the size is a gauge's snapshot, not linearizable; emptiness is
  }

  /** The number a {@link Task} carries, or null for no task. */
  static Integer valueOf(Object task) {
    return task == null ? null : ((Task) task).value;
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void modelChecking() {
    LincheckRuns.modelCheck(getClass(), SequentialQueue.class);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void stress() {
    LincheckRuns.stress(getClass(), SequentialQueue.class);
  }

  /** A numbered task, so that the model can compare what came out. */
  record Task(int value) implements Runnable {
    @Override
    public void run() {}
  }

  /** The specification: a FIFO of {@link #CAPACITY} places. */
  public static final class SequentialQueue {
    private final ArrayDeque<Integer> fifo = new ArrayDeque<>();

    public boolean offer(int value) {
      return fifo.size() < CAPACITY && fifo.add(value);
    }

    public Integer poll() {
      return fifo.poll();
    }

    public Integer steal() {
      return fifo.poll();
    }

    public boolean isEmpty() {
      return fifo.isEmpty();
    }
  }
}
