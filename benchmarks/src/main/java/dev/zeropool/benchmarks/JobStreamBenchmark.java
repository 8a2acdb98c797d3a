package dev.zeropool.benchmarks;

import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One producer thread streams independent jobs, one call per job, into a pool of 1 or 2 workers and
 * then waits for them all (the workloads of wpool's benchmarks). The score is the time per job,
 * submission included; lower is better.
 *
 * <ul>
 *   <li>{@code EMPTY}: the job only counts itself done (pure hand-off cost);</li>
 *   <li>{@code SHA256}: SHA-256 of a 6 KiB buffer with one {@code MessageDigest} per worker thread
 *       (~4 µs);</li>
 *   <li>{@code CPU40US}: a 30 000-step LCG loop (~38 µs).</li>
 * </ul>
 *
 * The jobs are pre-allocated {@code Runnable}s that also serve as ZeroPool parameter objects; every
 * pool signals completion the same way (a shared countdown that unparks the producer), so the
 * difference between pools is submission, hand-off and wake-up.
 *
 * <p>Latest results, quick mode (1 fork, 3 × 200 ms warm-up, 5 × 200 ms measurement, GC profiler), 2-core shared VM,
 * JDK 17; indicative only (other builds shared the machine):
 * <pre>
 * | workload | pool | score (ns/op) | ± error | vs best JDK peer | alloc (B/op) |
 * |---|---|---:|---:|---:|---:|
 * | job=EMPTY, workers=1 | forkJoinExecute | 83.6 | 14.5 | 1.00 | 24.0 |
 * | job=EMPTY, workers=1 | zeroPoolExecute | 107 | 14.1 | 1.27 | 0.0 |
 * | job=EMPTY, workers=1 | zeroPoolSubmitTask | 108 | 41.4 | 1.30 | 32.0 |
 * | job=EMPTY, workers=1 | threadPoolExecute | 143 | 81.2 | 1.71 | 24.1 |
 * | job=EMPTY, workers=2 | zeroPoolExecute | 75.9 | 48.2 | 0.85 | 0.0 |
 * | job=EMPTY, workers=2 | forkJoinExecute | 88.8 | 26.2 | 1.00 | 24.0 |
 * | job=EMPTY, workers=2 | zeroPoolSubmitTask | 128 | 165 | 1.44 | 32.0 |
 * | job=EMPTY, workers=2 | threadPoolExecute | 141 | 76.5 | 1.59 | 24.5 |
 * | job=SHA256, workers=1 | zeroPoolExecute | 4,172 | 110 | 0.99 | 0.2 |
 * | job=SHA256, workers=1 | forkJoinExecute | 4,234 | 293 | 1.00 | 24.2 |
 * | job=SHA256, workers=1 | zeroPoolSubmitTask | 4,383 | 860 | 1.04 | 32.2 |
 * | job=SHA256, workers=1 | threadPoolExecute | 4,390 | 729 | 1.04 | 24.2 |
 * | job=SHA256, workers=2 | zeroPoolExecute | 2,152 | 167 | 0.92 | 0.1 |
 * | job=SHA256, workers=2 | zeroPoolSubmitTask | 2,196 | 176 | 0.94 | 32.1 |
 * | job=SHA256, workers=2 | forkJoinExecute | 2,333 | 1,197 | 1.00 | 24.1 |
 * | job=SHA256, workers=2 | threadPoolExecute | 2,451 | 726 | 1.05 | 24.4 |
 * | job=CPU40US, workers=1 | zeroPoolSubmitTask | 38,321 | 822 | 0.98 | 33.4 |
 * | job=CPU40US, workers=1 | zeroPoolExecute | 38,627 | 2,814 | 0.98 | 1.3 |
 * | job=CPU40US, workers=1 | forkJoinExecute | 39,237 | 1,995 | 1.00 | 25.3 |
 * | job=CPU40US, workers=1 | threadPoolExecute | 39,829 | 2,462 | 1.02 | 25.4 |
 * | job=CPU40US, workers=2 | zeroPoolSubmitTask | 19,563 | 1,272 | 0.98 | 32.8 |
 * | job=CPU40US, workers=2 | zeroPoolExecute | 19,609 | 2,849 | 0.98 | 0.7 |
 * | job=CPU40US, workers=2 | threadPoolExecute | 19,944 | 1,401 | 1.00 | 24.9 |
 * | job=CPU40US, workers=2 | forkJoinExecute | 20,449 | 4,527 | 1.03 | 24.8 |
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class JobStreamBenchmark {

  /** Jobs per operation; JMH divides the time by this, so scores are per job. */
  public static final int JOBS = 1000;

  /** What one job does. */
  public enum Job {
    /** Nothing. */
    EMPTY {
      @Override
      long run(int i) {
        return i;
      }
    },
    /** SHA-256 of a small buffer, about 4 µs. */
    SHA256 {
      @Override
      long run(int i) {
        return Kernels.sha256(i);
      }
    },
    /** A CPU-bound loop of about 40 µs. */
    CPU40US {
      @Override
      long run(int i) {
        return Kernels.lcg(i, Kernels.HEAVY_STEPS);
      }
    };

    abstract long run(int i);
  }

  /** Counts finished jobs and unparks the producer when the last one is done. */
  static final class Countdown {
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Thread waiter;

    void reset(int jobs) {
      waiter = Thread.currentThread();
      remaining.set(jobs);
    }

    void arrive() {
      if (remaining.decrementAndGet() == 0) {
        LockSupport.unpark(waiter);
      }
    }

    void await() {
      while (remaining.get() != 0) {
        LockSupport.park(this);
      }
    }
  }

  /** A pre-allocated job: a Runnable for the JDK pools and ZeroPool's {@code execute}, a parameter object for {@code submitTask}. */
  static final class JobTask implements Runnable {
    final int index;
    final Job job;
    final Countdown countdown;
    long result;

    JobTask(int index, Job job, Countdown countdown) {
      this.index = index;
      this.job = job;
      this.countdown = countdown;
    }

    @Override
    public void run() {
      result = job.run(index);
      countdown.arrive();
    }
  }

  /** ZeroPool task handle that runs a {@link JobTask}. */
  static final TaskFn<JobTask> RUN_JOB = JobTask::run;

  /** Worker threads in each pool. */
  @Param({"1", "2"})
  public int workers;

  /** The job body. */
  @Param({"EMPTY", "SHA256", "CPU40US"})
  public Job job;

  private final Countdown countdown = new Countdown();
  private JobTask[] jobs;
  private ZeroPool zeroPool;
  private ForkJoinPool forkJoinPool;
  private ExecutorService threadPool;

  /** Creates the pools and the jobs. */
  @Setup(Level.Trial)
  public void setUp() {
    zeroPool = ZeroPool.create(workers);
    forkJoinPool = new ForkJoinPool(workers);
    threadPool = Executors.newFixedThreadPool(workers);
    jobs = new JobTask[JOBS];
    for (int i = 0; i < JOBS; i++) {
      jobs[i] = new JobTask(i, job, countdown);
    }
  }

  /** Shuts the pools down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    Pools.close(zeroPool);
    Pools.close(forkJoinPool);
    Pools.close(threadPool);
  }

  /** ZeroPool {@code execute(Runnable)} per job. */
  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void zeroPoolExecute() {
    countdown.reset(JOBS);
    for (JobTask t : jobs) {
      zeroPool.execute(t);
    }
    countdown.await();
  }

  /** ZeroPool {@code submitTask(handle, params)} per job; the futures are dropped. */
  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void zeroPoolSubmitTask() {
    countdown.reset(JOBS);
    for (JobTask t : jobs) {
      zeroPool.submitTask(RUN_JOB, t);
    }
    countdown.await();
  }

  /** ForkJoinPool {@code execute(Runnable)} per job, from an external producer. */
  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void forkJoinExecute() {
    countdown.reset(JOBS);
    for (JobTask t : jobs) {
      forkJoinPool.execute(t);
    }
    countdown.await();
  }

  /** Fixed ThreadPoolExecutor {@code execute(Runnable)} per job. */
  @Benchmark
  @OperationsPerInvocation(JOBS)
  public void threadPoolExecute() {
    countdown.reset(JOBS);
    for (JobTask t : jobs) {
      threadPool.execute(t);
    }
    countdown.await();
  }
}
