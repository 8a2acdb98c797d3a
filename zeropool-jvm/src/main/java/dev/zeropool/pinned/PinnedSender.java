package dev.zeropool.pinned;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * The sending side of pinned items (messaging_thread_pool's {@code SenderAndReceiver}): what code that
 * talks to items needs, and nothing about threads. {@link PinnedPool} implements it; so does
 * {@link ScriptedSender}, a test double that records requests and returns canned responses, so that
 * such code can be unit tested without threads.
 *
 * <pre>{@code
 * final class Scores {
 *   static final ItemFn<Map<String, Integer>, String, Integer> BUMP = (m, who) -> m.merge(who, 1, Integer::sum);
 *   private final PinnedSender<Map<String, Integer>> items;
 *   Scores(PinnedSender<Map<String, Integer>> items) { this.items = items; }
 *   int bump(long room, String who) { return items.send(room, BUMP, who).join(); }
 * }
 * new Scores(pool);                    // in production
 * new Scores(new ScriptedSender<>());  // in a unit test
 * }</pre>
 *
 * @param <S> the item type
 */
public interface PinnedSender<S> {

  /**
   * Creates an item with id {@code id}; the factory runs on the thread the item will live on.
   *
   * <pre>{@code pool.add(7, Counter::new).join();}</pre>
   *
   * @return completes when the item exists; fails with {@link IllegalStateException} if an item with
   *     that id already exists (the factory is then not called), or with what the factory threw
   * @throws NullPointerException if {@code factory} is null
   * @throws java.util.concurrent.RejectedExecutionException if the sender is closed
   */
  CompletableFuture<Void> add(long id, Supplier<? extends S> factory);

  /**
   * Sends one message: {@code fn} runs on the item's thread with the item and {@code param}.
   *
   * <pre>{@code long total = pool.send(7, ADD, 5L).join();}</pre>
   *
   * @return completes with {@code fn}'s result; fails with {@link NoSuchElementException} if there is
   *     no item with that id, or with what {@code fn} threw (the item lives on)
   * @throws NullPointerException if {@code fn} is null
   * @throws java.util.concurrent.RejectedExecutionException if the sender is closed
   */
  <P, R> CompletableFuture<R> send(long id, ItemFn<S, P, R> fn, P param);

  /**
   * Sends one message whose response nobody waits for (fire-and-forget): no future is made. A failure
   * (an unknown id, a throwing {@code fn}) goes to the pool's failure handler instead.
   *
   * <pre>{@code pool.post(7, ADD, 1L);}</pre>
   *
   * @throws NullPointerException if {@code fn} is null
   * @throws java.util.concurrent.RejectedExecutionException if the sender is closed
   */
  <P> void post(long id, ItemFn<S, P, ?> fn, P param);

  /**
   * Removes the item with id {@code id}.
   *
   * <pre>{@code boolean existed = pool.remove(7).join();}</pre>
   *
   * @return completes with true if the item existed
   * @throws java.util.concurrent.RejectedExecutionException if the sender is closed
   */
  CompletableFuture<Boolean> remove(long id);

  /**
   * Sends one message per id, {@code fn} with {@code params.get(i)} to item {@code ids[i]}; the
   * futures come back in request order. For responses in completion order, see
   * {@link #inCompletionOrder(List)}.
   *
   * <pre>{@code
   * List<CompletableFuture<Long>> sums = pool.sendAll(ids, SUM, Collections.nCopies(ids.length, null));
   * long total = sums.stream().mapToLong(CompletableFuture::join).sum();
   * }</pre>
   *
   * @throws NullPointerException if {@code ids}, {@code fn} or {@code params} is null
   * @throws IllegalArgumentException if {@code ids} and {@code params} differ in length
   * @throws java.util.concurrent.RejectedExecutionException if the sender is closed (messages sent
   *     before that moment stay sent)
   */
  default <P, R> List<CompletableFuture<R>> sendAll(long[] ids, ItemFn<S, P, R> fn, List<? extends P> params) {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(params, "params");
    if (ids.length != params.size()) {
      throw new IllegalArgumentException("ids and params differ in length: " + ids.length + " != " + params.size());
    }
    List<CompletableFuture<R>> futures = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      futures.add(send(ids[i], fn, params.get(i)));
    }
    return futures;
  }

  /**
   * The given futures in the order they complete (messaging_thread_pool's {@code send_and_receive}
   * iterator): each {@code next()} blocks until one more has completed and returns it, done.
   *
   * <pre>{@code
   * for (CompletableFuture<Long> done : PinnedSender.inCompletionOrder(pool.sendAll(ids, SUM, params))) {
   *   System.out.println(done.join());   // never blocks here
   * }
   * }</pre>
   *
   * <p>Iterate the result once: its iterators share one queue of completed futures. Blocking in
   * {@code next()} from an item's thread on responses from that same thread would never
   * end; compose with {@code thenAccept} there instead.
   *
   * @throws NullPointerException if {@code futures} or one of its elements is null
   */
  static <R> Iterable<CompletableFuture<R>> inCompletionOrder(List<? extends CompletableFuture<R>> futures) {
    Objects.requireNonNull(futures, "futures");
    LinkedBlockingQueue<CompletableFuture<R>> done = new LinkedBlockingQueue<>();
    for (CompletableFuture<R> f : futures) {
      Objects.requireNonNull(f, "futures contains null");
      f.whenComplete((r, t) -> done.add(f));
    }
    int total = futures.size();
    return () -> new Iterator<>() {
      private int returned;

      @Override
      public boolean hasNext() {
        return returned < total;
      }

      @Override
      public CompletableFuture<R> next() {
        if (returned == total) {
          throw new NoSuchElementException();
        }
        boolean interrupted = false;
        try {
          while (true) {
            try {
              CompletableFuture<R> f = done.take();
              returned++;
              return f;
            } catch (InterruptedException e) {
              interrupted = true; // keep waiting, like CompletableFuture.join; restore the flag after
            }
          }
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
  }
}
