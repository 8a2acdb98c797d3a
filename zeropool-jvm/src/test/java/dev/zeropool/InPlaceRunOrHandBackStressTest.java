package dev.zeropool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A waiter running a {@code submit} task in place races a {@code shutdownNow} that finds the task's
 * queue slot still there: exactly one of them must get the task. Either it ran, its future holds its
 * value and the stop did not hand it back, or it never ran, its future is cancelled and the stop handed
 * it back. Without the claim both could act: the task ran while its future said cancelled and the stop
 * listed it as never started.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InPlaceRunOrHandBackStressTest {

  @Test
  void aTaskIsEitherRunInPlaceOrHandedBackNeverBoth() throws Exception {
    for (int round = 0; round < 1_000; round++) {
      ZeroPool pool = ZeroPool.builder().workers(1).withoutStarvationWatchdog().build();
      Gate gate = Gate.hold(pool); // the only worker never takes the slot: the waiter and the stop race
      AtomicInteger ran = new AtomicInteger();
      Future<Integer> future = pool.submit(ran::incrementAndGet);
      CountDownLatch go = new CountDownLatch(1);
      AtomicReference<Object> outcome = new AtomicReference<>();
      Thread waiter = new Thread(() -> {
        try {
          go.await();
          outcome.set(future.get());
        } catch (CancellationException cancelled) {
          outcome.set(cancelled);
        } catch (Exception e) {
          outcome.set(e);
        }
      });
      waiter.start();
      go.countDown();
      List<Runnable> handedBack = pool.shutdownNow();
      Waits.ended(waiter);
      gate.release();
      if (handedBack.contains(future)) {
        assertEquals(0, ran.get(), "round " + round + ": handed back, yet it ran");
        assertTrue(outcome.get() instanceof CancellationException, "round " + round + ": " + outcome.get());
      } else {
        assertEquals(1, ran.get(), "round " + round + ": not handed back, yet it did not run");
        assertEquals(1, outcome.get(), "round " + round + ": the run's value");
      }
      assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    }
  }
}
