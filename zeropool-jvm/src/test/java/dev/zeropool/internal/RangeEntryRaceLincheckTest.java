package dev.zeropool.internal;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-checks the two races of {@link RangeEntry}'s cursor that one thread cannot show: a claim or a
 * skip that read the cursor as not exhausted, and then lost the last units to another thread before
 * its own {@code getAndAdd}. That late {@code getAndAdd} returns {@code units} or more: the claim must
 * then fail (an empty chunk {@code [units, units)} would count as a claim, and its {@code finish(0)}
 * on a done entry would complete it a second time), and the skip must count nothing. The entry has
 * one unit and each scenario one operation per thread, so every interleaving the checker tries is
 * one of these races or its harmless order; the results must be those of some sequential order (one
 * successful claim at most, none after a skip). {@code RangeEntryLincheckTest} explores bigger random
 * scenarios; these fixed ones reach the race in every run, however few iterations are asked for.
 */
public class RangeEntryRaceLincheckTest {

  private final RangeEntry entry = new RangeEntry(null, 1, 1, false, null) {
    @Override
    protected void runUnits(int from, int to) {
      // nothing to do: what is checked is who claims, and that the count stays right
    }
  };

  /** Claims the unit and runs it, as a worker or a joiner does; true if this thread got it. */
  @Operation
  public boolean claimAndRun() {
    long claimed = entry.claim(1);
    if (claimed == RangeEntry.NONE) {
      return false;
    }
    entry.runChunk(claimed);
    return true;
  }

  /** Skips the rest, as a failure or a search's match does. */
  @Operation
  public void skip() {
    entry.skipRest();
  }

  private static ExecutionScenario race(String first, String second) throws NoSuchMethodException {
    return new ExecutionScenario(List.of(), List.of(List.of(actor(first)), List.of(actor(second))), List.of(), null);
  }

  private static Actor actor(String name) throws NoSuchMethodException {
    Method method = RangeEntryRaceLincheckTest.class.getMethod(name);
    return new Actor(method, List.of(), false, false, false, false, false);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void modelChecking() throws NoSuchMethodException {
    new ModelCheckingOptions()
        .iterations(0) // only the scenarios below
        .invocationsPerIteration(1_000)
        .addCustomScenario(race("claimAndRun", "claimAndRun"))
        .addCustomScenario(race("claimAndRun", "skip"))
        .addCustomScenario(race("skip", "skip"))
        .check(getClass());
  }
}
