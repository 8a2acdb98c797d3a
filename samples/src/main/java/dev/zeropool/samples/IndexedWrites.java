package dev.zeropool.samples;

import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;

/** Each task writes its own slot of one shared result array: no locks, no result objects. */
public final class IndexedWrites {

  /** Which slot to fill, and the shared output array. */
  static final class Slot {
    final int index;
    final long[] out;

    Slot(int index, long[] out) {
      this.index = index;
      this.out = out;
    }
  }

  static final TaskFn<Slot> CUBE = s -> s.out[s.index] = (long) s.index * s.index * s.index;

  private IndexedWrites() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) {
    long[] cubes = new long[1000];
    Slot[] slots = new Slot[cubes.length];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot(i, cubes);
    }
    pool.submitBatch(CUBE, slots).join();
    System.out.println("indexed writes: cubes[10] = " + cubes[10] + ", cubes[999] = " + cubes[999]);
  }

  public static void main(String[] args) {
    try (ZeroPool pool = ZeroPool.create()) {
      run(pool);
    }
  }
}
