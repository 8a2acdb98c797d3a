package dev.zeropool.pinned;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A {@link PinnedSender} for unit tests (messaging_thread_pool's {@code SenderAndReceiverMock}): no
 * threads, no items; it records every request and answers {@code send} with the reply scripted for the
 * handler, so code that talks to items can be tested on its own.
 *
 * <pre>{@code
 * ScriptedSender<Counter> sender = new ScriptedSender<Counter>().reply(ADD, (id, by) -> 42L);
 * long total = new Billing(sender).charge(7, 5L);       // code under test calls sender.send(7, ADD, 5L)
 * assertEquals(42L, total);
 * assertEquals(List.of(new ScriptedSender.Request(ScriptedSender.Kind.SEND, 7, ADD, 5L)), sender.requests());
 * }</pre>
 *
 * <p>Answers: {@code add} completes normally without calling the factory; {@code remove} completes
 * with true; {@code send} completes with the scripted reply's result, fails with what the reply throws,
 * or fails with {@link IllegalStateException} when no reply is scripted for its handler; {@code post}
 * is only recorded. Everything completes before the call returns. Safe to use from several threads.
 *
 * @param <S> the item type of the code under test
 */
public final class ScriptedSender<S> implements PinnedSender<S> {

  /**
   * The kind of a recorded request.
   *
   * <pre>{@code assertEquals(ScriptedSender.Kind.SEND, sender.requests().get(0).kind());}</pre>
   */
  public enum Kind {
    /** {@link PinnedSender#add}. */
    ADD,
    /** {@link PinnedSender#send}. */
    SEND,
    /** {@link PinnedSender#post}. */
    POST,
    /** {@link PinnedSender#remove}. */
    REMOVE
  }

  /**
   * One recorded request: its kind, the item id, and for {@code send}/{@code post} the handler and
   * parameter (null otherwise). Handlers compare by identity, which is why they are static handles.
   *
   * <pre>{@code new ScriptedSender.Request(ScriptedSender.Kind.REMOVE, 7, null, null)}</pre>
   *
   * @param kind what was called
   * @param id the item id
   * @param fn the handler, or null for add and remove
   * @param param the parameter, or null for add and remove
   */
  public record Request(Kind kind, long id, ItemFn<?, ?, ?> fn, Object param) {}

  private final List<Request> requests = new ArrayList<>();
  private final Map<ItemFn<?, ?, ?>, BiFunction<Long, Object, Object>> replies = new IdentityHashMap<>();

  /**
   * Creates a sender with no replies scripted.
   *
   * <pre>{@code ScriptedSender<Counter> sender = new ScriptedSender<>();}</pre>
   */
  public ScriptedSender() {}

  /**
   * Scripts the answer to every later {@code send} with handler {@code fn} (replacing an earlier one):
   * {@code answer} gets the id and parameter; what it returns completes the future, what it throws
   * fails it.
   *
   * <pre>{@code sender.reply(BALANCE, (id, unused) -> id == 7 ? 100L : 0L);}</pre>
   *
   * @return this sender
   * @throws NullPointerException if {@code fn} or {@code answer} is null
   */
  @SuppressWarnings("unchecked")
  public synchronized <P, R> ScriptedSender<S> reply(ItemFn<S, P, R> fn,
      BiFunction<Long, ? super P, ? extends R> answer) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(answer, "answer");
    replies.put(fn, (BiFunction<Long, Object, Object>) answer);
    return this;
  }

  /**
   * {@return a copy of the requests recorded so far, in call order}
   *
   * <pre>{@code assertEquals(3, sender.requests().size());}</pre>
   */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public synchronized CompletableFuture<Void> add(long id, Supplier<? extends S> factory) {
    Objects.requireNonNull(factory, "factory");
    requests.add(new Request(Kind.ADD, id, null, null));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <P, R> CompletableFuture<R> send(long id, ItemFn<S, P, R> fn, P param) {
    Objects.requireNonNull(fn, "fn");
    BiFunction<Long, Object, Object> answer;
    synchronized (this) {
      requests.add(new Request(Kind.SEND, id, fn, param));
      answer = replies.get(fn);
    }
    if (answer == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("no reply scripted for handler " + fn + " (item " + id + ")"));
    }
    try {
      return CompletableFuture.completedFuture((R) answer.apply(id, param));
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
  }

  @Override
  public synchronized <P> void post(long id, ItemFn<S, P, ?> fn, P param) {
    Objects.requireNonNull(fn, "fn");
    requests.add(new Request(Kind.POST, id, fn, param));
  }

  @Override
  public synchronized CompletableFuture<Boolean> remove(long id) {
    requests.add(new Request(Kind.REMOVE, id, null, null));
    return CompletableFuture.completedFuture(true);
  }
}
