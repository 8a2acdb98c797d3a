package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Pinning workers to CPUs with the optional OpenHFT library. */
class CpuAffinityTest {

  /** Reads the kernel's view of the calling thread's allowed CPUs. */
  static final TaskFn<String[]> READ_ALLOWED_CPUS = out -> {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
        if (line.startsWith("Cpus_allowed_list:")) {
          out[0] = line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  };

  @Test
  void aPinnedWorkersAllowedCpuListIsTheOneAskedFor() {
    assumeTrue(Files.exists(Path.of("/proc/thread-self/status")), "needs Linux /proc");
    int lastCpu = Runtime.getRuntime().availableProcessors() - 1;
    try (ZeroPool pool = ZeroPool.builder().workers(1).cpuAffinity(i -> {
      BitSet cpus = new BitSet();
      cpus.set(lastCpu);
      return cpus;
    }).build()) {
      String[] allowed = new String[1];
      pool.execute(() -> READ_ALLOWED_CPUS.run(allowed)); // execute: always on the worker
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(String.valueOf(lastCpu), allowed[0]);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void withoutTheLibraryTheOptionFailsWithAClearMessage() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> CpuAffinity.requireAvailable("net.openhft.affinity.NotThere"));
    assertTrue(e.getMessage().contains("net.openhft:affinity"), e.getMessage());
  }

  @Test
  void aWorkerGivenNoCpuReportsItAndRunsUnpinned() throws InterruptedException {
    checkFailedPin(i -> new BitSet());
    checkFailedPin(i -> null);
  }

  /** The pin of worker 0 fails: the worker's uncaught-exception handler hears of it, and the worker still runs tasks. */
  private static void checkFailedPin(IntFunction<BitSet> cpusOfWorker) throws InterruptedException {
    List<Throwable> reported = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(1);
    try (ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().threadFactory(r -> {
      Thread t = new Thread(r, "unpinned-worker");
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> reported.add(e));
      return t;
    }).cpuAffinity(cpusOfWorker).build()) {
      pool.execute(ran::countDown);
      assertTrue(ran.await(Long.getLong("zeropool.test.waitSeconds", 10), TimeUnit.SECONDS), "the unpinned worker runs tasks");
    }
    assertEquals(1, reported.size(), "reported once: " + reported);
    assertTrue(reported.get(0) instanceof IllegalArgumentException, reported.get(0).toString());
    assertTrue(reported.get(0).getMessage().contains("no CPU for worker 0"), reported.get(0).getMessage());
  }
}
