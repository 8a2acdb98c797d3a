package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The small public value classes on their own, without a pool: what they hold, what their builders
 * and copies keep, and how they print (their {@code toString} is what logs and failure messages show).
 */
class ValueClassesTest {

  static final TaskFn<Object> FIRST = p -> { };
  static final TaskFn<String> SECOND = p -> { };

  @Test
  void aCancellationTokenStartsActiveAndStaysCancelled() {
    CancellationToken token = new CancellationToken();
    assertFalse(token.isCancelled());
    assertEquals("CancellationToken[active]", token.toString());
    token.cancel();
    token.cancel();
    assertTrue(token.isCancelled());
    assertEquals("CancellationToken[cancelled]", token.toString());
  }

  @Test
  void taskOptionsKeepTheirPriorityAndToken() {
    assertEquals(Priority.FOREGROUND, TaskOptions.DEFAULT.priority());
    assertNull(TaskOptions.DEFAULT.token());
    assertEquals(Priority.BACKGROUND, TaskOptions.BACKGROUND.priority());
    assertEquals("TaskOptions[FOREGROUND]", TaskOptions.DEFAULT.toString());
    CancellationToken token = new CancellationToken();
    TaskOptions options = TaskOptions.BACKGROUND.cancelledBy(token);
    assertSame(token, options.token());
    assertEquals(Priority.BACKGROUND, options.priority());
    assertEquals("TaskOptions[BACKGROUND, CancellationToken[active]]", options.toString());
    assertNull(TaskOptions.BACKGROUND.token(), "a copy never changes the original");
  }

  @Test
  void poolCountersAddWhatTheyAreTold() {
    PoolCounters counters = new PoolCounters();
    counters.tasksSubmitted(5);
    counters.tasksSubmitted(2);
    counters.tasksCompleted(3);
    counters.taskFailed();
    counters.taskFailed();
    counters.tasksCancelled(4);
    counters.tasksRejected(6);
    counters.workerWokeUp();
    assertEquals(7, counters.submitted());
    assertEquals(3, counters.completed());
    assertEquals(2, counters.failed());
    assertEquals(4, counters.cancelled());
    assertEquals(6, counters.rejected());
    assertEquals(1, counters.wakeUps());
    assertEquals("PoolCounters[submitted=7, completed=3, failed=2, cancelled=4, rejected=6, wakeUps=1]",
        counters.toString());
  }

  @Test
  void aTaskBatchKeepsItsTasksInOrder() {
    TaskBatch.Builder builder = TaskBatch.builder().add(FIRST, null).addAll(SECOND, "a", "b")
        .addAll(SECOND, List.of("c"));
    assertEquals(4, builder.size());
    TaskBatch batch = builder.build();
    assertEquals(4, batch.size());
    assertSame(FIRST, batch.fn(0));
    assertNull(batch.params(0));
    assertSame(SECOND, batch.fn(1));
    assertEquals("a", batch.params(1));
    assertEquals("b", batch.params(2));
    assertEquals("c", batch.params(3));
    assertEquals("TaskBatch[4 tasks]", batch.toString());
    assertSame(TaskBatch.empty(), TaskBatch.builder().build());
    assertEquals(0, TaskBatch.empty().size());
    assertEquals("TaskBatch[0 tasks]", TaskBatch.empty().toString());
  }

  @Test
  void anUncheckedHandleRunsItsBodyAndLetsItsCheckedExceptionOutAsItIs() {
    java.io.IOException thrown = new java.io.IOException("a checked failure");
    java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
    TaskFn<String> fn = TaskFn.unchecked(p -> {
      seen.set(p);
      throw thrown;
    });
    assertSame(thrown, org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> fn.run("x")));
    assertEquals("x", seen.get());
  }
}
