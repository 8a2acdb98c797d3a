package dev.zeropool.pinned;

import dev.zeropool.LincheckRuns;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of {@link MpscInbox}'s non-blocking operations against a sequential FIFO that can be
 * shut down: offers from several producers, shutdown from any thread, and the single consumer's
 * one-message drain and state check (in one non-parallel group, as only one thread consumes). Rings
 * of two slots growing to four force the full-ring close and the successor hand-over on almost every
 * operation. The parking around it is covered by {@code PinnedPoolStressTest}.
 * Iterations: {@code -Dzeropool.lincheck.iterations} (small in CI).
 */
public class MpscInboxLincheckTest {

  private static final Object OP = new Object();

  private final MpscInbox inbox = new MpscInbox(2, 4);

  @Operation
  public boolean offer(int value) {
    return inbox.offer(OP, value, null, null);
  }

  @Operation
  public boolean shutdown() {
    return inbox.shutdown();
  }

  @Operation(nonParallelGroup = "consumer")
  public Long poll() {
    long[] taken = {Long.MIN_VALUE};
    inbox.drain((op, id, param, future) -> taken[0] = id, 1);
    return taken[0] == Long.MIN_VALUE ? null : taken[0];
  }

  @Operation(nonParallelGroup = "consumer")
  public int state() {
    return inbox.state();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void modelChecking() {
    LincheckRuns.modelCheck(getClass(), SequentialInbox.class);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void stress() {
    LincheckRuns.stress(getClass(), SequentialInbox.class);
  }

  /** The specification: a FIFO that refuses offers once shut down. */
  public static final class SequentialInbox {
    private final ArrayDeque<Long> fifo = new ArrayDeque<>();
    private boolean shutDown;

    public boolean offer(int value) {
      return !shutDown && fifo.add((long) value);
    }

    public boolean shutdown() {
      boolean first = !shutDown;
      shutDown = true;
      return first;
    }

    public Long poll() {
      return fifo.poll();
    }

    public int state() {
      return !fifo.isEmpty() ? MpscInbox.READY : shutDown ? MpscInbox.TERMINATED : MpscInbox.EMPTY;
    }
  }
}
