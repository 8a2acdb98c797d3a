package dev.zeropool.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeropool.pinned.ItemFn;
import dev.zeropool.pinned.PinnedPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PinnedPoolMetricsTest {

  /** An item that can hold up its thread. */
  static final class Gate {
    int touched;
  }

  /** Counts down {@code latches[0]}, then waits for {@code latches[1]}: holds up the item's thread. */
  static final ItemFn<Gate, CountDownLatch[], Boolean> HOLD = (gate, latches) -> {
    latches[0].countDown();
    return latches[1].await(20, TimeUnit.SECONDS);
  };
  static final ItemFn<Gate, Void, Integer> TOUCH = (gate, unused) -> ++gate.touched;

  private final MeterRegistry registry = new SimpleMeterRegistry();

  private double gauge(String name, String pool, int thread) {
    return registry.get(name).tags("name", pool, "thread", Integer.toString(thread)).gauge().value();
  }

  @Test
  void inboxDepthGaugeShowsTheThreadHeldUpByASlowItemAndOnlyThatOne() throws Exception {
    try (PinnedPool<Gate> pool = PinnedPool.create(2)) {
      new PinnedPoolMetrics(pool, "gates", Tags.empty()).bindTo(registry);
      pool.add(0, Gate::new).join(); // thread 0
      pool.add(1, Gate::new).join(); // thread 1
      pool.add(2, Gate::new).join(); // thread 0
      assertEquals(2.0, gauge("zeropool.pinned.items", "gates", 0));
      assertEquals(1.0, gauge("zeropool.pinned.items", "gates", 1));

      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<CompletableFuture<Integer>> queued = new ArrayList<>();
      CompletableFuture<Boolean> held;
      try {
        held = pool.send(0, HOLD, new CountDownLatch[] {started, release});
        assertTrue(started.await(10, TimeUnit.SECONDS));
        // Thread 0 is busy with item 0: messages to item 2 (same thread) wait behind it.
        for (int i = 0; i < 5; i++) {
          queued.add(pool.send(2, TOUCH, null));
        }
        assertEquals(5.0, gauge("zeropool.pinned.inbox.depth", "gates", 0));
        assertEquals(1, pool.send(1, TOUCH, null).join()); // thread 1 is not held up
        assertEquals(0.0, gauge("zeropool.pinned.inbox.depth", "gates", 1));
      } finally {
        release.countDown();
      }
      assertTrue(held.join());
      for (int i = 0; i < queued.size(); i++) {
        assertEquals(i + 1, queued.get(i).join());
      }
      assertEquals(0.0, gauge("zeropool.pinned.inbox.depth", "gates", 0));
    }
  }

  @Test
  void everyThreadGetsItsGaugesAndThePoolItsThreadCount() {
    try (PinnedPool<Gate> pool = PinnedPool.create(3)) {
      new PinnedPoolMetrics(pool, "three", List.of(Tag.of("tier", "web"))).bindTo(registry);
      assertEquals(3.0, registry.get("zeropool.pinned.threads").tags("name", "three", "tier", "web")
          .gauge().value());
      assertEquals(3, registry.find("zeropool.pinned.inbox.depth").gauges().size());
      assertEquals(3, registry.find("zeropool.pinned.items").gauges().size());
      for (Gauge g : registry.find("zeropool.pinned.inbox.depth").gauges()) {
        assertEquals("web", g.getId().getTag("tier"));
        assertEquals("messages", g.getId().getBaseUnit());
      }
    }
  }

  @Test
  void monitorBindsWithTheNameAndExtraTagsAndReturnsThePool() {
    try (PinnedPool<Gate> pool = PinnedPool.create(1)) {
      assertSame(pool, PinnedPoolMetrics.monitor(registry, pool, "one", Tag.of("app", "shop")));
      assertEquals(0.0, registry.get("zeropool.pinned.inbox.depth")
          .tags("name", "one", "thread", "0", "app", "shop").gauge().value());
    }
  }

  @Test
  void twoPoolsAreToldApartByTheirNameTagAndBindingTwiceIsHarmless() {
    try (PinnedPool<Gate> a = PinnedPool.create(1); PinnedPool<Gate> b = PinnedPool.create(1)) {
      new PinnedPoolMetrics(a, "a", Tags.empty()).bindTo(registry);
      new PinnedPoolMetrics(a, "a", Tags.empty()).bindTo(registry);
      new PinnedPoolMetrics(b, "b", Tags.empty()).bindTo(registry);
      a.add(5, Gate::new).join();
      assertEquals(1.0, gauge("zeropool.pinned.items", "a", 0));
      assertEquals(0.0, gauge("zeropool.pinned.items", "b", 0));
      assertEquals(2, registry.find("zeropool.pinned.items").gauges().size());
    }
  }

  @Test
  void nullArgumentsFailAtTheCallSite() {
    try (PinnedPool<Gate> pool = PinnedPool.create(1)) {
      assertThrows(NullPointerException.class, () -> new PinnedPoolMetrics(null, "x", Tags.empty()));
      assertThrows(NullPointerException.class, () -> new PinnedPoolMetrics(pool, null, Tags.empty()));
      assertThrows(NullPointerException.class, () -> new PinnedPoolMetrics(pool, "x", null));
      assertThrows(NullPointerException.class, () -> PinnedPoolMetrics.monitor(null, pool, "x"));
      assertThrows(NullPointerException.class,
          () -> PinnedPoolMetrics.monitor(registry, pool, "x", (Tag[]) null));
    }
  }
}
