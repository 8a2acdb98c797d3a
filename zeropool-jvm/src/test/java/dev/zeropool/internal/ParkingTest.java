package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The idle stack of {@link Parking} step by step, on one thread: the exact order of pops and which
 * worker an unlist may take off. {@link ParkingLincheckTest} covers the same operations concurrently.
 * The workers have no threads here, so a pop's unpark does nothing.
 */
class ParkingTest {

  private final Worker[] workers = {new Worker(null, 0), new Worker(null, 1), new Worker(null, 2)};
  private final Parking parking = new Parking(workers, 0, null);

  @Test
  void aSpinnerMayKeepItsCoreOnlyInAPoolThatDoesNotOutnumberTheProcessors() {
    int processors = Runtime.getRuntime().availableProcessors();
    assertTrue(new Parking(workersOf(processors), 0, null).spinnerMayKeepCore);
    assertFalse(new Parking(workersOf(processors + 1), 0, null).spinnerMayKeepCore,
        "with more workers than processors a listed worker does not mean a free core: the spinner yields");
  }

  private static Worker[] workersOf(int count) {
    Worker[] made = new Worker[count];
    for (int i = 0; i < count; i++) {
      made[i] = new Worker(null, i);
    }
    return made;
  }

  @Test
  void signalsPopTheMostRecentlyListedWorkerFirst() {
    parking.pushIdle(workers[0]);
    parking.pushIdle(workers[1]);
    parking.pushIdle(workers[2]);
    assertArrayEquals(new int[] {2, 1, 0}, parking.listedWorkers());
    assertEquals(3, parking.idleWorkers());

    parking.signalWork();
    assertFalse(workers[2].idle, "the popped worker is no longer idle");
    assertArrayEquals(new int[] {1, 0}, parking.listedWorkers());
    parking.signalWork();
    parking.signalWork();
    assertArrayEquals(new int[0], parking.listedWorkers());
    assertEquals(3, parking.wakeUps());

    parking.signalWork(); // nobody listed: nothing to pop, nothing counted
    assertEquals(3, parking.wakeUps());
    assertEquals(0, parking.idleWorkers());
  }

  @Test
  void anOwnerCountsAsStuckOnlyAfterTakingNoWorkForTheStealDelay() {
    Worker idle = workers[0];
    Worker owner = workers[1];
    long steal = Parking.STEAL_AFTER_NANOS;
    long t0 = 1_000_000;
    assertFalse(Parking.ownerStuck(idle, owner, t0), "the first look starts the watch");
    assertFalse(Parking.ownerStuck(idle, owner, t0 + steal - 1));
    assertTrue(Parking.ownerStuck(idle, owner, t0 + steal));

    owner.tookWork();
    assertFalse(Parking.ownerStuck(idle, owner, t0 + 2 * steal), "progress restarts the watch");
    assertFalse(Parking.ownerStuck(idle, owner, t0 + 3 * steal - 1));
    assertTrue(Parking.ownerStuck(idle, owner, t0 + 3 * steal));

    assertFalse(Parking.ownerStuck(idle, workers[2], t0 + 10 * steal), "another owner restarts the watch");
    assertTrue(Parking.ownerStuck(idle, workers[2], t0 + 11 * steal));
  }

  @Test
  void aWorkerUnlistsItselfOnlyFromTheTop() {
    parking.pushIdle(workers[0]);
    parking.pushIdle(workers[1]);

    parking.tryUnlist(workers[0]); // below the top: stays listed, a later pop wakes it spuriously
    assertTrue(workers[0].idle);
    assertArrayEquals(new int[] {1, 0}, parking.listedWorkers());

    parking.tryUnlist(workers[1]);
    assertFalse(workers[1].idle);
    assertArrayEquals(new int[] {0}, parking.listedWorkers());

    parking.tryUnlist(workers[0]);
    assertFalse(workers[0].idle);
    assertArrayEquals(new int[0], parking.listedWorkers());
  }

  @Test
  void aPoppedWorkerWithAStaleLinkCannotRelistAnother() {
    parking.pushIdle(workers[0]);
    parking.pushIdle(workers[1]); // its link points at worker 0
    parking.signalWork();
    parking.signalWork();
    assertArrayEquals(new int[0], parking.listedWorkers());

    parking.tryUnlist(workers[1]); // not listed: must not bring its stale link back
    parking.tryUnlist(workers[0]);
    assertArrayEquals(new int[0], parking.listedWorkers());
    assertFalse(workers[0].idle);
    assertFalse(workers[1].idle);
  }

  @Test
  void aWorkerListedAgainAfterAPopIsPoppedAgain() {
    parking.pushIdle(workers[2]);
    parking.pushIdle(workers[1]);
    parking.signalWork(); // pops 1
    parking.pushIdle(workers[1]);
    parking.pushIdle(workers[0]);
    assertArrayEquals(new int[] {0, 1, 2}, parking.listedWorkers());
    parking.signalWork();
    parking.signalWork();
    assertArrayEquals(new int[] {2}, parking.listedWorkers());
    assertTrue(workers[2].idle);
    assertFalse(workers[1].idle);
    assertFalse(workers[0].idle);
  }
}
