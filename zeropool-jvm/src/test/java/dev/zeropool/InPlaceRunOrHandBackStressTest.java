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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A waiter running a {@code submit} task in place races a {@code shutdownNow} that finds the task's
 * queue slot still there: exactly one of them must get the task. Either it ran, its future holds its
 * value and the stop did not hand it back, or it never ran, its future is cancelled and the stop handed
 * it back. Without the claim both could act: the task ran while its future said cancelled and the stop
 * listed it as never started. With a task decorator the queue holds the decorator's wrapper, which
 * must still name its future to the stop, and the stop hands back the wrapper.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InPlaceRunOrHandBackStressTest {

  @ParameterizedTest(name = "decorated: {0}")
  @ValueSource(booleans = {false, true})
  void aTaskIsEitherRunInPlaceOrHandedBackNeverBoth(boolean decorated) throws Exception {
    for (int round = 0; round < 1_000; round++) {
      AtomicReference<Runnable> wrapper = new AtomicReference<>();
      ZeroPool.Builder builder = ZeroPool.builder().workers(1).withoutStarvationWatchdog();
      if (decorated) {
        builder.taskDecorator(task -> {
          Runnable wrapped = task::run;
          wrapper.set(wrapped);
          return wrapped;
        });
      }
      ZeroPool pool = builder.build();
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
      Object queued = decorated ? wrapper.get() : future;
      if (handedBack.contains(queued)) {
        assertEquals(1, handedBack.size(), "round " + round + ": " + handedBack);
        handedBack.get(0).run(); // its future is cancelled: running what came back does nothing
        assertEquals(0, ran.get(), "round " + round + ": handed back, yet it ran");
        assertTrue(outcome.get() instanceof CancellationException, "round " + round + ": " + outcome.get());
      } else {
        assertTrue(handedBack.isEmpty(), "round " + round + ": " + handedBack);
        assertEquals(1, ran.get(), "round " + round + ": not handed back, yet it did not run");
        assertEquals(1, outcome.get(), "round " + round + ": the run's value");
      }
      assertTrue(pool.awaitTermination(Waits.SECONDS, TimeUnit.SECONDS));
    }
  }
}
