package dev.zeropool.samples;

import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.TaskOptions;
import dev.zeropool.ZeroPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Background work in the gaps of foreground work: workers always take foreground tasks first, so a
 * long background batch does not delay a foreground request that arrives while it runs.
 */
public final class Priorities {

  /** A unit of background maintenance (e.g. compacting one segment), about 50 µs of CPU. */
  static final class Segment {
    final AtomicInteger compacted;
    long checksum;

    Segment(AtomicInteger compacted) {
      this.compacted = compacted;
    }
  }

  static final TaskFn<Segment> COMPACT = s -> {
    long end = System.nanoTime() + 50_000;
    long x = 1;
    while (System.nanoTime() < end) {
      x = x * 31 + 7;
    }
    s.checksum = x;
    s.compacted.incrementAndGet();
  };

  /** A foreground request: cheap, latency-sensitive. */
  static final class Request {
    final int id;
    int answer;

    Request(int id) {
      this.id = id;
    }
  }

  static final TaskFn<Request> SERVE = r -> r.answer = r.id * 2;

  private Priorities() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) {
    AtomicInteger compacted = new AtomicInteger();
    Segment[] segments = new Segment[2000];
    for (int i = 0; i < segments.length; i++) {
      segments[i] = new Segment(compacted);
    }
    long start = System.nanoTime();
    TaskFuture maintenance = pool.submitBatch(COMPACT, segments, TaskOptions.BACKGROUND);

    long slowest = 0;
    for (int burst = 0; burst < 5; burst++) {
      Request[] requests = new Request[20];
      for (int i = 0; i < requests.length; i++) {
        requests[i] = new Request(burst * 100 + i);
      }
      long sent = System.nanoTime();
      pool.submitBatch(SERVE, requests).join(); // foreground: jumps ahead of the queued background tasks
      slowest = Math.max(slowest, System.nanoTime() - sent);
      sleepMillis(5); // a gap in the foreground: the background batch proceeds
    }
    int compactedDuringForeground = compacted.get();
    maintenance.join();
    System.out.printf("priorities: slowest of 5 foreground bursts %.2f ms while %d of %d background tasks "
            + "were done; background finished after %.1f ms%n",
        slowest / 1e6, compactedDuringForeground, segments.length, (System.nanoTime() - start) / 1e6);
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) {
    try (ZeroPool pool = ZeroPool.create()) {
      run(pool);
    }
  }
}
