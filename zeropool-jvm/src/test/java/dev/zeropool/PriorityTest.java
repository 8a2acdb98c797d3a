package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Tiers through every submission form: with the only worker held, work is queued in both tiers in
 * an interleaved order; once released, the worker runs every foreground task (in submission order)
 * before any background task (in submission order). Waits are timed awaits, which never run tasks
 * on the caller, so only the worker decides the order.
 */
class PriorityTest {

  @Test
  void everyFormOfForegroundWorkRunsBeforeQueuedBackgroundWork() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    TaskFn<String> record = order::add;
    TaskOptions background = TaskOptions.DEFAULT.withPriority(Priority.BACKGROUND);
    TaskOptions foreground = TaskOptions.BACKGROUND.withPriority(Priority.FOREGROUND);
    ZeroPool pool = ZeroPool.create(1);
    try {
      Gate gate = Gate.hold(pool);
      List<TaskFuture> futures;
      try {
        futures = List.of(
            pool.submitTask(record, "b1", TaskOptions.BACKGROUND),
            pool.submitTask(record, "f1"),
            pool.submitTask(record, "b2", background),
            pool.submitTask(record, "f2", foreground),
            pool.submitBatch(record, new String[] {"b3", "b4"}, TaskOptions.BACKGROUND),
            pool.submitBatch(record, List.of("f3", "f4"), TaskOptions.DEFAULT),
            pool.submitBatch(TaskBatch.builder().add(record, "b5").build(), background),
            pool.submitBatch(TaskBatch.builder().add(record, "f5").build()));
        pool.execute(() -> order.add("f6"));
      } finally {
        gate.release();
      }
      for (TaskFuture f : futures) {
        Waits.done(f);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of("f1", "f2", "f3", "f4", "f5", "f6", "b1", "b2", "b3", "b4", "b5"), order);
  }

  @Test
  void optionsKeepWhatTheyWereNotAskedToChange() {
    CancellationToken token = new CancellationToken();
    TaskOptions options = TaskOptions.BACKGROUND.cancelledBy(token);
    assertSame(Priority.BACKGROUND, options.priority());
    assertSame(token, options.token());
    TaskOptions raised = options.withPriority(Priority.FOREGROUND);
    assertSame(Priority.FOREGROUND, raised.priority());
    assertSame(token, raised.token(), "withPriority keeps the token");
    assertSame(Priority.FOREGROUND, TaskOptions.DEFAULT.priority());
    assertEquals(null, TaskOptions.DEFAULT.token());
    assertEquals("priority", assertThrows(NullPointerException.class, () -> options.withPriority(null)).getMessage());
    assertEquals("token", assertThrows(NullPointerException.class, () -> options.cancelledBy(null)).getMessage());
    assertTrue(raised.toString().contains("FOREGROUND") && raised.toString().contains("active"), raised.toString());
    token.cancel();
    assertTrue(token.isCancelled());
    assertTrue(raised.toString().contains("cancelled"), raised.toString());
  }
}
