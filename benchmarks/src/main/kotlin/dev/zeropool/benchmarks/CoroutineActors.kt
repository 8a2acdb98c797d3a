package dev.zeropool.benchmarks

import java.util.concurrent.CompletableFuture
import java.util.function.Supplier
import java.util.function.ToLongFunction
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.job
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/**
 * The kotlinx peer of [PinnedBenchmark]: one actor per item, the plain kotlinx way. Each item is a
 * coroutine on `Dispatchers.Default` that owns the item and reads its own unlimited [Channel]; a
 * message is a small object with the handler and a `CompletableFuture` for the reply. The item is
 * confined to its coroutine (one message at a time, in channel order), though not to one thread.
 *
 * Used from one benchmark thread: [add], [send] and [close] must not be called concurrently.
 */
public class CoroutineActors<S : Any> : AutoCloseable {

    private class Message<S>(val fn: ToLongFunction<S>, val reply: CompletableFuture<Long>)

    private val scope = CoroutineScope(Dispatchers.Default + SupervisorJob())
    private val actors = HashMap<Long, SendChannel<Message<S>>>()

    /** Starts the actor of item [id]; [factory] runs inside it. Completes when the item exists. */
    public fun add(id: Long, factory: Supplier<S>): CompletableFuture<Void?> {
        val channel = Channel<Message<S>>(Channel.UNLIMITED)
        val created = CompletableFuture<Void?>()
        scope.launch {
            val item = factory.get()
            created.complete(null)
            for (m in channel) {
                m.reply.complete(m.fn.applyAsLong(item))
            }
        }
        actors[id] = channel
        return created
    }

    /** Sends [fn] to item [id]; the future completes with its result. */
    public fun send(id: Long, fn: ToLongFunction<S>): CompletableFuture<Long> {
        val reply = CompletableFuture<Long>()
        actors.getValue(id).trySend(Message(fn, reply)).getOrThrow()
        return reply
    }

    /** Closes every channel, waits until every actor has drained its messages and ended. */
    override fun close() {
        actors.values.forEach { it.close() }
        runBlocking { scope.coroutineContext.job.children.toList().joinAll() }
        scope.cancel()
    }
}
