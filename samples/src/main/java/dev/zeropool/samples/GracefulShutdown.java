package dev.zeropool.samples;

import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.ZeroPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ending a pool: {@code shutdownGracefully} with a deadline that is met and one that is missed, and
 * {@code shutdownNow} handing the work that never started back to the caller.
 */
public final class GracefulShutdown {

  /** Announces that it started, then works for up to 10 s; an interrupt ends it early. */
  static final TaskFn<CountDownLatch> LONG_JOB = started -> {
    started.countDown();
    try {
      Thread.sleep(10_000);
    } catch (InterruptedException e) {
      System.out.println("  long job: interrupted, stopping early");
      Thread.currentThread().interrupt(); // keep the interrupt for whoever runs us
    }
  };

  static final TaskFn<AtomicInteger> COUNT = AtomicInteger::incrementAndGet;

  private GracefulShutdown() {}

  /** Runs the sample on pools of its own ({@code workers} threads where the count does not matter). */
  public static void run(int workers) throws InterruptedException {
    // 1. The deadline is met: queued work finishes, new work is refused.
    ZeroPool pool = ZeroPool.create(workers);
    AtomicInteger done = new AtomicInteger();
    for (int i = 0; i < 100; i++) {
      pool.execute(done::incrementAndGet);
    }
    boolean finished = pool.shutdownGracefully(Duration.ofSeconds(5));
    System.out.println("graceful shutdown: finished in time = " + finished + ", tasks run = " + done.get());

    // 2. The deadline is missed: the running task is interrupted, queued tasks are cancelled and
    //    reported to the failure handler.
    AtomicInteger reported = new AtomicInteger();
    ZeroPool slow = ZeroPool.builder().workers(1)
        .failureHandler((fn, params, error) -> reported.incrementAndGet())
        .build();
    CountDownLatch started = new CountDownLatch(1);
    slow.submitTask(LONG_JOB, started);
    started.await(); // the only worker is busy now
    AtomicInteger counted = new AtomicInteger();
    TaskFuture queued = slow.submitBatch(COUNT, new AtomicInteger[] {counted, counted, counted});
    finished = slow.shutdownGracefully(Duration.ofMillis(100));
    System.out.println("graceful shutdown, 100 ms deadline: finished in time = " + finished
        + ", queued tasks run = " + counted.get() + ", reported to the handler = " + reported.get()
        + ", queued future failed with " + queued.failure().getCause());

    // 3. shutdownNow: the tasks that never started come back; execute() tasks as the caller's own Runnables.
    ZeroPool busy = ZeroPool.create(1);
    CountDownLatch busyStarted = new CountDownLatch(1);
    busy.submitTask(LONG_JOB, busyStarted);
    busyStarted.await();
    Runnable save = () -> System.out.println("  saving state on " + Thread.currentThread().getName());
    busy.execute(save);
    busy.execute(save);
    List<Runnable> notRun = busy.shutdownNow();
    System.out.println("shutdownNow handed back " + notRun.size() + " tasks (our own Runnable: "
        + (notRun.get(0) == save) + "); running them here:");
    for (Runnable r : notRun) {
      r.run();
    }
    System.out.println("pool terminated = " + busy.awaitTermination(5, TimeUnit.SECONDS));
  }

  public static void main(String[] args) throws InterruptedException {
    run(Runtime.getRuntime().availableProcessors());
  }
}
