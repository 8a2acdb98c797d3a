package dev.zeropool.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Assumptions;

/**
 * The bytes the calling thread has allocated so far, from HotSpot's per-thread counter (exact up to
 * the allocation being measured); a test that needs it is skipped on a JVM without it. Reading it
 * allocates nothing once it has been read once.
 */
final class Allocations {

  private final com.sun.management.ThreadMXBean counter;
  private final long thread;

  private Allocations(com.sun.management.ThreadMXBean counter) {
    this.counter = counter;
    this.thread = Thread.currentThread().getId();
    counter.getThreadAllocatedBytes(thread); // the counter's own first use
  }

  /** The counter of the calling thread; aborts the test where the JVM has none. */
  static Allocations ofThisThread() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean
        && ((com.sun.management.ThreadMXBean) mx).isThreadAllocatedMemorySupported(),
        "needs HotSpot's allocation counter");
    return new Allocations((com.sun.management.ThreadMXBean) mx);
  }

  /** {@return the bytes the thread that made this counter has allocated so far} */
  long bytes() {
    return counter.getThreadAllocatedBytes(thread);
  }
}
