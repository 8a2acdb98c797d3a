package dev.zeropool;

import dev.zeropool.internal.Completion;
import dev.zeropool.internal.CpuAffinity;
import dev.zeropool.internal.Joins;
import dev.zeropool.internal.Loops;
import dev.zeropool.internal.PoolFutureTask;
import dev.zeropool.internal.RangeCompletion;
import dev.zeropool.internal.SpawnEntry;
import dev.zeropool.internal.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;
import java.util.function.LongBinaryOperator;
import java.util.function.Supplier;

/**
 * A fixed set of worker threads fed by two lock-free FIFO queues (one per {@link Priority} tier), for
 * many small tasks.
 *
 * <p>A task is a static handle ({@link TaskFn}) plus a parameter object; the task writes its result
 * into the parameter object. Submit one task, a uniform batch (one handle, many parameter objects) or
 * a pre-built {@link TaskBatch}; each submission returns one {@link TaskFuture}.
 *
 * <pre>{@code
 * static final TaskFn<double[]> SQRT_ALL = a -> { for (int i = 0; i < a.length; i++) a[i] = Math.sqrt(a[i]); };
 *
 * try (ZeroPool pool = ZeroPool.create(4)) {
 *   double[][] chunks = ...;
 *   pool.submitBatch(SQRT_ALL, chunks).join();   // chunks now hold the results
 * }
 * }</pre>
 *
 * <h2>Costs</h2>
 * Submitting a batch of N tasks takes one atomic operation per queue ring it lands in (usually one),
 * wakes at most as many idle workers as can help (one directly, the rest by a cascade), and allocates
 * only its future. Idle workers park (after a 20 µs spin window, see
 * {@link Builder#spinWindow(Duration)}), so an idle pool uses no CPU.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Visibility: every write the submitting thread made before a submission ({@code submitTask},
 *       {@code submitBatch}, {@code execute}, {@code submit}, ...) happens-before each of its tasks
 *       runs; every write of a submission's tasks happens-before {@link TaskFuture#join()} (or a
 *       successful {@link TaskFuture#await}) returns.</li>
 *   <li>Every accepted task runs exactly once, or is handed back by {@link #shutdownNow()} (its future
 *       then fails with a {@link java.util.concurrent.CancellationException}).</li>
 *   <li>A task that throws does not stop the other tasks of its submission or its worker; the failure
 *       goes to its future and to the {@link FailureHandler}.</li>
 *   <li>Submissions after {@link #shutdown()} are refused with {@link RejectedExecutionException}.</li>
 *   <li>Waiting on a future from inside a worker of this pool helps run queued tasks instead of
 *       blocking, so nested submissions never deadlock (see {@link TaskFuture}).</li>
 * </ul>
 *
 * <p>It is also an {@link java.util.concurrent.ExecutorService}: {@link #execute(Runnable)} rides
 * the same queue with no allocation of its own, and {@code submit}/{@code invokeAll} build on it.
 * {@link #close()} shuts down and waits for the queued work, like Java 19's {@code ExecutorService.close()}.
 */
public final class ZeroPool extends AbstractExecutorService implements AutoCloseable {

  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  private final WorkerPool core;
  /** Null when none is set, so {@link #execute} pays one null check. */
  private final TaskDecorator taskDecorator;

  private ZeroPool(Builder builder) {
    int poolNumber = POOL_NUMBER.incrementAndGet();
    ThreadFactory factory = builder.threadFactory != null ? builder.threadFactory
        : namedFactory(builder.threadNamePrefix != null ? builder.threadNamePrefix
            : "zeropool-" + poolNumber + "-worker-", builder.daemon);
    this.core = new WorkerPool("zeropool-" + poolNumber, builder.workers, factory,
        builder.spinWindow.toNanos(), builder.failureHandler, builder.metrics,
        builder.cpusOfWorker != null ? CpuAffinity.of(builder.cpusOfWorker) : null,
        builder.starvationAfter.toNanos(),
        builder.maxTemporaryWorkers >= 0 ? builder.maxTemporaryWorkers : builder.workers);
    this.taskDecorator = builder.taskDecorator;
  }

  /**
   * {@return a pool with one worker per available processor and default settings}
   *
   * <pre>{@code ZeroPool pool = ZeroPool.create();}</pre>
   */
  public static ZeroPool create() {
    return builder().build();
  }

  /**
   * {@return a pool with {@code workers} workers and default settings}
   *
   * <pre>{@code ZeroPool pool = ZeroPool.create(4);}</pre>
   *
   * @throws IllegalArgumentException if {@code workers < 1}
   */
  public static ZeroPool create(int workers) {
    return builder().workers(workers).build();
  }

  /**
   * {@return a builder for a pool with custom settings}
   *
   * <pre>{@code
   * ZeroPool pool = ZeroPool.builder().workers(8).threadNamePrefix("frame-").spinWindow(Duration.ofNanos(20_000)).build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the number of worker threads} */
  public int workerCount() {
    return core.workerCount();
  }

  /**
   * Submits one task. Called on a worker of this pool (a task forking a subtask), the task waits in
   * that worker's own local work, ahead of the shared queue, and idle workers steal it; a worker that
   * then joins it runs it in place if nobody has (the {@code RecursiveTask} shape, without the shared
   * queue or a wake-up). A {@code join()} from outside the pool may run the task on the calling thread
   * (it helps), so the root of a recursive split, whose forks should start on a worker, is better
   * waited for with a timed {@link TaskFuture#await}, which from outside only parks.
   *
   * <pre>{@code TaskFuture f = pool.submitTask(SQUARE, new Square(7)); f.join();}</pre>
   *
   * @param fn the task handle
   * @param params its parameter object (may be null if the handle allows it)
   * @return the task's future
   * @throws NullPointerException if {@code fn} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  public <P> TaskFuture submitTask(TaskFn<P> fn, P params) {
    return submitTask(fn, params, TaskOptions.DEFAULT);
  }

  /**
   * Submits one task with a priority tier and/or a cancellation token.
   *
   * <pre>{@code pool.submitTask(REINDEX, shard, TaskOptions.BACKGROUND);}</pre>
   *
   * @throws NullPointerException if {@code fn} or {@code options} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  public <P> TaskFuture submitTask(TaskFn<P> fn, P params, TaskOptions options) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(options, "options");
    Completion completion = core.submitTask(fn, params, options.priority() == Priority.BACKGROUND,
        options.token());
    if (completion == null) {
      throw rejected();
    }
    return completion;
  }

  /**
   * Submits one task per parameter object, all with the same handle (a uniform batch).
   *
   * <pre>{@code
   * Square[] squares = ...;
   * pool.submitBatch(SQUARE, squares).join();
   * }</pre>
   *
   * @return one future for the whole batch; already completed if {@code params} is empty
   * @throws NullPointerException if {@code fn} or {@code params} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  public <P> TaskFuture submitBatch(TaskFn<P> fn, P[] params) {
    return submitBatch(fn, params, TaskOptions.DEFAULT);
  }

  /**
   * Submits a uniform batch with a priority tier and/or a cancellation token.
   *
   * <pre>{@code pool.submitBatch(FETCH, urls, TaskOptions.DEFAULT.cancelledBy(token));}</pre>
   *
   * @throws NullPointerException if {@code fn}, {@code params} or {@code options} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  public <P> TaskFuture submitBatch(TaskFn<P> fn, P[] params, TaskOptions options) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(params, "params");
    return submitAll(fn, null, params, params.length, options);
  }

  /**
   * Submits one task per element of {@code params}, all with the same handle (a uniform batch).
   * The list must not change during the call. A list without fast random access (not
   * {@link RandomAccess}, such as a {@code LinkedList}) is copied to an array once, so the batch still
   * costs one pass over it.
   *
   * <pre>{@code pool.submitBatch(SQUARE, List.of(new Square(1), new Square(2))).join();}</pre>
   *
   * @return one future for the whole batch; already completed if {@code params} is empty
   * @throws NullPointerException if {@code fn} or {@code params} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  public <P> TaskFuture submitBatch(TaskFn<P> fn, List<? extends P> params) {
    return submitBatch(fn, params, TaskOptions.DEFAULT);
  }

  /**
   * Submits a uniform batch from a list with a priority tier and/or a cancellation token.
   *
   * <pre>{@code pool.submitBatch(COMPACT, segments, TaskOptions.BACKGROUND);}</pre>
   *
   * @throws NullPointerException if {@code fn}, {@code params} or {@code options} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  public <P> TaskFuture submitBatch(TaskFn<P> fn, List<? extends P> params, TaskOptions options) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(params, "params");
    if (params instanceof RandomAccess) {
      return submitAll(fn, null, params, params.size(), options);
    }
    // Workers read a batch's parameters by index; get(i) on a linked list would make the batch quadratic.
    Object[] copy = params.toArray();
    return submitAll(fn, null, copy, copy.length, options);
  }

  /**
   * Submits a mixed and/or pre-built batch. The batch is not copied or converted: submitting it
   * again and again allocates nothing but the returned future.
   *
   * <pre>{@code
   * TaskBatch frame = TaskBatch.builder().add(PHYSICS, world).addAll(ANIMATE, sprites).build();
   * pool.submitBatch(frame).join();
   * }</pre>
   *
   * @return one future for the whole batch; already completed if the batch is empty
   * @throws NullPointerException if {@code batch} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  public TaskFuture submitBatch(TaskBatch batch) {
    return submitBatch(batch, TaskOptions.DEFAULT);
  }

  /**
   * Submits a mixed and/or pre-built batch with a priority tier and/or a cancellation token.
   *
   * <pre>{@code pool.submitBatch(frame, TaskOptions.BACKGROUND);}</pre>
   *
   * @throws NullPointerException if {@code batch} or {@code options} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  public TaskFuture submitBatch(TaskBatch batch, TaskOptions options) {
    Objects.requireNonNull(batch, "batch");
    return submitAll(null, batch.fns(), batch.paramArray(), batch.size(), options);
  }

  private TaskFuture submitAll(TaskFn<?> fn, TaskFn<?>[] fns, Object params, int count, TaskOptions options) {
    Objects.requireNonNull(options, "options");
    if (count == 0) {
      if (core.isShutdown()) { // an empty batch is refused like any other submission after shutdown
        throw rejected();
      }
      return Completion.completed();
    }
    boolean inBackground = options.priority() == Priority.BACKGROUND;
    RangeCompletion batch = new RangeCompletion(core, fn, fns, params, count, inBackground, options.token());
    if (!core.submitRange(batch)) {
      throw rejected();
    }
    return batch;
  }

  /**
   * Runs {@code command} on a worker. From outside the pool it rides the shared queue, as the parameter
   * of an internal static handle; from a worker of this pool it goes to that worker's run-next slot, so
   * follow-up work (a coroutine resuming another) runs next on the same worker without a wake-up, while
   * idle workers may steal it (see {@link #executeQueued(Runnable)} to queue behind waiting work
   * instead). Either way this call allocates nothing (a {@link Builder#taskDecorator} set on the pool
   * runs first, on this thread, and allocates what it allocates). A failure goes to the
   * {@link FailureHandler}, or else to the worker thread's uncaught-exception handler; the worker
   * carries on.
   *
   * <pre>{@code pool.execute(() -> System.out.println("on a worker"));}</pre>
   *
   * @throws NullPointerException if {@code command} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    Runnable task = taskDecorator == null ? command : decorate(command);
    if (!core.execute(task)) {
      throw rejected();
    }
  }

  /**
   * Runs {@code command} on a worker after the work already queued, where {@link #execute(Runnable)}
   * called on a worker would run it next on the same worker. Called on a worker, the command goes to
   * the tail of that worker's own local queue, which the worker runs behind the tasks already in it,
   * taking turns with the shared queue (one run of up to 32 shared tasks, then one local task), and
   * which idle workers steal from (a full local queue first moves its older half to the shared
   * queue); from any other thread it goes through the shared queue. Use it to give way, e.g. for a
   * coroutine's {@code yield()} (the Kotlin dispatcher does), or for a task that re-submits itself in
   * a loop and must not crowd out others.
   * Allocates nothing, like {@code execute}; a {@link Builder#taskDecorator} applies here too.
   *
   * <pre>{@code pool.executeQueued(this::nextStep); // behind everything already waiting}</pre>
   *
   * @throws NullPointerException if {@code command} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  public void executeQueued(Runnable command) {
    Objects.requireNonNull(command, "command");
    Runnable task = taskDecorator == null ? command : decorate(command);
    if (!core.executeQueued(task)) {
      throw rejected();
    }
  }

  /**
   * The future of {@code submit} and {@code invokeAll}: its untimed {@code get()} runs the task on the
   * waiting thread if no worker has started it yet (as {@code ForkJoinTask.get} does), so waiting on
   * it inside a task of a busy pool does not hang; a task that calls {@code get()} on its own future
   * gets an {@link IllegalStateException}.
   */
  @Override
  protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
    return new PoolFutureTask<>(callable, core.spinNanos());
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
    return new PoolFutureTask<>(Executors.callable(runnable, value), core.spinNanos());
  }

  // The ExecutorService methods below are AbstractExecutorService's, with the arguments checked first so
  // that a null fails naming the argument, as every other call of this class does.

  /**
   * Submits {@code task} through {@link #execute(Runnable)}; the future completes when it has run.
   *
   * <pre>{@code Future<?> done = pool.submit(() -> index.rebuild());}</pre>
   *
   * @throws NullPointerException if {@code task} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  @Override
  public Future<?> submit(Runnable task) {
    return super.submit(Objects.requireNonNull(task, "task"));
  }

  /**
   * Submits {@code task} through {@link #execute(Runnable)}; the future yields {@code result} when
   * it has run.
   *
   * <pre>{@code Future<String> done = pool.submit(() -> index.rebuild(), "rebuilt");}</pre>
   *
   * @throws NullPointerException if {@code task} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return super.submit(Objects.requireNonNull(task, "task"), result);
  }

  /**
   * Submits {@code task} through {@link #execute(Runnable)}; the future yields its value.
   *
   * <pre>{@code Future<Integer> lines = pool.submit(() -> Files.readAllLines(path).size());}</pre>
   *
   * @throws NullPointerException if {@code task} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return super.submit(Objects.requireNonNull(task, "task"));
  }

  /**
   * Runs every task and waits for all of them, as {@link java.util.concurrent.ExecutorService#invokeAll}.
   * The tasks go to the workers as one batch, like {@link #submitBatch(TaskFn, List)}: one queue slot
   * and one wake-up for all of them, claimed in chunks by the workers and by the calling thread, which
   * runs the tasks no worker has claimed instead of waiting for them. An interrupt ends the wait with
   * {@link InterruptedException} and cancels the unfinished tasks; so does one that reaches the
   * calling thread while it runs a task, if the task lets it show.
   *
   * <pre>{@code List<Future<Integer>> sizes = pool.invokeAll(List.of(() -> 1, () -> 2));}</pre>
   *
   * @throws NullPointerException if {@code tasks} or one of its elements is null (nothing is submitted)
   * @throws RejectedExecutionException if the pool is shut down and {@code tasks} is not empty
   */
  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
    List<Future<T>> futures = futuresOf(tasks);
    if (!futures.isEmpty()) {
      PoolFutureTask.awaitBatch(submitFutures(futures), futures, -1L);
    }
    return futures;
  }

  /**
   * Runs every task and waits for all of them or the timeout, as
   * {@link java.util.concurrent.ExecutorService#invokeAll(Collection, long, TimeUnit)}: one batch, like
   * {@link #invokeAll(Collection)}, except that a calling thread outside the pool only waits (a task it
   * ran could outlast the timeout); a worker of the pool helps, and claims no further chunk of the
   * tasks once the timeout has passed. When the timeout passes, the unfinished tasks are cancelled
   * (those running are interrupted); with a timeout of zero or less nothing is submitted and every
   * future is returned cancelled.
   *
   * <pre>{@code List<Future<Integer>> sizes = pool.invokeAll(tasks, 1, TimeUnit.SECONDS);}</pre>
   *
   * @throws NullPointerException if {@code tasks}, one of its elements or {@code unit} is null
   * @throws RejectedExecutionException if the pool is shut down, {@code tasks} is not empty and the
   *     timeout is positive
   */
  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    List<Future<T>> futures = futuresOf(tasks);
    long nanos = unit.toNanos(timeout);
    if (nanos <= 0) {
      futures.forEach(f -> f.cancel(false));
    } else if (!futures.isEmpty()) {
      PoolFutureTask.awaitBatch(submitFutures(futures), futures, nanos);
    }
    return futures;
  }

  /** The futures of an {@code invokeAll} call, one per task, decorated; nothing is submitted yet. */
  private <T> List<Future<T>> futuresOf(Collection<? extends Callable<T>> tasks) {
    requireTasks(tasks);
    Thread caller = Thread.currentThread();
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      PoolFutureTask<T> future = new PoolFutureTask<>(task, core.spinNanos(), caller);
      if (taskDecorator != null) {
        decorateFuture(future);
      }
      futures.add(future);
    }
    return futures;
  }

  /** Submits {@code futures} as one batch whose units run them. */
  private RangeCompletion submitFutures(List<? extends Future<?>> futures) {
    RangeCompletion batch = new RangeCompletion(core, PoolFutureTask.RUN_IN_BATCH, null, futures,
        futures.size(), false, null);
    if (!core.submitRange(batch)) {
      throw rejected();
    }
    return batch;
  }

  /**
   * Runs the tasks and returns the result of one that succeeded, as
   * {@link java.util.concurrent.ExecutorService#invokeAny}.
   *
   * <pre>{@code String fastest = pool.invokeAny(List.of(() -> mirrorA(), () -> mirrorB()));}</pre>
   *
   * @throws NullPointerException if {@code tasks} or one of its elements is null
   */
  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
    return super.invokeAny(requireTasks(tasks));
  }

  /**
   * Runs the tasks and returns the result of one that succeeded before the timeout, as
   * {@link java.util.concurrent.ExecutorService#invokeAny(Collection, long, TimeUnit)}.
   *
   * <pre>{@code String fastest = pool.invokeAny(mirrors, 200, TimeUnit.MILLISECONDS);}</pre>
   *
   * @throws NullPointerException if {@code tasks}, one of its elements or {@code unit} is null
   */
  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    Objects.requireNonNull(unit, "unit");
    return super.invokeAny(requireTasks(tasks), timeout, unit);
  }

  private static <C extends Collection<?>> C requireTasks(C tasks) {
    Objects.requireNonNull(tasks, "tasks");
    int i = 0;
    for (Object task : tasks) {
      if (task == null) {
        throw new NullPointerException("tasks[" + i + "]");
      }
      i++;
    }
    return tasks;
  }

  /**
   * Applies the {@link Builder#taskDecorator} on the submitting thread, before the task is queued. The
   * future of {@code submit}/{@code invokeAll} may also run its task in place on a waiting thread; it
   * then runs the decorated task too, so the task sees the submitter's context wherever it runs.
   */
  private Runnable decorate(Runnable command) {
    if (command instanceof PoolFutureTask) {
      PoolFutureTask<?> future = (PoolFutureTask<?>) command;
      decorateFuture(future);
      return future.decoratedEntry(); // not the bare wrapper: a stop must see which future it runs
    }
    return wrap(command);
  }

  /** Gives a future of {@code submit}/{@code invokeAll} the decorator's wrapper, for every run of its task. */
  private void decorateFuture(PoolFutureTask<?> future) {
    future.runInPlaceAs(wrap(future));
  }

  private Runnable wrap(Runnable command) {
    Runnable decorated = taskDecorator.decorate(command);
    if (decorated == null) {
      throw new NullPointerException("taskDecorator " + taskDecorator + " returned null for task " + command);
    }
    return decorated;
  }

  private RejectedExecutionException rejected() {
    return new RejectedExecutionException("ZeroPool is shut down: " + this);
  }

  // ---- fork-join and parallel iteration (layer 5; the machinery is internal.RangeEntry) ----

  /**
   * Runs {@code a} and {@code b}, in parallel when a thread is free, and returns when both have
   * finished. The calling thread runs {@code a} itself and then {@code b} too if no worker has taken
   * it yet; while it waits for a part that runs elsewhere it helps only with work forked by this call
   * (its scope), never with other callers' work, spawned tasks or unrelated submissions. Nests to any
   * depth, from outside threads and from inside tasks.
   *
   * <pre>{@code
   * static void sort(ZeroPool pool, int[] a, int lo, int hi) {
   *   if (hi - lo < 4_096) { Arrays.sort(a, lo, hi); return; }
   *   int p = partition(a, lo, hi);
   *   pool.join(() -> sort(pool, a, lo, p), () -> sort(pool, a, p + 1, hi));
   * }
   * }</pre>
   *
   * <p>Allocates one small descriptor per call.
   *
   * @throws NullPointerException if {@code a} or {@code b} is null
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException once no part is running any more, if a part
   *     threw: its cause is the first failure, later ones are suppressed
   */
  public void join(Runnable a, Runnable b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    requireRunning();
    Joins.join(core, a, b);
  }

  /**
   * Computes {@code a} and {@code b} in parallel (as {@link #join(Runnable, Runnable)} does) and
   * returns {@code combine} of their results, applied on the calling thread.
   *
   * <pre>{@code
   * static long fib(ZeroPool pool, int n) {
   *   if (n < 20) return fibSequential(n);
   *   return pool.join(() -> fib(pool, n - 1), () -> fib(pool, n - 2), Long::sum);
   * }
   * }</pre>
   *
   * @return {@code combine.apply(a.get(), b.get())}
   * @throws NullPointerException if an argument is null
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if a supplier threw (see {@link #join(Runnable, Runnable)});
   *     an exception of {@code combine} itself is thrown as is
   */
  public <A, B, R> R join(Supplier<? extends A> a, Supplier<? extends B> b,
      BiFunction<? super A, ? super B, ? extends R> combine) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(combine, "combine");
    requireRunning();
    return Joins.join(core, a, b, combine);
  }

  /**
   * Runs every part, in parallel where threads are free, and returns when all have finished; any
   * number of heterogeneous parts, with the same rules as {@link #join(Runnable, Runnable)}.
   *
   * <pre>{@code pool.joinAll(this::physics, this::animation, this::audio, this::particles);}</pre>
   *
   * @throws NullPointerException if {@code tasks} or one of its elements is null
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if a part threw (see {@link #join(Runnable, Runnable)})
   */
  public void joinAll(Runnable... tasks) {
    Objects.requireNonNull(tasks, "tasks");
    for (int i = 0; i < tasks.length; i++) {
      Objects.requireNonNull(tasks[i], "tasks[" + i + "]");
    }
    requireRunning();
    Joins.joinAll(core, tasks);
  }

  /**
   * Starts {@code task} as background work: it runs when no foreground work (submissions, forks,
   * loops) is waiting, and spawned tasks start in spawn order. {@link SpawnedTask#join()} runs it on
   * the calling thread if no worker has started it; {@link SpawnedTask#cancel(boolean)} takes it away
   * for good if it has not started.
   *
   * <pre>{@code
   * SpawnedTask<Thumbnail> thumb = pool.spawn(() -> Thumbnail.of(image));
   * if (userScrolledAway) thumb.cancel(false); else show(thumb.join());
   * }</pre>
   *
   * <p>Allocates one small object, which is both the queue entry and the returned future.
   *
   * @throws NullPointerException if {@code task} is null
   * @throws RejectedExecutionException if the pool is shut down
   */
  public <T> SpawnedTask<T> spawn(Callable<? extends T> task) {
    Objects.requireNonNull(task, "task");
    requireRunning();
    SpawnEntry<T> spawned = new SpawnEntry<>(core, task);
    if (!spawned.start()) {
      throw rejected();
    }
    return spawned;
  }

  /**
   * Runs {@code body} exactly once for every index in {@code [from, to)}, in parallel, with the
   * default {@link Split#adaptive()} split: the calling thread starts at once and shares the rest with
   * the workers only when it is long enough to gain from them, so a short loop costs about what the
   * plain loop costs. Scope, failures and nesting as in {@link #join(Runnable, Runnable)}.
   *
   * <pre>{@code pool.forRange(0, n, i -> out[i] = a[i] + b[i]);}</pre>
   *
   * <p>Allocates one small descriptor per call, nothing per index.
   *
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalArgumentException if {@code from > to}, or the range has more than
   *     {@link Integer#MAX_VALUE} indices
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code body} threw (see {@link #join(Runnable, Runnable)})
   */
  public void forRange(int from, int to, IntConsumer body) {
    forRange(from, to, Split.adaptive(), body);
  }

  /**
   * {@link #forRange(int, int, IntConsumer)} with chunks cut as {@code split} says.
   *
   * <pre>{@code pool.forRange(0, height, Split.perItem(), y -> shadeRow(image, y));}</pre>
   *
   * @throws NullPointerException if {@code split} or {@code body} is null
   * @throws IllegalArgumentException if {@code from > to}, or the range has more than
   *     {@link Integer#MAX_VALUE} indices
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code body} threw
   */
  public void forRange(int from, int to, Split split, IntConsumer body) {
    Objects.requireNonNull(body, "body");
    int n = rangeLength(from, to, split);
    if (n > 0) {
      Loops.forRange(core, from, to, split.chunkSize(n, workerCount()), body);
    }
  }

  /**
   * Runs {@code body} once for every element of {@code array}, in parallel (adaptive split).
   *
   * <pre>{@code pool.forEach(particles, Particle::step);}</pre>
   *
   * @throws NullPointerException if {@code array} or {@code body} is null
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code body} threw
   */
  public <T> void forEach(T[] array, Consumer<? super T> body) {
    forEach(array, Split.adaptive(), body);
  }

  /**
   * {@link #forEach(Object[], Consumer)} with chunks cut as {@code split} says.
   *
   * <pre>{@code pool.forEach(chunks, Split.perItem(), Chunk::compress);}</pre>
   *
   * @throws NullPointerException if an argument is null
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code body} threw
   */
  public <T> void forEach(T[] array, Split split, Consumer<? super T> body) {
    Objects.requireNonNull(array, "array");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(body, "body");
    requireRunning();
    if (array.length > 0) {
      Loops.forEach(core, array, split.chunkSize(array.length, workerCount()), body);
    }
  }

  /**
   * Runs {@code body} once for every element of {@code list}, in parallel (adaptive split). The
   * list must not change during the call; one without fast random access
   * ({@link java.util.RandomAccess}) is copied to an array first.
   *
   * <pre>{@code pool.forEach(orders, order -> order.price(rates));}</pre>
   *
   * @throws NullPointerException if {@code list} or {@code body} is null
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code body} threw
   */
  public <T> void forEach(List<? extends T> list, Consumer<? super T> body) {
    forEach(list, Split.adaptive(), body);
  }

  /**
   * {@link #forEach(List, Consumer)} with chunks cut as {@code split} says.
   *
   * <pre>{@code pool.forEach(files, Split.perItem(), Files::delete);}</pre>
   *
   * @throws NullPointerException if an argument is null
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code body} threw
   */
  @SuppressWarnings("unchecked")
  public <T> void forEach(List<? extends T> list, Split split, Consumer<? super T> body) {
    Objects.requireNonNull(list, "list");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(body, "body");
    requireRunning();
    if (!(list instanceof RandomAccess)) {
      forEach((T[]) list.toArray(), split, body);
    } else if (!list.isEmpty()) {
      Loops.forEach(core, list, split.chunkSize(list.size(), workerCount()), body);
    }
  }

  /**
   * {@return the sum of {@code f(i)} for every index in {@code [from, to)}, computed in parallel
   * (adaptive split) without boxing: each chunk sums into a local {@code long}, then adds it to the
   * total with one atomic operation} Overflow wraps, as {@code +} does.
   *
   * <pre>{@code long total = pool.sumLong(0, prices.length, i -> prices[i]);}</pre>
   *
   * @throws NullPointerException if {@code f} is null
   * @throws IllegalArgumentException if {@code from > to}, or the range is too long (see {@link #forRange(int, int, IntConsumer)})
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code f} threw
   */
  public long sumLong(int from, int to, IntToLongFunction f) {
    return sumLong(from, to, Split.adaptive(), f);
  }

  /**
   * {@link #sumLong(int, int, IntToLongFunction)} with chunks cut as {@code split} says.
   *
   * <pre>{@code long total = pool.sumLong(0, values.length, Split.byThreads(), i -> values[i]);}</pre>
   *
   * @return the sum
   * @throws NullPointerException if {@code split} or {@code f} is null
   * @throws IllegalArgumentException if {@code from > to}, or the range is too long
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code f} threw
   */
  public long sumLong(int from, int to, Split split, IntToLongFunction f) {
    Objects.requireNonNull(f, "f");
    int n = rangeLength(from, to, split);
    return n == 0 ? 0L : Loops.sumLong(core, from, to, split.chunkSize(n, workerCount()), f);
  }

  /**
   * {@return the sum of {@code f(i)} for every index in {@code [from, to)}, in parallel (adaptive
   * split), without boxing} Chunk sums are added in the order chunks finish, so the rounding of the
   * result may differ from run to run (as with {@code DoubleStream.parallel().sum()}).
   *
   * <pre>{@code double energy = pool.sumDouble(0, n, i -> 0.5 * m[i] * v[i] * v[i]);}</pre>
   *
   * @throws NullPointerException if {@code f} is null
   * @throws IllegalArgumentException if {@code from > to}, or the range is too long
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code f} threw
   */
  public double sumDouble(int from, int to, IntToDoubleFunction f) {
    return sumDouble(from, to, Split.adaptive(), f);
  }

  /**
   * {@link #sumDouble(int, int, IntToDoubleFunction)} with chunks cut as {@code split} says.
   *
   * <pre>{@code double s = pool.sumDouble(0, n, Split.per(8_192), i -> Math.sqrt(i));}</pre>
   *
   * @return the sum
   * @throws NullPointerException if {@code split} or {@code f} is null
   * @throws IllegalArgumentException if {@code from > to}, or the range is too long
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code f} threw
   */
  public double sumDouble(int from, int to, Split split, IntToDoubleFunction f) {
    Objects.requireNonNull(f, "f");
    int n = rangeLength(from, to, split);
    return n == 0 ? 0.0 : Loops.sumDouble(core, from, to, split.chunkSize(n, workerCount()), f);
  }

  /**
   * {@return {@code identity} combined by {@code op} with {@code f(i)} for every index in
   * {@code [from, to)}, in parallel (adaptive split), without boxing} Each chunk folds from
   * {@code identity} into a local {@code long}; chunk results are combined in the order chunks finish,
   * so {@code op} must be associative and commutative and {@code identity} neutral for it (as for
   * {@code LongStream.reduce} on a parallel stream).
   *
   * <pre>{@code long max = pool.reduce(0, n, Long.MIN_VALUE, i -> scores[i], Math::max);}</pre>
   *
   * @throws NullPointerException if {@code f} or {@code op} is null
   * @throws IllegalArgumentException if {@code from > to}, or the range is too long
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code f} or {@code op} threw
   */
  public long reduce(int from, int to, long identity, IntToLongFunction f, LongBinaryOperator op) {
    return reduce(from, to, Split.adaptive(), identity, f, op);
  }

  /**
   * {@link #reduce(int, int, long, IntToLongFunction, LongBinaryOperator)} with chunks cut as
   * {@code split} says.
   *
   * <pre>{@code long xor = pool.reduce(0, n, Split.byThreads(), 0L, i -> hash[i], (x, y) -> x ^ y);}</pre>
   *
   * @return the reduction
   * @throws NullPointerException if {@code split}, {@code f} or {@code op} is null
   * @throws IllegalArgumentException if {@code from > to}, or the range is too long
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code f} or {@code op} threw
   */
  public long reduce(int from, int to, Split split, long identity, IntToLongFunction f,
      LongBinaryOperator op) {
    Objects.requireNonNull(f, "f");
    Objects.requireNonNull(op, "op");
    int n = rangeLength(from, to, split);
    return n == 0 ? identity : Loops.reduce(core, from, to, split.chunkSize(n, workerCount()), identity, f, op);
  }

  /**
   * {@return true if {@code p} holds for some index in {@code [from, to)}} Tested in parallel
   * (adaptive split); once a match is found no thread claims another chunk, and the chunks already
   * running stop at their next index.
   *
   * <pre>{@code boolean collides = pool.anyMatch(0, bodies.length, i -> bodies[i].hits(ray));}</pre>
   *
   * @throws NullPointerException if {@code p} is null
   * @throws IllegalArgumentException if {@code from > to}, or the range is too long
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code p} threw
   */
  public boolean anyMatch(int from, int to, IntPredicate p) {
    return anyMatch(from, to, Split.adaptive(), p);
  }

  /**
   * {@link #anyMatch(int, int, IntPredicate)} with chunks cut as {@code split} says.
   *
   * <pre>{@code boolean found = pool.anyMatch(0, keys.length, Split.per(256), i -> keys[i] == wanted);}</pre>
   *
   * @return true if some index matches
   * @throws NullPointerException if {@code split} or {@code p} is null
   * @throws IllegalArgumentException if {@code from > to}, or the range is too long
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code p} threw
   */
  public boolean anyMatch(int from, int to, Split split, IntPredicate p) {
    Objects.requireNonNull(p, "p");
    int n = rangeLength(from, to, split);
    return n > 0 && Loops.findAny(core, from, to, split.chunkSize(n, workerCount()), p) != Loops.NOT_FOUND;
  }

  /**
   * {@return some index in {@code [from, to)} for which {@code p} holds (not necessarily the first),
   * or -1 if there is none} Searches like {@link #anyMatch(int, int, IntPredicate)}; indices are
   * non-negative, so -1 is unambiguous.
   *
   * <pre>{@code int slot = pool.findAny(0, table.length, i -> table[i] == null);}</pre>
   *
   * @throws NullPointerException if {@code p} is null
   * @throws IllegalArgumentException if {@code from < 0} or {@code from > to}
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code p} threw
   */
  public int findAny(int from, int to, IntPredicate p) {
    return findAny(from, to, Split.adaptive(), p);
  }

  /**
   * {@link #findAny(int, int, IntPredicate)} with chunks cut as {@code split} says.
   *
   * <pre>{@code int hit = pool.findAny(0, n, Split.per(1_024), i -> hash(i) == target);}</pre>
   *
   * @return a matching index, or -1
   * @throws NullPointerException if {@code split} or {@code p} is null
   * @throws IllegalArgumentException if {@code from < 0} or {@code from > to}
   * @throws RejectedExecutionException if the pool is shut down (nothing ran)
   * @throws java.util.concurrent.CompletionException if {@code p} threw
   */
  public int findAny(int from, int to, Split split, IntPredicate p) {
    Objects.requireNonNull(p, "p");
    if (from < 0) {
      throw new IllegalArgumentException("findAny searches indices from 0 up (-1 means none): from = "
          + from + "; use anyMatch for negative ranges");
    }
    int n = rangeLength(from, to, split);
    return n == 0 ? -1 : (int) Math.max(-1, Loops.findAny(core, from, to, split.chunkSize(n, workerCount()), p));
  }

  /** Checks a loop's arguments and the pool's state; returns the number of indices. */
  private int rangeLength(int from, int to, Split split) {
    Objects.requireNonNull(split, "split");
    if (from > to) {
      throw new IllegalArgumentException("from > to: from = " + from + ", to = " + to);
    }
    long n = (long) to - from;
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a range holds at most Integer.MAX_VALUE indices: [" + from + ", " + to + ")");
    }
    requireRunning();
    return (int) n;
  }

  private void requireRunning() {
    if (core.isShutdown()) {
      throw rejected();
    }
  }

  /**
   * Refuses new work; work already accepted still runs. Does not wait (see {@link #close()}).
   *
   * <pre>{@code pool.shutdown(); pool.awaitTermination(1, TimeUnit.SECONDS);}</pre>
   */
  @Override
  public void shutdown() {
    core.shutdown();
  }

  /**
   * Refuses new work, takes back every task that has not started and interrupts the workers.
   * Each returned task's future fails with a {@link java.util.concurrent.CancellationException}, and
   * the futures of {@code submit}/{@code invokeAll} tasks are cancelled, so callers blocked in
   * {@code get()} or {@code invokeAll} are released (as with {@code ForkJoinPool.shutdownNow()}).
   * Tasks from {@link #execute(Runnable)} come back as the caller's own {@code Runnable}; running one
   * runs the task (a cancelled {@code submit} future does nothing). A {@code CompletableFuture} from
   * {@code supplyAsync(.., pool)} is owned by the JDK and cannot be completed by the pool: it stays
   * pending unless you run the returned {@code Runnable}.
   *
   * <p>No task starts after this call: tasks that a worker had already claimed but not started are
   * handed back by that worker (their futures fail; {@code execute} tasks among them go to the
   * {@link FailureHandler}, or else the worker's uncaught-exception handler).
   *
   * <pre>{@code List<Runnable> notRun = pool.shutdownNow();}</pre>
   *
   * @return the tasks that never started, in queue order
   */
  @Override
  public List<Runnable> shutdownNow() {
    return core.shutdownNow("pool shut down before this task started", false);
  }

  /**
   * Shuts down gracefully within a deadline: refuses new work, lets queued and running work finish,
   * and waits at most {@code deadline}. If the work is not done by then, every task that has not
   * started is cancelled (its future fails with a {@link java.util.concurrent.CancellationException})
   * and reported to the {@link FailureHandler} (or, without one, to the uncaught-exception handler),
   * and running tasks are interrupted. An interrupt of the waiting thread counts as the deadline
   * passing; the interrupt is re-asserted.
   *
   * <pre>{@code
   * if (!pool.shutdownGracefully(Duration.ofSeconds(5))) log.warn("work left after 5 s was cancelled");
   * }</pre>
   *
   * @return true if every accepted task finished before the deadline
   * @throws NullPointerException if {@code deadline} is null
   * @throws IllegalStateException if called from a worker of this pool (it would wait for itself)
   */
  public boolean shutdownGracefully(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    core.requireNotOwnWorker("shutdownGracefully");
    shutdown();
    try {
      if (core.awaitTermination(Math.max(0, deadline.toNanos()), TimeUnit.NANOSECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    core.shutdownNow("not started before the shutdown deadline", true);
    return false;
  }

  /**
   * {@return a snapshot of task counts (when a {@link PoolCounters} is installed) and live gauges}
   *
   * <pre>{@code PoolStats s = pool.stats(); long waiting = s.queuedTasks();}</pre>
   */
  public PoolStats stats() {
    return core.stats();
  }

  /** {@return true once {@link #shutdown()} or {@link #shutdownNow()} was called} */
  @Override
  public boolean isShutdown() {
    return core.isShutdown();
  }

  /**
   * {@return true once the pool is shut down and every worker has finished}
   * Workers end on their own threads, so right after {@link #shutdown()} even an idle pool may report
   * false for a moment (a fraction of a millisecond: each parked worker must wake up and exit); use
   * {@link #awaitTermination(long, TimeUnit)} or {@link #close()} to wait for it.
   *
   * <pre>{@code pool.shutdown(); pool.awaitTermination(1, TimeUnit.SECONDS); assert pool.isTerminated();}</pre>
   */
  @Override
  public boolean isTerminated() {
    return core.isTerminated();
  }

  /**
   * Waits until every worker has finished after a shutdown, or the time runs out.
   *
   * <pre>{@code pool.shutdown(); boolean done = pool.awaitTermination(5, TimeUnit.SECONDS);}</pre>
   *
   * @throws IllegalStateException if called from a worker of this pool (it would wait for itself)
   */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    return core.awaitTermination(timeout, unit);
  }

  /**
   * Shuts down and waits until every accepted task has run. If interrupted while waiting it calls
   * {@link #shutdownNow()}, keeps waiting for the running tasks, then re-asserts the interrupt, like
   * Java 19's {@code ExecutorService.close()}.
   *
   * <pre>{@code try (ZeroPool pool = ZeroPool.create()) { ... } // waits for the work here}</pre>
   *
   * @throws IllegalStateException if called from a worker of this pool (it would wait for itself)
   */
  @Override
  public void close() {
    core.requireNotOwnWorker("close");
    shutdown();
    boolean interrupted = false;
    while (!isTerminated()) {
      try {
        core.awaitTermination(1, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        if (!interrupted) {
          shutdownNow(); // as Java 19's ExecutorService.close(): an interrupt means "stop now", then wait
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }


  /** Shows the state and counts, like {@code ThreadPoolExecutor.toString()}. */
  @Override
  public String toString() {
    return super.toString() + "[" + core.stateName() + ", workers = " + core.workerCount()
        + ", idle workers = " + core.idleWorkers() + ", queued tasks = " + core.queuedTasks()
        + ", wake-ups = " + core.wakeUps() + "]";
  }

  private static ThreadFactory namedFactory(String prefix, boolean daemon) {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + next.getAndIncrement());
      t.setDaemon(daemon);
      return t;
    };
  }

  /**
   * Settings for a new pool. Every setting has a default; {@link #build()} starts the workers.
   *
   * <pre>{@code
   * ZeroPool pool = ZeroPool.builder()
   *     .workers(4)
   *     .threadNamePrefix("render-")
   *     .daemon(false)
   *     .spinWindow(Duration.ofNanos(50_000))
   *     .failureHandler((fn, params, error) -> error.printStackTrace())
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    /** The default of {@link #spinWindow}: {@code -Dzeropool.spinWindowNanos}, else 20 µs. */
    private static final Duration DEFAULT_SPIN_WINDOW =
        Duration.ofNanos(Math.max(0, Long.getLong("zeropool.spinWindowNanos", 20_000L)));

    private int workers = Runtime.getRuntime().availableProcessors();
    private String threadNamePrefix;
    private boolean daemon = true;
    private ThreadFactory threadFactory;
    private Duration spinWindow = DEFAULT_SPIN_WINDOW;
    private FailureHandler failureHandler;
    private PoolMetrics metrics;
    private IntFunction<BitSet> cpusOfWorker;
    private Duration starvationAfter = Duration.ofSeconds(1);
    private int maxTemporaryWorkers = -1; // -1: as many as there are workers
    private TaskDecorator taskDecorator;

    private Builder() {}

    /**
     * Sets the number of worker threads (default: available processors).
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1: " + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * Sets the worker thread name prefix; the worker index is appended (default
     * {@code "zeropool-<n>-worker-"}). Ignored when a {@link #threadFactory} is set.
     *
     * @throws NullPointerException if {@code prefix} is null
     */
    public Builder threadNamePrefix(String prefix) {
      this.threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Sets whether workers are daemon threads (default true, so a forgotten pool does not keep the
     * JVM alive). Ignored when a {@link #threadFactory} is set.
     */
    public Builder daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /**
     * Creates worker threads with {@code factory} instead of the built-in naming factory. The factory
     * must return a new, unstarted thread that runs the given Runnable.
     *
     * @throws NullPointerException if {@code factory} is null
     */
    public Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Sets how long an idle worker keeps polling the queue before it parks (default 20 µs, or
     * {@code -Dzeropool.spinWindowNanos}). The window saves the 2–30 µs an OS wake-up costs when work
     * comes back to back (a coroutine's {@code withContext} round trip on this pool measured ~10 µs
     * with it and ~60 µs without), at the price of at most that much CPU per worker each time the
     * pool falls idle; an idle pool still parks every worker. Use {@link Duration#ZERO} to park at once.
     *
     * @throws NullPointerException if {@code window} is null
     * @throws IllegalArgumentException if {@code window} is negative or longer than one second
     */
    public Builder spinWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("spinWindow must be between 0 and 1 s: " + window);
      }
      this.spinWindow = window;
      return this;
    }

    /**
     * Sets the handler that hears about every failed task (default none: {@link Error}s and
     * failures of {@code execute} tasks go to the worker's uncaught-exception handler).
     *
     * @throws NullPointerException if {@code handler} is null
     */
    public Builder failureHandler(FailureHandler handler) {
      this.failureHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Installs a metrics hook (default none: no counting at all). Use {@link PoolCounters} for counts
     * in {@link ZeroPool#stats()}, or your own implementation to feed a metrics system.
     *
     * @throws NullPointerException if {@code metrics} is null
     */
    public Builder metrics(PoolMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Pins worker {@code i} to the CPUs in {@code cpusOfWorker.apply(i)} (Linux; default: not pinned).
     * Needs OpenHFT's Java-Thread-Affinity ({@code net.openhft:affinity}) on the classpath, an optional
     * dependency of ZeroPool; {@link #build()} fails with an {@link IllegalStateException} saying so
     * when it is missing. A worker that cannot be pinned reports why to its uncaught-exception handler
     * and runs unpinned.
     *
     * <pre>{@code
     * ZeroPool pool = ZeroPool.builder().workers(2).cpuAffinity(i -> { BitSet s = new BitSet(); s.set(i + 2); return s; }).build();
     * }</pre>
     *
     * @throws NullPointerException if {@code cpusOfWorker} is null
     */
    public Builder cpuAffinity(IntFunction<BitSet> cpusOfWorker) {
      this.cpusOfWorker = Objects.requireNonNull(cpusOfWorker, "cpusOfWorker");
      return this;
    }

    /**
     * Decorates every task submitted through the {@link java.util.concurrent.ExecutorService} side
     * (default none), e.g. to carry an MDC map or a tracing span onto the worker; see
     * {@link TaskDecorator} for a full example. The decorator runs on the submitting thread inside
     * {@link ZeroPool#execute(Runnable)} and {@link ZeroPool#executeQueued(Runnable)}, which
     * {@code submit}, {@code invokeAll}, {@code invokeAny}, {@code CompletableFuture.*Async(..., pool)}
     * and the Kotlin coroutine dispatcher all go through;
     * {@code submitTask} and {@code submitBatch} are not decorated and still allocate nothing but
     * their future. A decorator that throws fails the submitting call and nothing is queued; one that
     * returns null fails it with a {@link NullPointerException}. {@link ZeroPool#shutdownNow()} hands
     * back the decorated {@code Runnable}s.
     *
     * <pre>{@code
     * ZeroPool pool = ZeroPool.builder().taskDecorator(task -> {
     *   String user = CURRENT_USER.get();                  // on the submitting thread
     *   return () -> {
     *     CURRENT_USER.set(user);                          // on the worker
     *     try { task.run(); } finally { CURRENT_USER.remove(); }
     *   };
     * }).build();
     * }</pre>
     *
     * @throws NullPointerException if {@code decorator} is null
     */
    public Builder taskDecorator(TaskDecorator decorator) {
      this.taskDecorator = Objects.requireNonNull(decorator, "decorator");
      return this;
    }

    /** {@return a new pool with these settings, its workers started} */
    /**
     * Configures the starvation watchdog, which is on by default (1 s, up to as many temporary workers
     * as there are workers). When every worker has been blocked for {@code detectAfter} while work is
     * queued (typically a task blocking on a JDK {@code CompletableFuture}, a latch or a lock that only
     * queued work would release), the watchdog reports a {@link PoolStarvationException} with each
     * worker's stack top to {@link FailureHandler#onStarvation} (or, without a handler, the watchdog
     * thread's uncaught-exception handler) and to {@link PoolMetrics#starvationDetected}, then starts a
     * temporary compensating worker, at most {@code maxTemporaryWorkers} alive at once; each retires as
     * soon as it finds no queued work. Waits on the pool's own futures never need it: they help.
     *
     * <pre>{@code
     * ZeroPool.builder().starvationWatchdog(Duration.ofMillis(200), 4).build();
     * ZeroPool.builder().starvationWatchdog(Duration.ofSeconds(1), 0).build(); // report, never exceed the worker count
     * }</pre>
     *
     * @param detectAfter how long the pool must be starving before the watchdog acts (10 ms to 1 hour)
     * @param maxTemporaryWorkers compensating workers alive at once at most; 0 only reports
     * @return this builder
     * @throws NullPointerException if {@code detectAfter} is null
     * @throws IllegalArgumentException if {@code detectAfter} is out of range or {@code maxTemporaryWorkers < 0}
     */
    public Builder starvationWatchdog(Duration detectAfter, int maxTemporaryWorkers) {
      Objects.requireNonNull(detectAfter, "detectAfter");
      if (detectAfter.compareTo(Duration.ofMillis(10)) < 0 || detectAfter.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("detectAfter must be between 10 ms and 1 hour: " + detectAfter);
      }
      if (maxTemporaryWorkers < 0) {
        throw new IllegalArgumentException("maxTemporaryWorkers must be at least 0: " + maxTemporaryWorkers);
      }
      this.starvationAfter = detectAfter;
      this.maxTemporaryWorkers = maxTemporaryWorkers;
      return this;
    }

    /**
     * Turns the starvation watchdog off: no watchdog looks at this pool and it never starts a thread
     * beyond its workers. A task that blocks on work queued behind it then hangs silently, as in a
     * {@code ThreadPoolExecutor}.
     *
     * <pre>{@code ZeroPool.builder().withoutStarvationWatchdog().build();}</pre>
     *
     * @return this builder
     */
    public Builder withoutStarvationWatchdog() {
      this.starvationAfter = Duration.ZERO;
      return this;
    }

    public ZeroPool build() {
      return new ZeroPool(this);
    }
  }
}
