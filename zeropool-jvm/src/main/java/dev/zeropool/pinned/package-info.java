/**
 * Pinned items (messaging_thread_pool's system on ZeroPool): stateful objects bound to one thread for
 * life, addressed by a {@code long} id, reached only through messages that run one at a time and in
 * order per item, with typed responses routed back to the sender.
 *
 * <pre>{@code
 * static final ItemFn<List<String>, String, Integer> POST = (room, line) -> { room.add(line); return room.size(); };
 *
 * try (PinnedPool<List<String>> rooms = PinnedPool.create(2)) {
 *   rooms.add(1, ArrayList::new);                  // a plain ArrayList: only its thread touches it
 *   int lines = rooms.send(1, POST, "hello").join();
 * }
 * }</pre>
 *
 * <p>{@link dev.zeropool.pinned.PinnedPool} is the pool, {@link dev.zeropool.pinned.ItemFn} a message
 * handler, {@link dev.zeropool.pinned.PinnedSender} the sending side as an interface, and
 * {@link dev.zeropool.pinned.ScriptedSender} its test double.
 */
package dev.zeropool.pinned;
