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
}
