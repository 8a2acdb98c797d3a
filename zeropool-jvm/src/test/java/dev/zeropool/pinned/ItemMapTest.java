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
}
