package dev.zeropool.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ItemMap} against {@code HashMap} under random puts, gets and removes, with colliding ids. */
class ItemMapTest {

  @Test
  void behavesLikeAHashMapUnderRandomOperations() {
    SplittableRandom random = new SplittableRandom(42);
    ItemMap<String> map = new ItemMap<>();
    Map<Long, String> model = new HashMap<>();
    for (int op = 0; op < 200_000; op++) {
      // a small key range (with negatives and multiples of a power of two) forces long probe runs
      long id = (random.nextInt(400) - 200) * (random.nextBoolean() ? 1L : 1L << 20);
      switch (random.nextInt(3)) {
        case 0:
          if (!model.containsKey(id)) {
            map.put(id, "v" + id);
            model.put(id, "v" + id);
          }
          break;
        case 1:
          assertEquals(model.remove(id), map.remove(id), "remove " + id);
          break;
        default:
          assertEquals(model.get(id), map.get(id), "get " + id);
      }
      assertEquals(model.size(), map.size());
    }
    for (Map.Entry<Long, String> e : model.entrySet()) {
      assertEquals(e.getValue(), map.get(e.getKey()));
    }
    map.clear();
    assertEquals(0, map.size());
    assertNull(map.get(0));
  }

  /**
   * Deletion shifts later members of a probe run back into the hole; a run that wraps around the end of
   * the table is the case where "is its home between the hole and its slot" must be read cyclically.
   */
  @Test
  void removingFromARunThatWrapsAroundTheTableEndKeepsEveryOtherIdReachable() {
    int mask = 15; // the first table: 16 slots, which hold up to 7 items before growing
    long[] homeLast = idsWithHome(mask, 3, mask); // they fill slots 15, 0 and 1
    long homeZero = idsWithHome(0, 1, mask)[0]; // its home is taken: it lands in slot 2
    ItemMap<Long> map = new ItemMap<>();
    for (long id : homeLast) {
      map.put(id, id);
    }
    map.put(homeZero, homeZero);
    assertEquals(homeLast[0], map.remove(homeLast[0]));
    assertNull(map.get(homeLast[0]));
    for (long id : new long[] {homeLast[1], homeLast[2], homeZero}) {
      assertEquals(id, map.get(id), "id " + id + " after removing the head of the wrapped run");
    }
    assertEquals(homeLast[1], map.remove(homeLast[1]));
    assertEquals(homeLast[2], map.get(homeLast[2]));
    assertEquals(homeZero, map.get(homeZero));
    assertEquals(2, map.size());
  }

  private static long[] idsWithHome(int home, int count, int mask) {
    long[] ids = new long[count];
    int found = 0;
    for (long id = 1; found < count; id++) {
      if (ItemMap.home(id, mask) == home) {
        ids[found++] = id;
      }
    }
    return ids;
  }
}
