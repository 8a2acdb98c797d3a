package dev.zeropool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Edges of {@link TaskQueue} and {@link QueueSegment} on one thread: a batch split over rings of
 * different sizes, a filtered poll that must not skip a full ring's tasks, the largest ring.
 */
class QueueEdgesTest {

  private static final Object FN = new Object();
  /** Bound of every wait ({@code -Dzeropool.test.waitSeconds}, shortened by the mutation profile). */
  private static final long WAIT_SECONDS = Long.getLong("zeropool.test.waitSeconds", 10);
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
  void aBatchCutShortByAShutDownSaysHowManyTasksItAppended() {
    TaskQueue queue = new TaskQueue(4, 8);
    List<Integer> params = new AbstractList<>() {
      @Override
      public Integer get(int index) {
        if (index == 0) {
          queue.shutDown(); // lands after the first ring's claim, before the second ring's
        }
        return index;
      }

      @Override
      public int size() {
        return 6;
      }
    };
    assertEquals(4, queue.offerAll(FN, null, params, 6, FN), "the first ring's 4 were accepted, the rest refused");
    assertTrue(queue.isShutDown());
    assertEquals(List.of(0, 1, 2, 3), drain(queue), "and the accepted ones run");
  }

  @Test
  void lapsThroughOneRingNeverLinkASecond() {
    TaskQueue queue = new TaskQueue(4, 8);
    for (int lap = 0; lap < 20; lap++) {
      for (int i = 0; i < 4; i++) {
        assertTrue(queue.offer(FN, lap * 4 + i, FN));
      }
      assertEquals(List.of(lap * 4, lap * 4 + 1, lap * 4 + 2, lap * 4 + 3), drain(queue));
    }
    assertEquals(1, queue.segmentCount(), "every lap reused the first ring's released slots");
    queue.offer(FN, "fifth", FN);
    for (int i = 0; i < 4; i++) {
      queue.offer(FN, i, FN);
    }
    assertEquals(2, queue.segmentCount(), "five tasks do not fit four slots: a successor is linked");
  }

  @Test
  void aSecondShutDownLinksNoRing() {
    TaskQueue queue = new TaskQueue(4, 8);
    queue.offer(FN, "kept", FN);
    queue.shutDown();
    queue.shutDown();
    assertTrue(queue.isShutDown());
    assertEquals(1, queue.segmentCount(), "the queue was shut down already: nothing to close or link");
    assertFalse(queue.offer(FN, "refused", FN));
    assertEquals(List.of("kept"), drain(queue));
  }

  /**
   * A producer that found the tail ring full has closed it but not yet moved the queue's tail past it
   * (done here by hand): a shutdown in that moment must link the successor itself and shut that down.
   */
  @Test
  void aShutDownWhileTheFullTailRingIsClosedButNotYetPassedShutsTheSuccessor() throws Exception {
    TaskQueue queue = new TaskQueue(2, 4);
    queue.offer(FN, "a", FN);
    queue.offer(FN, "b", FN);
    Field tail = TaskQueue.class.getDeclaredField("tailSegment");
    tail.setAccessible(true);
    QueueSegment full = (QueueSegment) tail.get(queue);
    assertEquals(QueueSegment.CLAIM_CLOSED, full.tryClaim(1), "the producer's claim closes the full ring");
    Thread stopper = new Thread(queue::shutDown, "queue-edges-shutdown");
    stopper.setDaemon(true);
    stopper.start();
    stopper.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(stopper.isAlive(), "shutDown returned");
    assertTrue(queue.isShutDown());
    assertFalse(queue.offer(FN, "refused", FN));
    assertEquals(2, queue.segmentCount(), "the closed ring and the successor the shutdown linked");
    assertEquals(List.of("a", "b"), drain(queue));
  }

  @Test
  void aRingLargerThanTheLargestIsRefused() {
    assertEquals(QueueSegment.MAX_CAPACITY, new QueueSegment(QueueSegment.MAX_CAPACITY).capacity);
    assertThrows(IllegalArgumentException.class, () -> new QueueSegment(QueueSegment.MAX_CAPACITY * 2));
    assertThrows(IllegalArgumentException.class, () -> new QueueSegment(6));
  }
}
