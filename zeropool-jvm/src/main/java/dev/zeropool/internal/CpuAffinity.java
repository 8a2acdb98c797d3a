package dev.zeropool.internal;

import java.util.BitSet;
import java.util.function.IntFunction;

/**
 * Pins worker threads to CPU sets through OpenHFT's Java-Thread-Affinity, an optional dependency.
 *
 * <p>Invariant: nothing in this class touches an OpenHFT type unless {@link #requireAvailable} has
 * passed, so a pool without the option never loads the library and works without it on the classpath.
 */
public final class CpuAffinity {

  static final String LIBRARY_CLASS = "net.openhft.affinity.Affinity";

  private final IntFunction<BitSet> cpusOfWorker;

  private CpuAffinity(IntFunction<BitSet> cpusOfWorker) {
    this.cpusOfWorker = cpusOfWorker;
  }

  /**
   * @param cpusOfWorker the CPU set for worker {@code i}
   * @throws IllegalStateException if the library is not on the classpath
   */
  public static CpuAffinity of(IntFunction<BitSet> cpusOfWorker) {
    requireAvailable(LIBRARY_CLASS);
    return new CpuAffinity(cpusOfWorker);
  }

  static void requireAvailable(String className) {
    try {
      Class<?> library = Class.forName(className, false, CpuAffinity.class.getClassLoader());
      // On the module path `requires static` gives no read edge unless the library's module was
      // resolved, and a library on the class path sits in the unnamed module, which a named module
      // never reads: add the edge, so the calls below link either way (a no-op on the class path).
      CpuAffinity.class.getModule().addReads(library.getModule());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("cpuAffinity needs OpenHFT's Java-Thread-Affinity on the classpath "
          + "(Maven: net.openhft:affinity:3.27ea0); " + className + " was not found", e);
    }
  }

  /** Pins the calling thread, worker {@code index}, to its CPU set. */
  void pinCurrentThread(int index) {
    BitSet cpus = cpusOfWorker.apply(index);
    if (cpus == null || cpus.isEmpty()) {
      throw new IllegalArgumentException("cpuAffinity returned no CPU for worker " + index);
    }
    net.openhft.affinity.Affinity.setAffinity(cpus);
  }
}
