package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link TaskFn#unchecked(ThrowingTaskFn)}: checked exceptions reach the future as they were thrown. */
class ThrowingTaskFnTest {

  /** Input, output, and the exception to throw instead, if any. */
  static final class Job {
    final int in;
    final Exception toThrow;
    int out;

    Job(int in, Exception toThrow) {
      this.in = in;
      this.toThrow = toThrow;
    }
  }

  /** Stands in for a call that declares a checked exception. */
  static int parse(Job j) throws Exception {
    if (j.toThrow != null) {
      throw j.toThrow;
    }
    return j.in * 10;
  }

  static final TaskFn<Job> PARSE = TaskFn.unchecked(j -> j.out = parse(j));

  @Test
  void aCheckedExceptionIsTheFuturesCauseUnwrapped() throws Exception {
    LinkedBlockingQueue<Object> handled = new LinkedBlockingQueue<>();
    try (ZeroPool pool = ZeroPool.builder().workers(2).failureHandler((fn, params, error) -> {
      handled.add(fn);
      handled.add(error);
    }).build()) {
      IOException io = new IOException("disk");
      CompletionException joined = assertThrows(CompletionException.class,
          () -> pool.submitTask(PARSE, new Job(1, io)).join());
      assertSame(io, joined.getCause());
      assertSame(PARSE, handled.poll(5, TimeUnit.SECONDS));
      assertSame(io, handled.poll(5, TimeUnit.SECONDS));

      InterruptedException interrupted = new InterruptedException("checked too");
      ExecutionException viaCompletableFuture = assertThrows(ExecutionException.class,
          () -> pool.submitTask(PARSE, new Job(2, interrupted)).toCompletableFuture().get());
      assertSame(interrupted, viaCompletableFuture.getCause());

      IllegalStateException unchecked = new IllegalStateException("plain");
      assertSame(unchecked, assertThrows(CompletionException.class,
          () -> pool.submitTask(PARSE, new Job(3, unchecked)).join()).getCause());
    }
  }

  @Test
  void successfulTasksWriteTheirResultsAndTheHandleIsReusable() {
    try (ZeroPool pool = ZeroPool.create(2)) {
      List<Job> jobs = List.of(new Job(1, null), new Job(2, null), new Job(3, null));
      for (int round = 0; round < 3; round++) {
        pool.submitBatch(PARSE, jobs).join();
      }
      assertEquals(List.of(10, 20, 30), jobs.stream().map(j -> j.out).toList());
    }
  }

  @Test
  void aNullBodyIsRefusedNamingTheArgument() {
    assertEquals("fn",
        assertThrows(NullPointerException.class, () -> TaskFn.unchecked(null)).getMessage());
  }
}
