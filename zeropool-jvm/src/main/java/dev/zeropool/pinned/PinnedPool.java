package dev.zeropool.pinned;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import java.util.function.LongToIntFunction;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

/**
 * Pinned items (messaging_thread_pool's system): stateful objects that each live on one thread for
 * their whole life, addressed by a {@code long} id and reached only through messages, so that their
 * code needs no locks even when the state is not thread-safe (a {@code HashMap} cache, a simulation
 * entity, a parser with buffers, a native handle).
 *
 * <pre>{@code
 * static final class Counter { long value; }
 * static final ItemFn<Counter, Long, Long> ADD = (c, by) -> c.value += by;
 *
 * try (PinnedPool<Counter> pool = PinnedPool.create(4)) {
 *   pool.add(7, Counter::new);               // the factory runs on item 7's thread
 *   pool.send(7, ADD, 5L);
 *   long total = pool.send(7, ADD, 1L).join(); // 6: messages to one item run in order
 *   pool.remove(7);
 * }
 * }</pre>
 *
 * <h2>Threads and routing</h2>
 * A fixed set of dedicated threads, each with its own lock-free inbox and its own map of items. An id
 * is routed to thread {@code Math.floorMod(id, threadCount())} unless the builder sets another
 * {@linkplain Builder#router(LongToIntFunction) router}. An idle thread parks and costs no CPU (after
 * a short {@linkplain Builder#spinWindow(Duration) spin window}, during which it yields its core to any
 * thread that can run).
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every call for one id runs on the same thread for the item's whole life, one at a time; calls
 *       for one id made by one sending thread run in the order it made them, whatever their kind
 *       ({@code add}, {@code send}, {@code post}, {@code remove}).</li>
 *   <li>A duplicate {@code add} fails its future with {@link IllegalStateException} and its factory is
 *       not called; a throwing factory fails the {@code add} and no item is created. A message to an
 *       unknown id fails with {@link java.util.NoSuchElementException}; a throwing handler fails its
 *       own future only and the item lives on (possibly half-updated). The thread never dies of it.</li>
 *   <li>Sending allocates the message's future and nothing else (none for {@link #post}).</li>
 *   <li>{@link #close()} runs every message accepted before it, then ends the threads;
 *       {@link #shutdownNow()} fails the messages not yet started with a
 *       {@link java.util.concurrent.CancellationException}. Nothing accepted is dropped silently.</li>
 *   <li>A message whose future was cancelled before it started is skipped.</li>
 * </ul>
 *
 * <h2>Waiting, and where it would deadlock</h2>
 * A handler may send to items of other pools (or to a {@link dev.zeropool.ZeroPool}) and wait for the
 * answer. Waiting ({@code join}/{@code get}) on a message to an item of <em>its own thread</em> can
 * never end, so those calls throw {@link IllegalStateException} at once. Waiting on an item of another
 * thread of the same pool works, unless that item waits back (a cycle): prefer composing
 * ({@code thenApply}) inside handlers. Dependent stages of a message's future run on the item's thread
 * when they are attached before it completes: keep them short or use the {@code ...Async} variants.
 *
 * <h2>Head-of-line blocking</h2>
 * One slow message delays every later message on its thread, for all items of that thread
 * (messaging_thread_pool's known weakness). Watch {@link #inboxDepths()}; give hot or slow items a
 * thread of their own with a router, e.g. ids below 16 on threads 0–15 alone and the rest spread over
 * the others: {@code builder().threads(32).router(id -> id < 16 ? (int) id : 16 + (int) Math.floorMod(id, 16L))}.
 *
 * @param <S> the item type
 */
public final class PinnedPool<S> implements PinnedSender<S>, AutoCloseable {

  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  private final PinnedThread<S>[] threads;
  private final LongToIntFunction router;
  final IntFunction<?> threadStateFactory;
  final LongConsumer beforeEach;
  final LongConsumer afterEach;
  final long spinWindowNanos;
  private final ObjLongConsumer<Throwable> failureHandler;
  /** Set by {@link #shutdownNow()}: threads fail the messages they take from then on. */
  volatile boolean stopping;
  /** Set when {@link #close()} or {@link #shutdownNow()} starts. */
  private volatile boolean closed;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private PinnedPool(Builder<S> b) {
    int n = b.threads;
    this.router = b.router != null ? b.router : id -> (int) Math.floorMod(id, (long) n);
    this.threadStateFactory = b.threadStateFactory;
    this.beforeEach = b.beforeEach;
    this.afterEach = b.afterEach;
    this.spinWindowNanos = b.spinWindow.toNanos();
    this.failureHandler = b.failureHandler;
    String prefix = b.threadNamePrefix != null ? b.threadNamePrefix
        : "zeropool-pinned-" + POOL_NUMBER.incrementAndGet() + "-thread-";
    this.threads = new PinnedThread[b.threads];
    for (int i = 0; i < threads.length; i++) {
      threads[i] = new PinnedThread<>(this, i, prefix + i, b.daemon, b.inboxCapacity);
    }
    for (PinnedThread<S> t : threads) {
      t.start();
    }
  }

  /**
   * {@return a pool of {@code threads} pinned threads with default settings}
   *
   * <pre>{@code PinnedPool<Counter> pool = PinnedPool.create(4);}</pre>
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static <S> PinnedPool<S> create(int threads) {
    return PinnedPool.<S>builder().threads(threads).build();
  }

  /**
   * {@return a builder for a pool with custom settings}
   *
   * <pre>{@code
   * PinnedPool<Session> pool = PinnedPool.<Session>builder()
   *     .threads(8)
   *     .threadNamePrefix("sessions-")
   *     .beforeEach(id -> MDC.put("session", Long.toString(id)))
   *     .afterEach(id -> MDC.remove("session"))
   *     .build();
   * }</pre>
   */
  public static <S> Builder<S> builder() {
    return new Builder<>();
  }

  /**
   * {@return the number of pinned threads}
   *
   * <pre>{@code int n = pool.threadCount();}</pre>
   */
  public int threadCount() {
    return threads.length;
  }

  @Override
  public CompletableFuture<Void> add(long id, Supplier<? extends S> factory) {
    Objects.requireNonNull(factory, "factory");
    return enqueue(id, PinnedThread.ADD, factory);
  }

  @Override
  public <P, R> CompletableFuture<R> send(long id, ItemFn<S, P, R> fn, P param) {
    Objects.requireNonNull(fn, "fn");
    return enqueue(id, fn, param);
  }

  @Override
  public <P> void post(long id, ItemFn<S, P, ?> fn, P param) {
    Objects.requireNonNull(fn, "fn");
    PinnedThread<S> thread = threads[route(id)];
    if (!thread.inbox.offer(fn, id, param, null)) {
      throw rejected();
    }
    thread.signal();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The batch is grouped by thread (each thread's messages keep request order), and each group
   * claims its inbox slots with one CAS where the ring has room and wakes its thread once: cheaper than
   * one {@link #send} per message when many go out at once. Still one future per message and nothing
   * else per message; the grouping costs a few arrays per call.
   */
  @Override
  public <P, R> List<CompletableFuture<R>> sendAll(long[] ids, ItemFn<S, P, R> fn, List<? extends P> params) {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(params, "params");
    // Read every parameter and route every id before any slot is claimed: a claimed slot must be written.
    Object[] paramArray = params.toArray();
    int n = ids.length;
    if (n != paramArray.length) {
      throw new IllegalArgumentException("ids and params differ in length: " + n + " != " + paramArray.length);
    }
    int[] threadOf = new int[n];
    int[] groupStart = new int[threads.length + 1]; // thread t's group is order[groupStart[t], groupStart[t + 1])
    for (int i = 0; i < n; i++) {
      threadOf[i] = route(ids[i]);
      groupStart[threadOf[i] + 1]++;
    }
    for (int t = 1; t < groupStart.length; t++) {
      groupStart[t] += groupStart[t - 1];
    }
    // A stable counting sort: order lists the requests thread by thread, each group in request order.
    int[] order = new int[n];
    int[] fill = groupStart.clone();
    @SuppressWarnings("unchecked")
    PinnedFuture<R>[] futures = new PinnedFuture[n];
    for (int i = 0; i < n; i++) {
      order[fill[threadOf[i]]++] = i;
      futures[i] = new PinnedFuture<>(threads[threadOf[i]]);
    }
    for (int t = 0; t < threads.length; t++) {
      int from = groupStart[t];
      int to = groupStart[t + 1];
      if (from == to) {
        continue;
      }
      int accepted = threads[t].inbox.offerAll(fn, ids, paramArray, futures, order, from, to);
      if (accepted > 0) {
        threads[t].signal();
      }
      if (accepted < to - from) {
        throw rejected(); // closed meanwhile: what was accepted before stays sent, as with send
      }
    }
    return Arrays.asList(futures);
  }

  @Override
  public CompletableFuture<Boolean> remove(long id) {
    return enqueue(id, PinnedThread.REMOVE, null);
  }

  private <R> CompletableFuture<R> enqueue(long id, Object op, Object param) {
    PinnedThread<S> thread = threads[route(id)];
    PinnedFuture<R> future = new PinnedFuture<>(thread);
    if (!thread.inbox.offer(op, id, param, future)) {
      throw rejected();
    }
    thread.signal();
    return future;
  }

  private int route(long id) {
    int i = router.applyAsInt(id);
    if (i < 0 || i >= threads.length) {
      throw new IllegalStateException("the router sent id " + id + " to thread " + i
          + ", outside [0, " + threads.length + ")");
    }
    return i;
  }

  private static RejectedExecutionException rejected() {
    return new RejectedExecutionException("the pinned pool is closed");
  }

  /**
   * {@return the id of the item whose message the current thread is running, or empty outside a
   * message} For logging with the item's id (e.g. into an SLF4J MDC, or see
   * {@link Builder#beforeEach(LongConsumer)}).
   *
   * <pre>{@code
   * static final ItemFn<Session, String, Void> LOG = (s, text) -> {
   *   log.info("item {}: {}", PinnedPool.currentItemId().orElse(-1), text);
   *   return null;
   * };
   * }</pre>
   */
  public static OptionalLong currentItemId() {
    return Thread.currentThread() instanceof PinnedThread<?> t && t.current.active
        ? OptionalLong.of(t.current.id) : OptionalLong.empty();
  }

  /**
   * {@return the current pinned thread's state, made once when the thread started by the factory given
   * to {@link Builder#threadState(IntFunction)}} messaging_thread_pool's {@code thread_start}: state shared
   * by the items of one thread (a buffer, a random generator), touched only by that thread.
   *
   * <pre>{@code
   * PinnedPool<Walker> pool = PinnedPool.<Walker>builder().threadState(i -> new SplittableRandom(i)).build();
   * static final ItemFn<Walker, Void, Long> STEP = (w, p) -> w.step(PinnedPool.<SplittableRandom>threadState());
   * }</pre>
   *
   * @throws IllegalStateException if the current thread is not a pinned thread, or its pool has no
   *     thread-state factory (or it returned null or threw)
   */
  @SuppressWarnings("unchecked")
  public static <T> T threadState() {
    if (Thread.currentThread() instanceof PinnedThread<?> t && t.threadState != null) {
      return (T) t.threadState;
    }
    throw new IllegalStateException("no pinned-thread state here: " + Thread.currentThread().getName()
        + " is not a pinned thread, or its pool has no threadState factory");
  }

  /**
   * {@return about how many messages wait in each thread's inbox, by thread index} A snapshot for
   * monitoring; a thread that stays deep while the others are empty holds a slow or hot item (see
   * "Head-of-line blocking" above).
   *
   * <pre>{@code int[] depths = pool.inboxDepths();}</pre>
   */
  public int[] inboxDepths() {
    int[] depths = new int[threads.length];
    for (int i = 0; i < depths.length; i++) {
      depths[i] = threads[i].inbox.depth();
    }
    return depths;
  }

  /**
   * {@return how many items live on each thread, by thread index} A recent snapshot, for monitoring.
   *
   * <pre>{@code int items = Arrays.stream(pool.itemCounts()).sum();}</pre>
   */
  public int[] itemCounts() {
    int[] counts = new int[threads.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = threads[i].itemCount();
    }
    return counts;
  }

  /**
   * Refuses new messages, runs every message accepted before, and waits until the threads have ended.
   * Items are dropped when their thread ends. A second call just waits for the threads again.
   *
   * <pre>{@code try (PinnedPool<Counter> pool = PinnedPool.create(2)) { ... } // close() at the end}</pre>
   *
   * @throws IllegalStateException if called from one of this pool's threads (it would wait for itself)
   */
  @Override
  public void close() {
    refuseOwnThread("close()");
    shutDownInboxes();
    boolean interrupted = false;
    for (PinnedThread<S> t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // close() has to finish its job; the flag is restored below
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Refuses new messages and fails every accepted message that has not started with a
   * {@link java.util.concurrent.CancellationException} saying so (a fire-and-forget message's goes to
   * the failure handler); a message already running finishes. Returns at once; {@link #close()} then
   * waits for the threads. Allowed from a pinned thread.
   *
   * <pre>{@code pool.shutdownNow(); pool.close();}</pre>
   */
  public void shutdownNow() {
    stopping = true;
    shutDownInboxes();
  }

  /**
   * {@return true once {@link #close()} or {@link #shutdownNow()} has started}
   *
   * <pre>{@code if (!pool.isClosed()) pool.post(id, PING, null);}</pre>
   */
  public boolean isClosed() {
    return closed;
  }

  private void shutDownInboxes() {
    closed = true;
    for (PinnedThread<S> t : threads) {
      t.inbox.shutdown();
      t.signal();
    }
  }

  private void refuseOwnThread(String what) {
    if (Thread.currentThread() instanceof PinnedThread<?> t && t.pool == this) {
      throw new IllegalStateException(what + " from " + t.getName() + ", a thread of this pinned pool, "
          + "would wait for that thread to end");
    }
  }

  /** Hands a failure that has no future to the failure handler; the pinned thread carries on. */
  void reportFailure(long id, Throwable failure) {
    try {
      failureHandler.accept(failure, id);
    } catch (Throwable t) {
      failure.addSuppressed(t);
      Thread current = Thread.currentThread();
      current.getUncaughtExceptionHandler().uncaughtException(current, failure);
    }
  }

  @Override
  public String toString() {
    return "PinnedPool[threads=" + threads.length + ", closed=" + isClosed() + "]";
  }

  /**
   * Settings for a {@link PinnedPool}.
   *
   * <pre>{@code
   * PinnedPool<Room> rooms = PinnedPool.<Room>builder().threads(4).daemon(true).build();
   * }</pre>
   *
   * @param <S> the item type
   */
  public static final class Builder<S> {
    /**
     * The default of {@link #spinWindow}: {@code -Dzeropool.pinned.spinWindowNanos}, else 50 µs. Longer
     * than the core pool's 20 µs because a waiter here usually waits for a thread that must be woken
     * first: the window has to outlast one OS wake-up (15–30 µs measured on a small VM), or the waiter
     * parks just before its reply arrives and pays a second wake-up.
     */
    private static final Duration DEFAULT_SPIN_WINDOW =
        Duration.ofNanos(Math.max(0, Long.getLong("zeropool.pinned.spinWindowNanos", 50_000L)));

    private int threads = Runtime.getRuntime().availableProcessors();
    private String threadNamePrefix;
    private boolean daemon;
    private LongToIntFunction router;
    private IntFunction<?> threadStateFactory;
    private LongConsumer beforeEach;
    private LongConsumer afterEach;
    private Duration spinWindow = DEFAULT_SPIN_WINDOW;
    private int inboxCapacity = 256;
    private ObjLongConsumer<Throwable> failureHandler = Builder::printFailure;

    private Builder() {}

    /**
     * Sets the number of pinned threads (default: one per available processor).
     *
     * <pre>{@code PinnedPool.<Counter>builder().threads(8).build();}</pre>
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public Builder<S> threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Names threads {@code prefix + index} (default {@code zeropool-pinned-<pool number>-thread-<index>}).
     *
     * <pre>{@code PinnedPool.<Room>builder().threadNamePrefix("chat-").build(); // chat-0, chat-1, ...}</pre>
     *
     * @throws NullPointerException if {@code prefix} is null
     */
    public Builder<S> threadNamePrefix(String prefix) {
      this.threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Makes the threads daemon threads (default false: a pool that is never closed keeps the JVM alive).
     *
     * <pre>{@code PinnedPool.<Room>builder().daemon(true).build();}</pre>
     */
    public Builder<S> daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /**
     * Replaces the id-to-thread mapping (default {@code Math.floorMod(id, threads)}). It must be a pure
     * function returning an index in {@code [0, threads)}, the same for an id every time; a result out
     * of range fails the call with {@link IllegalStateException}.
     *
     * <pre>{@code
     * // id 0 is hot: it gets thread 0 to itself, the others share threads 1..3
     * PinnedPool.<Room>builder().threads(4).router(id -> id == 0 ? 0 : 1 + (int) Math.floorMod(id, 3L)).build();
     * }</pre>
     *
     * @throws NullPointerException if {@code router} is null
     */
    public Builder<S> router(LongToIntFunction router) {
      this.router = Objects.requireNonNull(router, "router");
      return this;
    }

    /**
     * Makes state once per thread, on that thread as it starts (messaging_thread_pool's
     * {@code thread_start}); items read it with {@link PinnedPool#threadState()}. The argument is the
     * thread's index. A factory that throws leaves the thread without state and goes to the failure
     * handler (with id -1).
     *
     * <pre>{@code PinnedPool.<Walker>builder().threadState(i -> new SplittableRandom(i)).build();}</pre>
     *
     * @throws NullPointerException if {@code factory} is null
     */
    public Builder<S> threadState(IntFunction<?> factory) {
      this.threadStateFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Runs {@code hook} with the item id on the item's thread before each message (add, send, post,
     * remove), e.g. to put the id into an SLF4J MDC. If it throws, the message fails with that
     * exception and does not run.
     *
     * <pre>{@code builder.beforeEach(id -> MDC.put("item", Long.toString(id)));}</pre>
     *
     * @throws NullPointerException if {@code hook} is null
     */
    public Builder<S> beforeEach(LongConsumer hook) {
      this.beforeEach = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Runs {@code hook} with the item id on the item's thread after each message, even a failed one,
     * before the message's future is completed. If it throws, the failure goes to the failure handler
     * and the message's own outcome stands.
     *
     * <pre>{@code builder.afterEach(id -> MDC.remove("item"));}</pre>
     *
     * @throws NullPointerException if {@code hook} is null
     */
    public Builder<S> afterEach(LongConsumer hook) {
      this.afterEach = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Receives failures that have no future to go to: a failed {@link PinnedPool#post}, a throwing
     * {@code afterEach} hook or thread-state factory (id -1). Runs on the pinned thread. Default: print
     * the stack trace to {@code System.err}.
     *
     * <pre>{@code builder.failureHandler((failure, id) -> log.warn("item {} failed", id, failure));}</pre>
     *
     * @throws NullPointerException if {@code handler} is null
     */
    public Builder<S> failureHandler(ObjLongConsumer<Throwable> handler) {
      this.failureHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * How long a pinned thread that has just run messages spins, re-checking its inbox, before it
     * parks, and how long a thread blocked in {@code join}/{@code get} on a message's future spins
     * before it parks (default {@code -Dzeropool.pinned.spinWindowNanos}, else 50 µs). A request or
     * reply that follows within the window is caught without an OS wake-up (2–30 µs each, two per round
     * trip otherwise). A spinning thread yields its core between its looks, so it never keeps a thread
     * that has work off a core. Bounded so that idle costs nothing: a thread spins only right after it
     * ran messages one by one, and a thread that wakes and finds nothing parks at once; after one
     * window an idle pool uses no CPU.
     * {@code Duration.ZERO} parks at once.
     *
     * <pre>{@code builder.spinWindow(Duration.ofNanos(20_000));}</pre>
     *
     * @throws NullPointerException if {@code window} is null
     * @throws IllegalArgumentException if {@code window} is negative
     */
    public Builder<S> spinWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative()) {
        throw new IllegalArgumentException("spin window must not be negative: " + window);
      }
      this.spinWindow = window;
      return this;
    }

    /**
     * Sets the first size of each thread's inbox ring, a power of two (default 256). A ring that fills
     * up is followed by one twice its size (up to 65 536), so this is a starting point, not a limit.
     *
     * <pre>{@code builder.inboxCapacity(4096);}</pre>
     *
     * @throws IllegalArgumentException if {@code capacity} is not a power of two in [2, 65536]
     */
    public Builder<S> inboxCapacity(int capacity) {
      if (capacity < 2 || Integer.bitCount(capacity) != 1 || capacity > MpscInbox.MAX_CAPACITY) {
        throw new IllegalArgumentException("inbox capacity must be a power of two in [2, "
            + MpscInbox.MAX_CAPACITY + "]: " + capacity);
      }
      this.inboxCapacity = capacity;
      return this;
    }

    /**
     * {@return a new pool with these settings; its threads are started}
     *
     * <pre>{@code PinnedPool<Counter> pool = PinnedPool.<Counter>builder().threads(2).build();}</pre>
     */
    public PinnedPool<S> build() {
      return new PinnedPool<>(this);
    }

    private static void printFailure(Throwable failure, long id) {
      System.err.println("pinned item " + id + " failed with no future to report to:");
      failure.printStackTrace();
    }
  }
}
