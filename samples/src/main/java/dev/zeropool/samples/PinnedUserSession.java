package dev.zeropool.samples;

import dev.zeropool.pinned.ItemFn;
import dev.zeropool.pinned.PinnedPool;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A user session holding non-thread-safe state (a {@code HashMap} cart, a {@code StringBuilder} audit
 * trail) served to many request threads without a lock, with the session id put into a logging
 * context around every message (here a plain thread-local string; with SLF4J, {@code MDC.put}/
 * {@code MDC.remove} in the same two hooks).
 */
public final class PinnedUserSession {

  /** The session: plain, unsynchronized collections, touched only by its pinned thread. */
  static final class Session {
    final Map<String, Integer> cart = new HashMap<>();
    final StringBuilder audit = new StringBuilder();
  }

  /** What a logger with an MDC would show: the session of the message being handled. */
  static final ThreadLocal<String> LOG_CONTEXT = new ThreadLocal<>();

  static final ItemFn<Session, String, Integer> ADD_TO_CART = (s, product) -> {
    s.audit.append('[').append(LOG_CONTEXT.get()).append("] +").append(product).append('\n');
    return s.cart.merge(product, 1, Integer::sum);
  };

  static final ItemFn<Session, Void, Integer> ITEMS_IN_CART = (s, unused) ->
      s.cart.values().stream().mapToInt(Integer::intValue).sum();

  private PinnedUserSession() {}

  /** Runs the sample on a pool of {@code threads} pinned threads. */
  public static void run(int threads) {
    try (PinnedPool<Session> sessions = PinnedPool.<Session>builder()
        .threads(threads)
        .beforeEach(id -> LOG_CONTEXT.set("session=" + id))
        .afterEach(id -> LOG_CONTEXT.remove())
        .build()) {
      for (long user = 1; user <= 3; user++) {
        sessions.add(user, Session::new);
      }
      CompletableFuture<?>[] requests = new CompletableFuture<?>[300];
      for (int i = 0; i < requests.length; i++) {
        long user = 1 + i % 3;
        requests[i] = CompletableFuture.runAsync(() -> sessions.send(user, ADD_TO_CART, "book").join());
      }
      CompletableFuture.allOf(requests).join();
      int inCart = sessions.send(2, ITEMS_IN_CART, null).join();
      String firstAudit = sessions.send(2, (s, unused) -> s.audit.substring(0, s.audit.indexOf("\n")), null).join();
      System.out.println("pinned user session: user 2 has " + inCart + " books in the cart; audit line '"
          + firstAudit + "'");
    }
  }

  public static void main(String[] args) {
    run(2);
  }
}
