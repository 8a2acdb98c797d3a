package dev.zeropool;

/**
 * A task handle: a function from a parameter object to nothing, meant to be held in a
 * {@code static final} field and reused for every submission, like a function pointer.
 *
 * <p>The task writes its result into memory reachable from its parameter object (a field, an array
 * slot). After the submission's {@link TaskFuture#join()} returns, every such write is visible to the
 * thread that joined.
 *
 * <pre>{@code
 * static final class Square { final int in; int out; Square(int in) { this.in = in; } }
 * static final TaskFn<Square> SQUARE = p -> p.out = p.in * p.in;
 *
 * Square p = new Square(7);
 * pool.submitTask(SQUARE, p).join();   // p.out == 49
 * }</pre>
 *
 * <p>A handle that captures nothing is a singleton, so submitting it allocates nothing. A handle may
 * throw; the exception is recorded on the submission's future and the worker carries on.
 *
 * @param <P> the parameter object's type
 */
@FunctionalInterface
public interface TaskFn<P> {

  /**
   * Runs the task.
   *
   * @param params the parameter object given at submission; also where results are written
   */
  void run(P params);

  /**
   * Makes a handle from a task body that may throw checked exceptions. Call it once and keep the
   * result in a {@code static final} field: the returned handle is a new object on every call.
   *
   * <pre>{@code
   * static final TaskFn<Load> LOAD = TaskFn.unchecked(p -> p.bytes = Files.readAllBytes(p.path));
   * }</pre>
   *
   * <p>An exception thrown by {@code fn} leaves the returned handle as it is, without a wrapper (the
   * compiler's checked-exception rule is sidestepped, not the exception): the submission's future
   * fails with it as the cause (a {@link java.util.concurrent.CompletionException} from
   * {@link TaskFuture#join()} carries the original {@code IOException}, for example), and the pool's
   * {@link FailureHandler} receives it together with the returned handle.
   *
   * @param fn the throwing task body
   * @param <P> the parameter object's type
   * @return a handle that runs {@code fn}
   * @throws NullPointerException if {@code fn} is null
   */
  static <P> TaskFn<P> unchecked(ThrowingTaskFn<P> fn) {
    java.util.Objects.requireNonNull(fn, "fn");
    return params -> {
      try {
        fn.run(params);
      } catch (Exception e) {
        throw TaskFn.<RuntimeException>rethrow(e);
      }
    };
  }

  /**
   * Throws {@code e} as it is: {@code E} is inferred as an unchecked type at the call site, and
   * generic types are erased, so no cast is checked at run time.
   */
  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrow(Exception e) throws E {
    throw (E) e;
  }
}
