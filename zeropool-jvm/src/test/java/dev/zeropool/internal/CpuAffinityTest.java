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
}
