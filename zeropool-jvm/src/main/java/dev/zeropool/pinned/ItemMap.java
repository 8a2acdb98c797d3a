package dev.zeropool.pinned;

import java.util.Arrays;

/**
 * The items of one pinned thread: an open-addressing hash map from {@code long} id to item, so that a
 * lookup boxes nothing (a {@code HashMap<Long, S>} would allocate a {@code Long} per message for ids
 * above 127).
 *
 * <h2>Invariant</h2>
 * Only its pinned thread touches it. Linear probing; a slot is empty iff its value is null (items are
 * never null). Deletion shifts later members of the probe run back (no tombstones), so every present
 * key is reachable from its home slot without crossing an empty slot. The table is at most half full.
 *
 * @param <S> the item type
 */
final class ItemMap<S> {

  private long[] keys = new long[16];
  private Object[] values = new Object[16];
  private int size;

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  S get(long id) {
    int mask = keys.length - 1;
    for (int i = home(id, mask); ; i = (i + 1) & mask) {
      Object v = values[i];
      if (v == null) {
        return null;
      }
      if (keys[i] == id) {
        return (S) v;
      }
    }
  }

  boolean contains(long id) {
    return get(id) != null;
  }

  /** Adds {@code id -> item}; the caller has checked that {@code id} is absent. */
  void put(long id, S item) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    insert(id, item);
    size++;
  }

  /** {@return the removed item, or null if {@code id} was absent} */
  @SuppressWarnings("unchecked")
  S remove(long id) {
    int mask = keys.length - 1;
    int i = home(id, mask);
    while (values[i] != null && keys[i] != id) {
      i = (i + 1) & mask;
    }
    Object removed = values[i];
    if (removed == null) {
      return null;
    }
    // Backward shift: move each later member of the run into the hole unless its home lies
    // cyclically in (hole, its slot], where moving it would put it before its home.
    int hole = i;
    for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
      int h = home(keys[j], mask);
      boolean stays = hole <= j ? hole < h && h <= j : hole < h || h <= j;
      if (!stays) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    values[hole] = null;
    size--;
    return (S) removed;
  }

  /** Removes every item. */
  void clear() {
    Arrays.fill(values, null);
    size = 0;
  }

  private void insert(long id, Object item) {
    int mask = keys.length - 1;
    int i = home(id, mask);
    while (values[i] != null) {
      i = (i + 1) & mask;
    }
    keys[i] = id;
    values[i] = item;
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldValues.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        insert(oldKeys[i], oldValues[i]);
      }
    }
  }

  /** Fibonacci hashing: sequential ids spread over the table. */
  static int home(long id, int mask) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
