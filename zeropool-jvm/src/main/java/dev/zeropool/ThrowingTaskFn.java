package dev.zeropool;

/**
 * A task handle whose body may throw checked exceptions, for tasks that call I/O or other throwing
 * code. Turn it into a {@link TaskFn} once, with {@link TaskFn#unchecked(ThrowingTaskFn)}, and keep the
 * result in a {@code static final} field like any other handle:
 *
 * <pre>{@code
 * static final class Load { final Path path; byte[] bytes; Load(Path path) { this.path = path; } }
 * static final TaskFn<Load> LOAD = TaskFn.unchecked(p -> p.bytes = Files.readAllBytes(p.path));
 *
 * TaskFuture f = pool.submitBatch(LOAD, loads);
 * try {
 *   f.join();
 * } catch (CompletionException e) {
 *   if (e.getCause() instanceof IOException io) { ... }   // the task's own exception, not wrapped twice
 * }
 * }</pre>
 *
 * @param <P> the parameter object's type
 */
@FunctionalInterface
public interface ThrowingTaskFn<P> {

  /**
   * Runs the task.
   *
   * @param params the parameter object given at submission; also where results are written
   * @throws Exception any failure; it becomes the failure of the submission's future as it is
   */
  void run(P params) throws Exception;
}
