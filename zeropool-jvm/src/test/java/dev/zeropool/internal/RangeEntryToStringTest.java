package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a range entry says about itself (it shows in the messages of waits that time out). */
class RangeEntryToStringTest {

  /** Four units, one unit a chunk, claimed and run by hand: no pool. */
  static final class FourUnits extends RangeEntry {
    int ran;

    FourUnits() {
      super(null, 4, 1, false, null);
    }

    @Override
    protected void runUnits(int from, int to) {
      ran += to - from;
    }
  }

  @Test
  void anEntrySaysHowManyOfItsUnitsAreUnfinishedThenThatItIsDone() {
    FourUnits entry = new FourUnits();
    assertEquals("FourUnits[4 of 4 units unfinished]", entry.toString());
    entry.runChunk(entry.claim());
    assertEquals("FourUnits[3 of 4 units unfinished]", entry.toString());
    for (long claimed; (claimed = entry.claim()) != RangeEntry.NONE; ) {
      entry.runChunk(claimed);
    }
    assertTrue(entry.isDone());
    assertEquals(4, entry.ran);
    assertEquals("FourUnits[done]", entry.toString());
  }
}
