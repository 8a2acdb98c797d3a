package dev.zeropool.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeropool.CancellationToken;
import dev.zeropool.PoolCounters;
import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.TaskOptions;
import dev.zeropool.ZeroPool;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ZeroPoolMetricsTest {

  private static final TaskFn<AtomicInteger> INCREMENT = AtomicInteger::incrementAndGet;
  private static final TaskFn<Object> FAIL = p -> {
    throw new IllegalStateException("task failed on purpose");
  };
  /** Counts down {@code started[0]}, then waits for {@code release[1]}. */
  private static final TaskFn<CountDownLatch[]> BLOCK = latches -> {
    latches[0].countDown();
    try {
      latches[1].await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };

  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void countersFollowEveryOutcomeOfRealWork() throws InterruptedException {
    ZeroPool pool = ZeroPool.builder().workers(2).metrics(new PoolCounters()).build();
    new ZeroPoolMetrics(pool, "work", Tags.empty()).bindTo(registry);

    AtomicInteger ran = new AtomicInteger();
    AtomicInteger[] batch = new AtomicInteger[100];
    java.util.Arrays.fill(batch, ran);
    pool.submitBatch(INCREMENT, batch).join(); // 100 completed
    CountDownLatch executed = new CountDownLatch(3);
    for (int i = 0; i < 3; i++) {
      pool.execute(executed::countDown); // 3 completed
    }
    assertTrue(executed.await(10, TimeUnit.SECONDS));
    TaskFuture failing = pool.submitBatch(FAIL, new Object[] {"a", "b"}); // 2 failed
    assertThrows(CompletionException.class, failing::join);
    CancellationToken token = new CancellationToken();
    token.cancel();
    TaskFuture skipped = pool.submitBatch(INCREMENT, new AtomicInteger[] {ran, ran, ran, ran, ran},
        TaskOptions.DEFAULT.cancelledBy(token)); // 5 cancelled
    assertThrows(CancellationException.class, skipped::join); // thrown as itself, as CompletableFuture.join does

    // A worker counts a run after it has completed the run's future: wait for the workers to end,
    // so that every count is final.
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { })); // 1 rejected
    assertThrows(RejectedExecutionException.class, () -> pool.submitBatch(INCREMENT, batch)); // 100 rejected

    assertEquals(100, ran.get());
    assertEquals(110, count("zeropool.tasks.submitted", "work"));
    assertEquals(103, count("zeropool.tasks.completed", "work"));
    assertEquals(2, count("zeropool.tasks.failed", "work"));
    assertEquals(5, count("zeropool.tasks.cancelled", "work"));
    assertEquals(101, count("zeropool.tasks.rejected", "work"));
    assertEquals(pool.stats().wakeUps(), count("zeropool.wakeups", "work"));
    assertEquals(0, gauge("zeropool.tasks.queued", "work"));
  }

  @Test
  void shutdownNowHandsBackQueuedTasksAsCancelled() throws InterruptedException {
    ZeroPool pool = ZeroPool.builder().workers(1).metrics(new PoolCounters()).build();
    new ZeroPoolMetrics(pool, "stop", Tags.empty()).bindTo(registry);
    CountDownLatch[] latches = {new CountDownLatch(1), new CountDownLatch(1)};
    pool.submitTask(BLOCK, latches);
    assertTrue(latches[0].await(10, TimeUnit.SECONDS));
    AtomicInteger ran = new AtomicInteger();
    pool.submitBatch(INCREMENT, new AtomicInteger[] {ran, ran, ran, ran});

    assertEquals(4, pool.shutdownNow().size()); // interrupts the blocked task, which then returns
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));

    assertEquals(0, ran.get());
    assertEquals(5, count("zeropool.tasks.submitted", "stop"));
    assertEquals(1, count("zeropool.tasks.completed", "stop"));
    assertEquals(4, count("zeropool.tasks.cancelled", "stop"));
  }

  @Test
  void gaugesShowBusyParkedAndQueuedWhileWorkIsHeldUp() throws InterruptedException {
    try (ZeroPool pool = ZeroPool.builder().workers(2).metrics(new PoolCounters()).build()) {
      new ZeroPoolMetrics(pool, "gauges", Tags.empty()).bindTo(registry);
      assertEquals(2, gauge("zeropool.workers", "gauges"));
      awaitValue(2, () -> gauge("zeropool.workers.parked", "gauges")); // both idle before any work
      assertEquals(0, gauge("zeropool.workers.busy", "gauges"));
      double wakeUpsBefore = count("zeropool.wakeups", "gauges");

      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch first = new CountDownLatch(1);
      CountDownLatch second = new CountDownLatch(1);
      TaskFuture a = pool.submitTask(BLOCK, new CountDownLatch[] {first, release});
      TaskFuture b = pool.submitTask(BLOCK, new CountDownLatch[] {second, release});
      AtomicInteger ran = new AtomicInteger();
      TaskFuture queued;
      try {
        assertTrue(first.await(10, TimeUnit.SECONDS) && second.await(10, TimeUnit.SECONDS));
        queued = pool.submitBatch(INCREMENT, new AtomicInteger[] {ran, ran, ran});

        assertEquals(2, gauge("zeropool.workers.busy", "gauges"));
        assertEquals(0, gauge("zeropool.workers.parked", "gauges"));
        assertEquals(3, gauge("zeropool.tasks.queued", "gauges"));
        assertTrue(count("zeropool.wakeups", "gauges") >= wakeUpsBefore + 2, "each parked worker was woken");
      } finally {
        release.countDown(); // a failed assertion must not leave close() waiting for the blocked tasks
      }
      a.join();
      b.join();
      queued.join();
      assertEquals(3, ran.get());
      assertEquals(0, gauge("zeropool.tasks.queued", "gauges"));
      awaitValue(2, () -> gauge("zeropool.workers.parked", "gauges"));
      assertEquals(0, gauge("zeropool.workers.busy", "gauges"));
    }
  }

  @Test
  void withoutPoolCountersOnlyGaugesAndWakeUpsAreBound() {
    try (ZeroPool pool = ZeroPool.create(1)) {
      new ZeroPoolMetrics(pool, "plain", Tags.empty()).bindTo(registry);
      assertEquals(List.of("zeropool.tasks.queued", "zeropool.wakeups", "zeropool.workers",
          "zeropool.workers.busy", "zeropool.workers.parked"), meterNames());
      assertNull(registry.find("zeropool.tasks.submitted").functionCounter());
    }
  }

  @Test
  void monitorBindsWithTheNameAndExtraTagsAndReturnsThePool() {
    try (ZeroPool pool = ZeroPool.builder().workers(1).metrics(new PoolCounters()).build()) {
      assertSame(pool, ZeroPoolMetrics.monitor(registry, pool, "api", Tag.of("region", "eu")));
      pool.submitTask(INCREMENT, new AtomicInteger()).join();

      assertEquals(10, registry.getMeters().size());
      for (Meter meter : registry.getMeters()) {
        assertEquals("api", meter.getId().getTag("name"), meter.getId().toString());
        assertEquals("eu", meter.getId().getTag("region"), meter.getId().toString());
      }
      assertNotNull(registry.get("zeropool.tasks.submitted").tags("name", "api", "region", "eu").functionCounter());
      assertEquals(1, count("zeropool.tasks.submitted", "api"));
    }
  }

  @Test
  void twoPoolsAreToldApartByTheirNameTag() {
    try (ZeroPool small = ZeroPool.create(1); ZeroPool large = ZeroPool.create(3)) {
      ZeroPoolMetrics.monitor(registry, small, "small");
      ZeroPoolMetrics.monitor(registry, large, "large");
      assertEquals(1, gauge("zeropool.workers", "small"));
      assertEquals(3, gauge("zeropool.workers", "large"));
    }
  }

  @Test
  void nullArgumentsFailAtTheCallSite() {
    try (ZeroPool pool = ZeroPool.create(1)) {
      assertThrows(NullPointerException.class, () -> new ZeroPoolMetrics(null, "p", Tags.empty()));
      assertThrows(NullPointerException.class, () -> new ZeroPoolMetrics(pool, null, Tags.empty()));
      assertThrows(NullPointerException.class, () -> new ZeroPoolMetrics(pool, "p", null));
      assertThrows(NullPointerException.class, () -> ZeroPoolMetrics.monitor(null, pool, "p"));
    }
  }

  private double count(String name, String pool) {
    return registry.get(name).tag("name", pool).functionCounter().count();
  }

  private double gauge(String name, String pool) {
    return registry.get(name).tag("name", pool).gauge().value();
  }

  private List<String> meterNames() {
    return registry.getMeters().stream().map(m -> m.getId().getName()).sorted().collect(Collectors.toList());
  }

  /** Workers park asynchronously: polls until {@code value} reads {@code expected} (the class timeout bounds it). */
  private static void awaitValue(double expected, DoubleSupplier value) throws InterruptedException {
    while (value.getAsDouble() != expected) {
      Thread.sleep(5);
    }
  }
}
