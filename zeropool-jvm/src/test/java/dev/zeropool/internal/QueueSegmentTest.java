package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/**
 * One {@link QueueSegment} driven by hand on one thread: the answers of each step (claim, take,
 * release, close, shut down) as its contract states them, where {@link TaskQueue} would hide the
 * difference behind a retry or a successor ring.
 */
class QueueSegmentTest {

  private static final Object FN = new Object();
  private static final Object MINE = new Object();
  private static final Object OTHER = new Object();
  private static final long COUNT_MASK = (1L << QueueSegment.COUNT_BITS) - 1;

  private static long first(long result) {
    return result >>> QueueSegment.COUNT_BITS;
  }

  private static int count(long result) {
    return (int) (result & COUNT_MASK);
  }

  /** Claims and publishes one task; returns its index. */
  private static long put(QueueSegment segment, Object param, Object completion) {
    long claim = segment.tryClaim(1);
    assertTrue(claim >= 0, "a claim in an open ring with a free slot: " + claim);
    assertEquals(1, count(claim));
    segment.fillOne(first(claim), FN, param, completion);
    return first(claim);
  }

  @Test
  void aRingServesLapAfterLapInPlaceWhenEachTaskIsReleased() {
    QueueSegment segment = new QueueSegment(4);
    for (int lap = 0; lap < 10; lap++) {
      for (int i = 0; i < 4; i++) {
        assertEquals(4L * lap + i, put(segment, lap * 10 + i, MINE), "lap " + lap + ", slot " + i);
      }
      long taken = segment.tryTake(8, 1, null);
      assertEquals(4L * lap, first(taken));
      assertEquals(4, count(taken), "the whole lap in one run");
      for (int i = 0; i < 4; i++) {
        assertEquals(lap * 10 + i, segment.param(first(taken) + i));
        segment.release(first(taken) + i, 1);
      }
    }
    assertFalse(segment.isDrained(), "never closed: every lap found its slots free again");
    assertEquals(0, segment.tryTake(8, 1, null));
  }

  @Test
  void releasingPartOfARunFreesExactlyThoseSlotsAndLeavesTheOthersReadable() {
    QueueSegment segment = new QueueSegment(4);
    for (int i = 0; i < 4; i++) {
      put(segment, "p" + i, MINE);
    }
    long taken = segment.tryTake(4, 1, null);
    assertEquals(4, count(taken));
    segment.release(0, 2);
    assertNull(segment.param(0), "a released slot drops the caller's parameter");
    assertNull(segment.param(1));
    assertEquals("p2", segment.param(2), "slots still claimed stay as they were");
    assertEquals("p3", segment.param(3));
    long claim = segment.tryClaim(2);
    assertEquals(4, first(claim), "the next lap starts where the first ended");
    assertEquals(2, count(claim), "both released slots are free for the next lap");
    assertEquals(QueueSegment.CLAIM_CLOSED, segment.tryClaim(1), "the two slots still claimed are not");
  }

  @Test
  void aRingClosedBecauseItIsFullIsNotShutDownByALaterShutDown() {
    QueueSegment segment = new QueueSegment(2);
    put(segment, 1, MINE);
    put(segment, 2, MINE);
    assertEquals(QueueSegment.CLAIM_CLOSED, segment.tryClaim(1), "full: the claim closes the ring");
    assertFalse(segment.tryShutDown(), "already closed (for being full): this call shut nothing");
    assertFalse(segment.isShutDown());
    assertEquals(QueueSegment.CLAIM_CLOSED, segment.tryClaim(1), "closed, not shut down: go to the successor");
  }

  @Test
  void anOpenRingIsShutDownByTheFirstCallOnly() {
    QueueSegment segment = new QueueSegment(2);
    put(segment, 1, MINE);
    assertFalse(segment.isShutDown());
    assertTrue(segment.tryShutDown(), "this call shut it");
    assertTrue(segment.isShutDown());
    assertFalse(segment.tryShutDown(), "the second call finds it closed");
    assertEquals(QueueSegment.CLAIM_SHUT_DOWN, segment.tryClaim(1));
    assertEquals(1, count(segment.tryTake(8, 1, null)), "accepted work can still be taken");
  }

  @Test
  void anEmptyOpenRingIsEmptyNotDrainedAndAClosedTakenRingIsDrained() {
    QueueSegment segment = new QueueSegment(2);
    assertEquals(0, segment.tryTake(8, 1, null), "open and empty: nothing waiting");
    assertFalse(segment.isDrained());
    long index = put(segment, "a", MINE);
    segment.release(first(segment.tryTake(8, 1, null)), 1);
    assertEquals(0, segment.tryTake(8, 1, null), "taken, still open: more may come");
    assertFalse(segment.isDrained());
    assertFalse(segment.hasWaiting());
    put(segment, "b", MINE);
    put(segment, "c", MINE);
    assertEquals(QueueSegment.CLAIM_CLOSED, segment.tryClaim(1));
    assertFalse(segment.isDrained(), "closed, but two tasks wait");
    assertTrue(segment.hasWaiting());
    assertEquals(2, segment.waiting());
    long taken = segment.tryTake(8, 1, null);
    assertEquals(index + 1, first(taken));
    assertEquals(2, count(taken));
    assertTrue(segment.isDrained(), "closed and every claimed slot taken");
    assertEquals(QueueSegment.TAKE_DRAINED, segment.tryTake(8, 1, null));
  }

  @Test
  void aFilteredTakeSaysWhenTheHeadTaskBelongsToAnotherCompletion() {
    QueueSegment segment = new QueueSegment(4);
    put(segment, "theirs", OTHER);
    put(segment, "mine", MINE);
    assertEquals(QueueSegment.TAKE_NOT_OURS, segment.tryTake(8, 1, MINE));
    long theirs = segment.tryTake(8, 1, OTHER);
    assertEquals(1, count(theirs), "only the other completion's task");
    assertSame(OTHER, segment.completion(first(theirs)));
    assertEquals(1, count(segment.tryTake(8, 1, MINE)));
  }

  @Test
  void aGuidedTakeSharesOnlyTheTasksItMayTake() {
    QueueSegment segment = new QueueSegment(16);
    put(segment, 1, MINE);
    put(segment, 2, MINE);
    for (int i = 0; i < 10; i++) {
      put(segment, "other " + i, OTHER);
    }
    assertEquals(1, count(segment.tryTake(8, 2, MINE)), "two of ours waiting, shared by two: one each");
    assertEquals(1, count(segment.tryTake(8, 2, MINE)));
    assertEquals(5, count(segment.tryTake(8, 2, OTHER)), "ten waiting, shared by two");
  }

  @Test
  void aGuidedTakeSharesOnlyThePublishedTasksWhileAClaimIsStillBeingFilled() {
    QueueSegment segment = new QueueSegment(16);
    long claim = segment.tryClaim(12);
    assertEquals(12, count(claim));
    segment.fill(first(claim), 3, FN, null, new Object[] {0, 1, 2}, 0, MINE); // 9 claimed, unpublished
    assertEquals(1, count(segment.tryTake(8, 2, null)), "three ready, shared by two: one");
  }

  @Test
  void aRingClosesItselfAtTheIndexLimit() throws ReflectiveOperationException {
    QueueSegment segment = new QueueSegment(4);
    long start = QueueSegment.INDEX_LIMIT - 4; // as if 2^45 - 4 tasks had passed through it
    Field field = QueueSegment.class.getDeclaredField("sequences");
    field.setAccessible(true);
    long[] sequences = (long[]) field.get(segment);
    for (int i = 0; i < 4; i++) {
      sequences[i] = start + i;
    }
    assertTrue(segment.casHead(0, start));
    assertTrue(segment.casTail(0, start));
    for (int i = 0; i < 3; i++) {
      assertEquals(start + i, put(segment, i, MINE));
    }
    long taken = segment.tryTake(8, 1, null);
    assertEquals(3, count(taken));
    for (int i = 0; i < 3; i++) {
      segment.release(start + i, 1);
    }
    assertEquals(QueueSegment.INDEX_LIMIT - 1, put(segment, 3, MINE), "the last index below the limit");
    assertEquals(QueueSegment.CLAIM_CLOSED, segment.tryClaim(1),
        "at the limit the ring closes, though its next slot is free");
    assertFalse(segment.isShutDown());
    assertEquals(QueueSegment.CLAIM_CLOSED, segment.tryClaim(1));
  }
}
