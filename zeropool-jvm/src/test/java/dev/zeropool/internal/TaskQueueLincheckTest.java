package dev.zeropool.internal;

import dev.zeropool.LincheckRuns;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of {@link TaskQueue} against a sequential FIFO, with single and batch offers from
 * several producers, polls from several consumers and a shutdown racing them (every offer is either
 * accepted before it or refused after it; accepted work can still be polled). Rings of four slots
 * (batches of three) force the full-ring close, the successor hand-over and the drained-ring move on
 * almost every operation. Runs of several slots and the completion filter are checked by
 * {@link TaskQueueRunLincheckTest}.
 * Iterations: {@code -Dzeropool.lincheck.iterations} (small in CI).
 */
public class TaskQueueLincheckTest {

  private static final Object FN = new Object();
  private static final Object COMPLETION = new Object();

  private final TaskQueue queue = new TaskQueue(4, 8);

  @Operation
  public boolean offer(int value) {
    return queue.offer(FN, value, COMPLETION);
  }

  @Operation
  public int offerBatch(int value) {
    return queue.offerAll(FN, null, List.of(value, value + 100, value + 200), 3, COMPLETION);
  }

  @Operation
  public Integer poll() {
    RunClaim run = new RunClaim();
    if (queue.poll(run, 1, 1, null) == 0) {
      return null;
    }
    Integer value = (Integer) run.param(0);
    run.release(0);
    return value;
  }

  @Operation
  public boolean isEmpty() {
    return queue.isEmpty();
  }

  @Operation
  public void shutDown() {
    queue.shutDown();
  }

  @Operation
  public boolean isShutDown() {
    return queue.isShutDown();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void modelChecking() {
    LincheckRuns.modelCheck(getClass(), SequentialFifo.class);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void stress() {
    LincheckRuns.stress(getClass(), SequentialFifo.class);
  }

  /** The specification: a plain FIFO that refuses offers once shut down. */
  public static final class SequentialFifo {
    private final ArrayDeque<Integer> fifo = new ArrayDeque<>();
    private boolean shut;

    public boolean offer(int value) {
      return !shut && fifo.add(value);
    }

    public int offerBatch(int value) {
      if (shut) {
        return 0;
      }
      fifo.add(value);
      fifo.add(value + 100);
      fifo.add(value + 200);
      return 3;
    }

    public Integer poll() {
      return fifo.poll();
    }

    public boolean isEmpty() {
      return fifo.isEmpty();
    }

    public void shutDown() {
      shut = true;
    }

    public boolean isShutDown() {
      return shut;
    }
  }
}
