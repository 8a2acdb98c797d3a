package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Lifecycle} on its own, one step at a time: the states only move forward, the count of live
 * threads decides termination, and a thread cannot count itself in once the pool has terminated.
 */
class LifecycleStatesTest {

  @Test
  void theStateOnlyMovesForward() {
    Lifecycle life = new Lifecycle(1);
    assertEquals("Running", life.stateName());
    assertFalse(life.isShutdown());
    life.advanceTo(Lifecycle.STOP);
    assertEquals("Stopping", life.stateName());
    life.advanceTo(Lifecycle.SHUTDOWN);
    assertEquals("Stopping", life.stateName(), "no step back");
    assertTrue(life.isShutdown());
    assertTrue(life.isStopping());
    assertFalse(life.isTerminated());
  }

  @Test
  void theFirstStopReasonIsKept() {
    Lifecycle life = new Lifecycle(1);
    life.advanceTo(Lifecycle.SHUTDOWN);
    assertEquals("Shutting down", life.stateName());
    assertFalse(life.isStopping());
    life.stop("first");
    life.stop("second");
    assertEquals("first", life.stopReason());
    assertTrue(life.isStopping());
  }

  @Test
  void theLastThreadToEndTerminatesAndNoThreadMayStartAfterIt() throws InterruptedException {
    Lifecycle life = new Lifecycle(1);
    assertTrue(life.threadStarting(), "a compensating thread counts itself in");
    life.advanceTo(Lifecycle.SHUTDOWN);
    life.threadEnded();
    assertFalse(life.isTerminated(), "one thread is still live");
    assertFalse(life.awaitTermination(0, TimeUnit.NANOSECONDS));
    life.threadEnded();
    assertTrue(life.isTerminated());
    assertEquals("Terminated", life.stateName());
    assertTrue(life.awaitTermination(0, TimeUnit.NANOSECONDS));
    assertFalse(life.threadStarting(), "a terminated pool starts no thread");
    assertFalse(life.threadStarting(), "and counts none in");
  }
}
