package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edges of {@link TaskQueue} and {@link QueueSegment} on one thread: a batch split over rings of
 * different sizes, a filtered poll that must not skip a full ring's tasks, the largest ring.
 */
class QueueEdgesTest {

  private static final Object FN = new Object();
  private final RunClaim run = new RunClaim();

  /** Polls everything, one run at a time, and returns the parameters in order. */
  private List<Object> drain(TaskQueue queue) {
    List<Object> params = new ArrayList<>();
    int n;
    while ((n = queue.poll(run, 64, 1, null)) > 0) {
      for (int i = 0; i < n; i++) {
        params.add(run.param(i));
        run.release(i);
      }
    }
    return params;
  }

  @Test
  void aBatchSplitOverRingsOfDifferentSizesKeepsEveryTaskOnceInOrder() {
    TaskQueue queue = new TaskQueue(4, 8);
    Integer[] params = new Integer[6];
    for (int i = 0; i < params.length; i++) {
      params[i] = i;
    }
    assertEquals(6, queue.offerAll(FN, null, params, 6, FN), "4 in the first ring, 2 in its successor");
    assertEquals(6, queue.size());
    assertEquals(List.of(0, 1, 2, 3, 4, 5), drain(queue));
    assertTrue(queue.isEmpty());
  }

  @Test
  void aFilteredPollNeverSkipsTheRestOfAFullRing() {
    TaskQueue queue = new TaskQueue(2, 4);
    Object mine = new Object();
    Object other = new Object();
    queue.offer(FN, "a", other);
    queue.offer(FN, "b", other); // the first ring is full: the next offer closes it
    queue.offer(FN, "c", mine);
    assertEquals(0, queue.poll(run, 8, 1, mine), "the head task is someone else's");
    assertEquals(List.of("a", "b", "c"), drain(queue), "nothing was skipped or lost");
  }

  @Test
  void aRingLargerThanTheLargestIsRefused() {
    assertEquals(QueueSegment.MAX_CAPACITY, new QueueSegment(QueueSegment.MAX_CAPACITY).capacity);
    assertThrows(IllegalArgumentException.class, () -> new QueueSegment(QueueSegment.MAX_CAPACITY * 2));
    assertThrows(IllegalArgumentException.class, () -> new QueueSegment(6));
  }
}
