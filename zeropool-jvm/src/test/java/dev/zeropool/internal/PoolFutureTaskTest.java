package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link PoolFutureTask#get()} on the test thread, with the in-place run replaced to act at that point. */
class PoolFutureTaskTest {

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void anInterruptThatLandsWhileAnotherThreadHasTheTaskMakesGetThrow() {
    AtomicInteger ran = new AtomicInteger();
    PoolFutureTask<Integer> future = new PoolFutureTask<>(ran::incrementAndGet, 0L);
    future.runInPlaceAs(() -> {
      // As if a worker had started the task first (the in-place run then does nothing) and the caller
      // was interrupted meanwhile; the worker's run is cancelled so that nothing is left waiting.
      future.cancel(false);
      Thread.currentThread().interrupt();
    });
    InterruptedException thrown = assertThrows(InterruptedException.class, future::get);
    assertNull(thrown.getMessage(), "not run in place: the plain interrupt of a wait");
    assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was consumed by the exception");
    assertEquals(0, ran.get());
    assertTrue(future.isCancelled());
    assertThrows(CancellationException.class, future::get);
  }
}
