package dev.zeropool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fixed list of tasks, each a handle and its parameter object, submitted together with one future.
 * The tasks may use different handles and parameter types (a mixed batch). A batch is immutable and
 * pre-built: submit it as often as you like, from any thread, with no per-submission conversion;
 * resubmitting allocates only the submission's {@link TaskFuture}.
 *
 * <pre>{@code
 * TaskBatch frame = TaskBatch.builder()
 *     .add(PHYSICS, world)
 *     .addAll(ANIMATE, sprites)        // an array or a list of parameter objects
 *     .add(AUDIO, mixer)
 *     .build();
 * for (int i = 0; i < frames; i++) {
 *   pool.submitBatch(frame).join();    // same tasks every frame
 * }
 * }</pre>
 *
 * <p>Parameter objects are referenced, not copied: the tasks see their current state each time.
 */
public final class TaskBatch {

  private static final TaskBatch EMPTY = new TaskBatch(new TaskFn<?>[0], new Object[0]);

  private final TaskFn<?>[] fns;
  private final Object[] params;

  private TaskBatch(TaskFn<?>[] fns, Object[] params) {
    this.fns = fns;
    this.params = params;
  }

  /** {@return a builder for a new batch} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the empty batch; submitting it returns an already completed future} */
  public static TaskBatch empty() {
    return EMPTY;
  }

  /** {@return the number of tasks} */
  public int size() {
    return fns.length;
  }

  /** {@return the handle of task {@code index}} */
  public TaskFn<?> fn(int index) {
    return fns[index];
  }

  /** {@return the parameter object of task {@code index}} */
  public Object params(int index) {
    return params[index];
  }

  /** Internal: the handle array, shared with the queue (never modified). */
  TaskFn<?>[] fns() {
    return fns;
  }

  /** Internal: the parameter array, shared with the queue (never modified). */
  Object[] paramArray() {
    return params;
  }

  @Override
  public String toString() {
    return "TaskBatch[" + fns.length + " tasks]";
  }

  /**
   * Collects tasks in submission order. Not thread-safe; {@link #build()} may be called repeatedly,
   * each time producing an independent batch.
   *
   * <pre>{@code
   * TaskBatch batch = TaskBatch.builder().add(ADD, addParams).add(MULTIPLY, mulParams).build();
   * }</pre>
   */
  public static final class Builder {
    private final List<TaskFn<?>> fns = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    private Builder() {}

    /**
     * Adds one task.
     *
     * @throws NullPointerException if {@code fn} is null (a null {@code params} is allowed)
     */
    public <P> Builder add(TaskFn<P> fn, P params) {
      this.fns.add(Objects.requireNonNull(fn, "fn"));
      this.params.add(params);
      return this;
    }

    /**
     * Adds one task per parameter object, all with the same handle.
     *
     * @throws NullPointerException if {@code fn} or {@code params} is null
     */
    @SafeVarargs
    public final <P> Builder addAll(TaskFn<P> fn, P... params) {
      return addAll(fn, Arrays.asList(Objects.requireNonNull(params, "params")));
    }

    /**
     * Adds one task per parameter object, all with the same handle.
     *
     * @throws NullPointerException if {@code fn} or {@code params} is null
     */
    public <P> Builder addAll(TaskFn<P> fn, List<? extends P> params) {
      Objects.requireNonNull(fn, "fn");
      Objects.requireNonNull(params, "params");
      for (P p : params) {
        this.fns.add(fn);
        this.params.add(p);
      }
      return this;
    }

    /** {@return the number of tasks added so far} */
    public int size() {
      return fns.size();
    }

    /** {@return an immutable batch of the tasks added so far} */
    public TaskBatch build() {
      return fns.isEmpty() ? EMPTY : new TaskBatch(fns.toArray(new TaskFn<?>[0]), params.toArray());
    }
  }
}
