package dev.zeropool.internal;

import dev.zeropool.LincheckRuns;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-checks the idle-worker stack of {@link Parking}: workers listing themselves, taking themselves
 * off when they find work, and submitters popping the top, all at once. After every scenario the stack
 * must hold exactly the workers whose {@code idle} flag is set, each once: a lost or duplicated entry is
 * a worker that parks forever or is woken twice, and the ABA stamp is what prevents both when a pop
 * reads a stale {@code nextIdle}.
 *
 * <p>Each worker's own operations run on one thread (a non-parallel group), as in the pool, where only
 * a worker lists or unlists itself; {@code signal} may run on any thread.
 */
public class ParkingLincheckTest {

  private static final int ITERATIONS = Integer.getInteger("zeropool.lincheck.iterations", 30);

  private final Worker[] workers = {new Worker(null, 0), new Worker(null, 1), new Worker(null, 2)};
  private final Parking parking = new Parking(workers, 0, null);

  @Operation(nonParallelGroup = "w0")
  public void goIdle0() {
    goIdle(workers[0]);
  }

  @Operation(nonParallelGroup = "w0")
  public void foundWork0() {
    parking.tryUnlist(workers[0]);
  }

  @Operation(nonParallelGroup = "w1")
  public void goIdle1() {
    goIdle(workers[1]);
  }

  @Operation(nonParallelGroup = "w1")
  public void foundWork1() {
    parking.tryUnlist(workers[1]);
  }

  @Operation(nonParallelGroup = "w2")
  public void goIdle2() {
    goIdle(workers[2]);
  }

  /** A submission's wake-up: pops the top worker (its thread is null here, so the unpark is a no-op). */
  @Operation
  public void signal() {
    parking.signalWork();
  }

  /** As {@link Parking#awaitWork} does: a worker lists itself only when it is not listed. */
  private void goIdle(Worker w) {
    if (!w.idle) {
      parking.pushIdle(w);
    }
  }

  @Validate
  public void theStackHoldsExactlyTheIdleWorkersOnceEach() {
    int[] listed = parking.listedWorkers();
    boolean[] seen = new boolean[workers.length];
    for (int index : listed) {
      if (seen[index]) {
        throw new IllegalStateException("worker " + index + " is listed twice (or the stack has a cycle)");
      }
      seen[index] = true;
    }
    for (Worker w : workers) {
      if (seen[w.index] != w.idle) {
        throw new IllegalStateException("worker " + w.index + ": idle = " + w.idle + " but listed = "
            + seen[w.index]);
      }
    }
    if (parking.idleWorkers() != listed.length) {
      throw new IllegalStateException(parking.idleWorkers() + " idle workers, " + listed.length + " listed");
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void modelChecking() {
    LincheckRuns.modelCheck(getClass(), null);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void stress() {
    new StressOptions()
        .iterations(ITERATIONS)
        .invocationsPerIteration(5_000)
        .threads(3)
        .actorsPerThread(3)
        .check(getClass());
  }
}
