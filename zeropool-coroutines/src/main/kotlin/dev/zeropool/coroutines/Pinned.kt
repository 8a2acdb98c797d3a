package dev.zeropool.coroutines

import dev.zeropool.pinned.ItemFn
import dev.zeropool.pinned.PinnedSender
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import java.util.function.BiConsumer
import java.util.function.Supplier
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * Sends one message to item [id] and suspends until its response, without blocking a thread: [fn]
 * runs on the item's pinned thread with the item and [param], and its result is returned here.
 * Works on any [PinnedSender]: a [dev.zeropool.pinned.PinnedPool], or a
 * [dev.zeropool.pinned.ScriptedSender] in unit tests.
 *
 * ```
 * val ADD = ItemFn<Counter, Long, Long> { counter, by -> counter.value += by; counter.value }
 *
 * val total: Long = pool.sendAwait(7, ADD, 5L)   // suspends; the caller's thread is free meanwhile
 * ```
 *
 * Failures are the handler's own exceptions, rethrown here: a
 * [java.util.NoSuchElementException] for an unknown id, whatever [fn] threw otherwise (checked ones
 * included); the item lives on.
 *
 * **Cancellation** never corrupts the item: cancelling the caller resumes it at once with a
 * [kotlinx.coroutines.CancellationException] and cancels the message's future. A message that has not
 * started by then is skipped by the pinned thread; one that is running runs to its end (its result is
 * dropped). So the item sees the whole message or none of it. A coroutine that is already cancelled
 * sends nothing.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is closed
 */
public suspend fun <S, P, R> PinnedSender<S>.sendAwait(id: Long, fn: ItemFn<S, P, R>, param: P): R {
    currentCoroutineContext().ensureActive()
    return send(id, fn, param).awaitMessage()
}

/**
 * Creates item [id] with [factory] (run on the item's own thread) and suspends until it exists.
 *
 * ```
 * pool.addAwait(7) { Counter() }
 * ```
 *
 * Fails with [IllegalStateException] if an item with that id exists (the factory is then not called),
 * or with what the factory threw. **Cancellation**: as for [sendAwait]: an add that has not started is
 * skipped (no item is created), one that is running completes.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is closed
 */
public suspend fun <S> PinnedSender<S>.addAwait(id: Long, factory: () -> S) {
    currentCoroutineContext().ensureActive()
    add(id, Supplier(factory)).awaitMessage()
}

/**
 * Removes item [id] and suspends until it is gone; returns true if it existed.
 *
 * ```
 * val existed = pool.removeAwait(7)
 * ```
 *
 * **Cancellation**: as for [sendAwait]: a remove that has not started is skipped (the item stays).
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is closed
 */
public suspend fun <S> PinnedSender<S>.removeAwait(id: Long): Boolean {
    currentCoroutineContext().ensureActive()
    return remove(id).awaitMessage()
}

/**
 * Suspends on a message's future; cancels it if the caller is cancelled, so the pinned thread skips
 * the message if it has not started.
 */
private suspend fun <T> CompletableFuture<T>.awaitMessage(): T {
    if (isDone) {
        try {
            return join()
        } catch (e: CompletionException) {
            throw e.cause ?: e
        }
    }
    return suspendCancellableCoroutine { cont -> MessageWait(this, cont).start() }
}

/**
 * One suspended message wait: the future's completion callback and the continuation's cancellation
 * handler in one object.
 *
 * ### Races
 * 1. Completion and cancellation race to resume the continuation; a cancelled
 *    [CancellableContinuation] ignores the resume that may follow, so the second is harmless.
 * 2. The cancellation handler cancels the future. The pinned thread checks the future right before it
 *    starts the message and skips a cancelled one; a message already running completes its (cancelled)
 *    future in vain, which `CompletableFuture` ignores. The item never sees half a message because of
 *    this.
 */
private class MessageWait<T>(
    private val future: CompletableFuture<T>,
    private val continuation: CancellableContinuation<T>,
) : BiConsumer<T?, Throwable?>, (Throwable?) -> Unit {

    fun start() {
        continuation.invokeOnCancellation(this)
        future.whenComplete(this)
    }

    @Suppress("UNCHECKED_CAST")
    override fun accept(value: T?, failure: Throwable?) {
        if (failure == null) {
            continuation.resume(value as T)
        } else {
            continuation.resumeWithException((failure as? CompletionException)?.cause ?: failure)
        }
    }

    override fun invoke(cause: Throwable?) {
        future.cancel(false)
    }
}
