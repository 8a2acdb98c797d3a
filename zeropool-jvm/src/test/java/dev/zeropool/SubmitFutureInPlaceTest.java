package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The untimed {@code get()} of a {@code submit} future runs a task that no worker has started in place
 * (the only worker is held in a {@link Gate} here), and reports an interrupt that lands in that run
 * as the {@code ExecutorService} contract asks.
 */
class SubmitFutureInPlaceTest {

  private ZeroPool pool;
  private Gate gate;

  @BeforeEach
  void holdTheOnlyWorker() throws InterruptedException {
    pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
    gate = Gate.hold(pool);
  }

  @AfterEach
  void releaseAndStop() {
    gate.release();
    pool.shutdownNow();
    Thread.interrupted(); // never leak an interrupt into the next test
  }

  @Test
  void aGetWithAPendingInterruptThrowsAtOnceAndDoesNotRunTheTask() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    Future<Integer> queued = pool.submit(ran::incrementAndGet);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, queued::get);
    assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was consumed by the exception");
    assertEquals(0, ran.get(), "an interrupted get does not start the task");
    assertFalse(queued.isDone());
    gate.release();
    assertEquals(1, queued.get(Waits.SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void aStopDuringAnInPlaceRunNeitherCancelsTheTaskNorHandsItBack() throws Exception {
    AtomicReference<List<Runnable>> handedBack = new AtomicReference<>();
    Future<String> queued = pool.submit(() -> {
      handedBack.set(pool.shutdownNow()); // its queue slot is still there: the caller runs it out of band
      return "ran";
    });
    assertEquals("ran", queued.get(), "the task ran: its future keeps its value");
    assertFalse(handedBack.get().contains(queued), "a task that started is not handed back as never started");
  }

  @Test
  void aGetThatRunsTheTaskInPlaceReturnsItsValue() throws Exception {
    Future<Thread> queued = pool.submit(Thread::currentThread);
    assertEquals(Thread.currentThread(), queued.get(), "run in place by the waiting caller");
  }

  @Test
  void aTaskRunInPlaceThatThrowsInterruptedExceptionMakesGetThrowItAndKeepsTheOutcome() throws Exception {
    Future<Object> queued = pool.submit(() -> {
      throw new InterruptedException("thrown by the task");
    });
    assertThrows(InterruptedException.class, queued::get);
    assertTrue(queued.isDone(), "the task ran in place");
    ExecutionException outcome = assertThrows(ExecutionException.class, () -> queued.get(0, TimeUnit.SECONDS));
    assertInstanceOf(InterruptedException.class, outcome.getCause(), "the outcome stays in the future");
  }

  @Test
  void aTaskRunInPlaceThatLeavesTheInterruptSetMakesGetThrowAndKeepsTheValue() throws Exception {
    Future<Integer> queued = pool.submit(() -> {
      Thread.currentThread().interrupt();
      return 42;
    });
    InterruptedException thrown = assertThrows(InterruptedException.class, queued::get);
    assertTrue(String.valueOf(thrown.getMessage()).contains("its outcome stays in the future"),
        "the exception says the task ran in place: " + thrown.getMessage());
    assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was consumed by the exception");
    assertEquals(42, queued.get(0, TimeUnit.SECONDS), "the value stays in the future");
  }
}
