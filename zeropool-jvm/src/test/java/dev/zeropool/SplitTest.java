package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link Split}: the chunk size each kind gives a loop, its argument checks and its text. */
class SplitTest {

  @Test
  void perGivesItsSizeAndPerOneIsPerItem() {
    assertEquals(7, Split.per(7).chunkSize(100, 3));
    assertEquals(1, Split.perItem().chunkSize(100, 3));
    assertSame(Split.perItem(), Split.per(1));
    assertEquals("Split.per(7)", Split.per(7).toString());
    assertEquals("Split.perItem()", Split.per(1).toString());
  }

  @Test
  void byCutsTheRangeIntoThatManyChunksRoundedUpAndNeverEmpty() {
    assertEquals(3, Split.by(4).chunkSize(10, 3)); // 3 + 3 + 3 + 1
    assertEquals(5, Split.by(2).chunkSize(10, 3));
    assertEquals(1, Split.by(4).chunkSize(2, 3)); // fewer indices than chunks: one index each
    assertEquals(1, Split.by(4).chunkSize(0, 3));
    assertEquals(1 << 30, Split.by(2).chunkSize(Integer.MAX_VALUE, 3)); // no int overflow
    assertEquals(10, Split.by(1).chunkSize(10, 3));
    assertEquals("Split.by(4)", Split.by(4).toString());
  }

  @Test
  void byThreadsCountsTheWorkersAndTheCaller() {
    assertEquals(3, Split.byThreads().chunkSize(9, 2)); // 2 workers + the caller: 3 chunks
    assertEquals(4, Split.byThreads().chunkSize(10, 2));
    assertEquals(10, Split.byThreads().chunkSize(10, 0));
    assertEquals("Split.byThreads()", Split.byThreads().toString());
  }

  @Test
  void adaptiveLeavesTheSizeToTheLoop() {
    assertEquals(0, Split.adaptive().chunkSize(1_000, 3));
    assertEquals("Split.adaptive()", Split.adaptive().toString());
  }

  @Test
  void sizesBelowOneAreRefusedAndOneIsAccepted() {
    assertThrows(IllegalArgumentException.class, () -> Split.per(0));
    assertThrows(IllegalArgumentException.class, () -> Split.by(0));
    assertEquals(1, Split.per(1).chunkSize(5, 1));
    assertEquals(5, Split.by(1).chunkSize(5, 1));
  }
}
