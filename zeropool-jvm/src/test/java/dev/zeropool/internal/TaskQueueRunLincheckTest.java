package dev.zeropool.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of the consumer side of {@link TaskQueue}: polls that claim runs of several slots
 * (bounded by {@code max} and by the waiting tasks divided by {@code shareOf}), polls filtered to one
 * completion (a helping waiter's), and a shutdown racing them (accepted tasks can still be taken).
 *
 * <p>Each scenario starts from a queue holding ten tasks of two completions, mine and another's,
 * offered singly and in batches before the threads start. Offers do not run during the scenario,
 * on purpose: the length of a run is an estimate when producers are active (the waiting count
 * includes slots that are claimed but not yet published, and a run ends at such a slot), so, as
 * Lincheck showed, run lengths are not linearizable against an atomic specification then. That is
 * harmless (the next poll takes the rest); concurrent producers are checked with single-slot polls by
 * {@link TaskQueueLincheckTest}. One ring of 64 slots, so a run never meets a ring boundary.
 */
public class TaskQueueRunLincheckTest {

  private static final Object FN = new Object();
  static final Object MINE = new Object();
  static final Object OTHER = new Object();
  private static final int ITERATIONS = Integer.getInteger("zeropool.lincheck.iterations", 30);

  private final TaskQueue queue = new TaskQueue(64, 64);

  public TaskQueueRunLincheckTest() {
    queue.offerAll(FN, null, List.of(1, 2, 3), 3, MINE);
    queue.offer(FN, 4, OTHER);
    queue.offerAll(FN, null, new Object[] {5, 6}, 2, MINE);
    queue.offer(FN, 7, MINE);
    queue.offerAll(FN, null, List.of(8, 9), 2, OTHER);
    queue.offer(FN, 10, MINE);
  }

  private String take(int max, int shareOf, Object only) {
    RunClaim run = new RunClaim();
    int n = queue.poll(run, max, shareOf, only);
    List<Object> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      taken.add(run.param(i));
      run.release(i);
    }
    return taken.toString();
  }

  @Operation
  public String pollRun() {
    return take(3, 1, null);
  }

  @Operation
  public String pollShared() {
    return take(3, 2, null);
  }

  @Operation
  public String pollMine() {
    return take(2, 1, MINE);
  }

  @Operation
  public void shutDown() {
    queue.shutDown();
  }

  @Operation
  public boolean offerAfterShutDown() {
    return queue.isShutDown() && queue.offer(FN, 99, OTHER);
  }

  @Operation
  public boolean isEmpty() {
    return queue.isEmpty();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void modelChecking() {
    new ModelCheckingOptions()
        .iterations(ITERATIONS)
        .invocationsPerIteration(300)
        .threads(3)
        .actorsPerThread(3)
        .sequentialSpecification(SequentialRuns.class)
        .check(getClass());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void stress() {
    new StressOptions()
        .iterations(ITERATIONS)
        .invocationsPerIteration(300)
        .threads(3)
        .actorsPerThread(3)
        .sequentialSpecification(SequentialRuns.class)
        .check(getClass());
  }

  /** The specification: a FIFO of (task, completion) from which a poll takes a run at the head. */
  public static final class SequentialRuns {
    private record Task(Object value, Object owner) {}

    private final ArrayDeque<Task> fifo = new ArrayDeque<>();

    public SequentialRuns() {
      for (int v : new int[] {1, 2, 3}) {
        fifo.add(new Task(v, MINE));
      }
      fifo.add(new Task(4, OTHER));
      fifo.add(new Task(5, MINE));
      fifo.add(new Task(6, MINE));
      fifo.add(new Task(7, MINE));
      fifo.add(new Task(8, OTHER));
      fifo.add(new Task(9, OTHER));
      fifo.add(new Task(10, MINE));
    }

    /** A run is at most {@code max} and at most waiting / shareOf long (at least one), stopping at another's task. */
    private String take(int max, int shareOf, Object only) {
      int limit = fifo.isEmpty() ? 0 : Math.max(1, Math.min(max, fifo.size() / shareOf));
      List<Object> taken = new ArrayList<>();
      while (taken.size() < limit && (only == null || fifo.peek().owner() == only)) {
        taken.add(fifo.poll().value());
      }
      return taken.toString();
    }

    public String pollRun() {
      return take(3, 1, null);
    }

    public String pollShared() {
      return take(3, 2, null);
    }

    public String pollMine() {
      return take(2, 1, MINE);
    }

    public void shutDown() {}

    /** Refused: either the queue is not shut down yet (no offer made) or it is. */
    public boolean offerAfterShutDown() {
      return false;
    }

    public boolean isEmpty() {
      return fifo.isEmpty();
    }
  }
}
