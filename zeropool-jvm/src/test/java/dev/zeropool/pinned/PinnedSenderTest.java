package dev.zeropool.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link PinnedSender#inCompletionOrder}: its iterator's end, and an interrupt while it waits. */
class PinnedSenderTest {

  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);

  @Test
  void theIteratorEndsAfterTheLastFutureAndANextBeyondItThrowsInsteadOfWaiting() throws Exception {
    CompletableFuture<String> later = new CompletableFuture<>();
    List<CompletableFuture<String>> futures = List.of(CompletableFuture.completedFuture("a"), later);
    Iterator<CompletableFuture<String>> it = PinnedSender.inCompletionOrder(futures).iterator();
    Set<String> seen = new HashSet<>();
    assertTrue(it.hasNext());
    seen.add(it.next().join());
    later.complete("b");
    assertTrue(it.hasNext());
    seen.add(it.next().join());
    assertEquals(Set.of("a", "b"), seen);
    assertFalse(it.hasNext(), "two futures, two responses");
    // Beyond the end: a NoSuchElementException at once, on a helper thread so that a wait for a third
    // response (which never comes) fails the bounded get below instead of hanging the test.
    CompletableFuture<Object> beyond = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        beyond.complete(it.next());
      } catch (Throwable e) {
        beyond.completeExceptionally(e);
      }
    }, "next-beyond-the-end");
    t.setDaemon(true);
    t.start();
    ExecutionException e = assertThrows(ExecutionException.class, () -> beyond.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertInstanceOf(java.util.NoSuchElementException.class, e.getCause());
  }

  @Test
  void anInterruptDuringNextDoesNotLoseTheResponseAndIsKept() {
    Iterator<CompletableFuture<Integer>> it =
        PinnedSender.inCompletionOrder(List.of(CompletableFuture.completedFuture(1))).iterator();
    Thread.currentThread().interrupt();
    CompletableFuture<Integer> next;
    try {
      next = it.next(); // the queue's take sees the interrupt first and throws; next() waits on
    } finally {
      assertTrue(Thread.interrupted(), "next() restores the caller's interrupt"); // and clears it again
    }
    assertEquals(1, next.join());
    assertFalse(it.hasNext());
  }
}
