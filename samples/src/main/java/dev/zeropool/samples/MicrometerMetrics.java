package dev.zeropool.samples;

import dev.zeropool.PoolCounters;
import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import dev.zeropool.micrometer.ZeroPoolMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Publishing a pool's figures to Micrometer ({@code zeropool-micrometer}): {@link ZeroPoolMetrics}
 * binds gauges (queued tasks, busy and parked workers) and, with {@link PoolCounters} installed, task
 * counters to any {@code MeterRegistry}; here an in-memory one, printed after a batch. The meters read
 * {@code pool.stats()} when the registry asks, so binding adds nothing to the pool's hot paths.
 */
public final class MicrometerMetrics {

  static final TaskFn<long[]> SQUARE = cell -> cell[0] *= cell[0];

  private MicrometerMetrics() {}

  /** Runs the sample on a pool of its own with {@code workers} threads. */
  public static void run(int workers) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ZeroPool pool = ZeroPoolMetrics.monitor(registry,
        ZeroPool.builder().workers(workers).metrics(new PoolCounters()).build(), "squares", Tag.of("sample", "micrometer"))) {
      long[][] cells = new long[1000][];
      for (int i = 0; i < cells.length; i++) {
        cells[i] = new long[] {i};
      }
      pool.submitBatch(SQUARE, cells).join();
      double completed = registry.get("zeropool.tasks.completed").tag("name", "squares").functionCounter().count();
      System.out.println("micrometer: " + registry.getMeters().size() + " meters bound; zeropool.tasks.completed = "
          + (long) completed + "; cells[999] = " + cells[999][0]);
      for (Meter meter : registry.getMeters()) {
        if (meter.getId().getName().startsWith("zeropool.workers")) {
          System.out.println("  " + meter.getId().getName() + " " + meter.getId().getTags() + " = "
              + meter.measure().iterator().next().getValue());
        }
      }
    }
  }
}
