package dev.zeropool.internal;

/**
 * Which running threads are this pool's workers: asked on every {@code execute} and wait, so that a
 * worker's follow-up work stays local and a waiting worker helps. A {@code ThreadLocal} answered the
 * same question, but for a thread that is not a worker (every outside submitter) its lookup cost 20 to
 * 30 ns per call here, a third of a one-worker job stream's time per task; a probe of this table costs a
 * few.
 *
 * <h2>Invariant</h2>
 * The table is immutable once published: an open-addressed array (linear probing, a power of two, at
 * least twice as many places as threads, so a probe always reaches an empty place) of threads, and the
 * workers they run at the same positions. A worker's thread adds itself before it takes any work and
 * removes itself as it ends, each time by publishing a new table (copy on write, under this object's
 * lock, so concurrent changes never lose each other). Only a thread asks about itself, so it always sees
 * the table holding its own latest change: it wrote that table (or a later one, under the same lock) and
 * then read it back, in program order. Other threads' entries may be a table old, which cannot change any
 * answer about the asking thread.
 */
final class WorkerThreads {

  /** Fibonacci hashing of thread ids, which are sequential. */
  private static final long SPREAD = 0x9E37_79B9_7F4A_7C15L;

  private static final Table EMPTY = new Table(new Thread[2], new Worker[2], 0);

  private volatile Table table = EMPTY;

  /** {@return the worker that the current thread runs, or null if it is not one of these workers} */
  Worker current() {
    Thread self = Thread.currentThread();
    Table t = table;
    Thread[] threads = t.threads;
    int mask = threads.length - 1;
    for (int i = place(self, mask); ; i = (i + 1) & mask) {
      Thread at = threads[i];
      if (at == self) {
        return t.workers[i];
      }
      if (at == null) {
        return null;
      }
    }
  }

  /** Called by {@code worker}'s thread as it starts. */
  synchronized void add(Worker worker) {
    Table t = table;
    int length = t.threads.length;
    while (length < 2 * (t.size + 1)) {
      length *= 2;
    }
    Thread[] threads = new Thread[length];
    Worker[] workers = new Worker[length];
    int size = copy(t, threads, workers, null) + 1;
    insert(threads, workers, Thread.currentThread(), worker);
    table = new Table(threads, workers, size);
  }

  /** Called by a worker's thread as it ends. */
  synchronized void removeCurrent() {
    Table t = table;
    Thread self = Thread.currentThread();
    Thread[] threads = new Thread[t.threads.length];
    Worker[] workers = new Worker[t.threads.length];
    table = new Table(threads, workers, copy(t, threads, workers, self));
  }

  /** {@return how many threads are listed} */
  int size() {
    return table.size;
  }

  /**
   * Re-inserts every entry of {@code from} but {@code skip} (rebuilding keeps probe chains unbroken).
   *
   * @return how many were inserted
   */
  private static int copy(Table from, Thread[] threads, Worker[] workers, Thread skip) {
    int copied = 0;
    for (int i = 0; i < from.threads.length; i++) {
      Thread thread = from.threads[i];
      if (thread != null && thread != skip) {
        insert(threads, workers, thread, from.workers[i]);
        copied++;
      }
    }
    return copied;
  }

  private static void insert(Thread[] threads, Worker[] workers, Thread thread, Worker worker) {
    int mask = threads.length - 1;
    int i = place(thread, mask);
    while (threads[i] != null) {
      i = (i + 1) & mask;
    }
    threads[i] = thread;
    workers[i] = worker;
  }

  /** Where {@code thread}'s probe starts in a table of {@code mask + 1} places. */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() needs Java 19
  static int place(Thread thread, int mask) {
    return (int) ((thread.getId() * SPREAD) >>> 32) & mask;
  }

  private record Table(Thread[] threads, Worker[] workers, int size) {}
}
