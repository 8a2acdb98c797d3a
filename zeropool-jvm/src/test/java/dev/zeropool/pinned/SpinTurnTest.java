package dev.zeropool.pinned;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link SpinTurn} on its own, one thread: the turn has one holder at a time, and the count of woken
 * threads says "someone is waking" from the first {@code woke()} until every one of them runs again.
 */
class SpinTurnTest {

  @Test
  void theTurnHasOneHolderUntilItIsReleased() {
    SpinTurn turn = new SpinTurn();
    assertTrue(turn.tryTake(), "a fresh turn is free");
    assertFalse(turn.tryTake(), "a held turn is refused");
    assertFalse(turn.tryTake(), "and stays refused while held");
    turn.release();
    assertTrue(turn.tryTake(), "a released turn can be taken again");
    assertFalse(turn.tryTake());
    turn.release();
  }

  @Test
  void someoneIsWakingFromTheFirstWakeUpUntilEveryWokenThreadRuns() {
    SpinTurn turn = new SpinTurn();
    assertFalse(turn.someoneWaking(), "nobody woken yet");
    turn.woke();
    assertTrue(turn.someoneWaking(), "one woken thread");
    turn.woke();
    turn.running();
    assertTrue(turn.someoneWaking(), "one of two woken threads still waits to run");
    turn.running();
    assertFalse(turn.someoneWaking(), "both run again");
  }

  @Test
  void wakingCountsDoNotAffectWhoHoldsTheTurn() {
    SpinTurn turn = new SpinTurn();
    turn.woke();
    assertTrue(turn.tryTake(), "the turn is independent of the waking count");
    turn.running();
    assertFalse(turn.someoneWaking());
    assertFalse(turn.tryTake());
    turn.release();
  }
}
