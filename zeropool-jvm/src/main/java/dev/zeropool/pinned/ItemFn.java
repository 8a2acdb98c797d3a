package dev.zeropool.pinned;

/**
 * A message handler for pinned items: runs on the item's own thread with the item and the message's
 * parameter, and returns the response. Meant to be held in a {@code static final} field and reused for
 * every message, like {@link dev.zeropool.TaskFn}, so that sending allocates nothing for it.
 *
 * <pre>{@code
 * static final ItemFn<Counter, Long, Long> ADD = (counter, by) -> counter.value += by;
 *
 * long now = pool.send(7, ADD, 5L).join();
 * }</pre>
 *
 * <p>The handler may throw, checked exceptions included: the exception fails that message's future
 * and the item lives on. Whatever the handler changed before it threw stays changed, as with any
 * exception (the item may be half-updated).
 *
 * @param <S> the item's type
 * @param <P> the parameter's type
 * @param <R> the response's type
 */
@FunctionalInterface
public interface ItemFn<S, P, R> {

  /**
   * Handles one message.
   *
   * <pre>{@code ItemFn<StringBuilder, String, Integer> APPEND = (sb, s) -> sb.append(s).length();}</pre>
   *
   * @param item the item, touched only by this thread
   * @param param the message's parameter, as given to {@code send} (may be null)
   * @return the response that completes the message's future
   * @throws Exception anything; it fails the message's future only
   */
  R apply(S item, P param) throws Exception;
}
