package dev.zeropool.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ZeroPoolContextPropagation}: a thread-local registered with a {@code ThreadLocalAccessor},
 * and the current {@link Observation}, set by the submitting thread are visible inside the task on a
 * worker and gone from that worker after the task.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZeroPoolContextPropagationTest {

  /** Stands in for an MDC map or a tracing span: a thread-local the caller sets. */
  private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

  /** Reads the worker's value into {@code out[0]}; submitted by handle, so never decorated. */
  private static final TaskFn<String[]> READ_REQUEST_ID = out -> out[0] = REQUEST_ID.get();

  private static ContextRegistry registryWithRequestId() {
    ContextRegistry registry = new ContextRegistry();
    registry.registerThreadLocalAccessor("request-id", REQUEST_ID::get, REQUEST_ID::set, REQUEST_ID::remove);
    return registry;
  }

  @Test
  void aRegisteredThreadLocalIsCarriedOntoTheWorkerAndClearedAfter() throws Exception {
    ContextSnapshotFactory factory = ContextSnapshotFactory.builder()
        .contextRegistry(registryWithRequestId()).clearMissing(true).build();
    // One worker, so the worker read afterwards is the one that ran the tasks.
    try (ZeroPool pool = ZeroPool.builder().workers(1)
        .taskDecorator(ZeroPoolContextPropagation.decorator(factory)).build()) {
      REQUEST_ID.set("req-17");
      try {
        assertEquals("req-17", pool.submit(REQUEST_ID::get).get());
        assertEquals("req-17", CompletableFuture.supplyAsync(REQUEST_ID::get, pool).get());
        for (var f : pool.invokeAll(List.of(REQUEST_ID::get, REQUEST_ID::get))) {
          assertEquals("req-17", f.get());
        }
      } finally {
        REQUEST_ID.remove();
      }
      assertNull(pool.submit(REQUEST_ID::get).get(), "a caller without the value gives a task without it");

      String[] afterwards = {"unread"};
      assertTrue(pool.submitTask(READ_REQUEST_ID, afterwards).await(30, TimeUnit.SECONDS));
      assertNull(afterwards[0], "the worker keeps nothing after the task");
    }
  }

  @Test
  void theCurrentObservationIsTheCallersInsideTheTaskAndNoneAfter() throws Exception {
    ObservationRegistry observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(context -> true);
    ObservationThreadLocalAccessor.getInstance().setObservationRegistry(observations);
    // The default decorator uses the global ContextRegistry, which finds Micrometer's
    // ObservationThreadLocalAccessor on the class path by itself.
    try (ZeroPool pool = ZeroPool.builder().workers(1)
        .taskDecorator(ZeroPoolContextPropagation.decorator()).build()) {
      Observation checkout = Observation.createNotStarted("checkout", observations);
      // observeChecked starts the observation, opens its scope on this thread, runs, closes, stops.
      Observation seen = checkout.observeChecked(() -> pool.submit(observations::getCurrentObservation).get());
      assertSame(checkout, seen);
      assertNull(observations.getCurrentObservation(), "the caller's scope is closed");
      assertNull(pool.submit(observations::getCurrentObservation).get(), "the worker has none after");
    }
  }

  @Test
  void aNullFactoryIsRefused() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> ZeroPoolContextPropagation.decorator(null));
    assertEquals("factory", e.getMessage());
  }
}
