package dev.zeropool.coroutines

import dev.zeropool.SpawnedTask
import dev.zeropool.Split
import dev.zeropool.TaskFn
import dev.zeropool.ZeroPool
import java.util.concurrent.CompletionException
import java.util.function.BiFunction
import java.util.function.IntConsumer
import java.util.function.Supplier
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * Computes [a] and [b] in parallel with [ZeroPool.join] and returns both results.
 *
 * The calling thread computes [a] and, if no worker has started it, [b] too; while it waits it helps
 * only with work forked by this call. A failure is rethrown as a [CompletionException] whose cause
 * is the first failure.
 *
 * (It is not called `join`: a Java member always wins over a Kotlin extension, so `pool.join({ }, { })`
 * calls the member [ZeroPool.join] that takes two `Runnable`s and returns nothing.)
 *
 * ```
 * fun fib(n: Int): Long =
 *     if (n < 20) fibSequential(n)
 *     else pool.joinPair({ fib(n - 1) }, { fib(n - 2) }).let { (x, y) -> x + y }
 * ```
 */
public fun <A, B> ZeroPool.joinPair(a: () -> A, b: () -> B): Pair<A, B> =
    join(Supplier(a), Supplier(b), BiFunction { x: A, y: B -> Pair(x, y) })

/**
 * Runs [body] exactly once for every index of [range], in parallel, with [ZeroPool.forRange].
 *
 * The body runs on several threads at once, so it is passed on as one `IntConsumer` object (for
 * a body that captures nothing, a shared one); nothing is allocated per index. An empty range
 * runs nothing.
 *
 * ```
 * pool.forRange(0 until n) { i -> out[i] = a[i] + b[i] }
 * pool.forRange(0 until height, Split.perItem()) { y -> shadeRow(y) }
 * ```
 *
 * @throws IllegalArgumentException if [range] ends at [Int.MAX_VALUE] (it has no exclusive end)
 */
public inline fun ZeroPool.forRange(
    range: IntRange,
    split: Split = Split.adaptive(),
    crossinline body: (Int) -> Unit,
) {
    forRange(range.first, exclusiveEnd(range), split, IntConsumer { body(it) })
}

/**
 * Sums [f] over [range] in parallel with [ZeroPool.sumLong], without boxing.
 *
 * ```
 * val total = pool.sumOf(0 until prices.size) { i -> prices[i] }
 * ```
 *
 * @throws IllegalArgumentException if [range] ends at [Int.MAX_VALUE]
 */
public inline fun ZeroPool.sumOf(
    range: IntRange,
    split: Split = Split.adaptive(),
    crossinline f: (Int) -> Long,
): Long = sumLong(range.first, exclusiveEnd(range), split) { f(it) }

/**
 * Runs [body] once for every index of [range] on the pool, suspending the caller until every index
 * is done: the loop's calling side runs on a worker, so the calling thread is never blocked (use it
 * from a coroutine on a UI or event-loop thread). A failure rethrows the body's own exception.
 *
 * ```
 * suspend fun render(tiles: Array<Tile>) = pool.parallelFor(tiles.indices) { i -> tiles[i].draw() }
 * ```
 *
 * **Cancellation**: cancelling the caller before the loop starts means it never runs; once it has
 * started, its indices all run (a loop is not interruptible half-way) and the caller resumes at
 * once with a [kotlinx.coroutines.CancellationException].
 *
 * @throws IllegalArgumentException if [range] ends at [Int.MAX_VALUE]
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun ZeroPool.parallelFor(
    range: IntRange,
    split: Split = Split.adaptive(),
    body: (Int) -> Unit,
) {
    val end = exclusiveEnd(range)
    if (range.isEmpty()) return
    runTask(RUN, Runnable { unwrapped { forRange(range.first, end, split, IntConsumer { body(it) }) } })
}

/**
 * Computes [a] and [b] in parallel on the pool and suspends until both are done; the calling thread
 * is never blocked. Failures rethrow the part's own exception.
 *
 * ```
 * val (user, orders) = pool.parallelJoin({ loadUser(id) }, { loadOrders(id) })
 * ```
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun <A, B> ZeroPool.parallelJoin(a: () -> A, b: () -> B): Pair<A, B> =
    spawnForeground { unwrapped { joinPair(a, b) } }

/**
 * Suspends until this spawned task has finished and returns its result, without blocking a thread
 * (unlike [SpawnedTask.join], it never runs the task on the caller). Rethrows the task's own
 * exception.
 *
 * ```
 * val thumbnail = pool.spawn { Thumbnail.of(image) }
 * show(thumbnail.await())
 * ```
 *
 * **Cancellation**: cancelling the awaiting coroutine resumes it at once and cancels the task if it
 * has not started ([SpawnedTask.cancel]); a started task runs to the end.
 */
public suspend fun <T> SpawnedTask<T>.await(): T {
    if (isDone) {
        return joinUnwrapped()
    }
    return suspendCancellableCoroutine { cont ->
        toCompletableFuture().whenComplete { value, error ->
            if (error == null) cont.resume(value) else cont.resumeWithException(error)
        }
        cont.invokeOnCancellation { cancel(false) }
    }
}

@PublishedApi
internal fun exclusiveEnd(range: IntRange): Int {
    require(range.last != Int.MAX_VALUE || range.isEmpty()) {
        "a range ending at Int.MAX_VALUE has no exclusive end: $range"
    }
    return if (range.isEmpty()) range.first else range.last + 1
}

private val RUN: TaskFn<Runnable> = TaskFn { it.run() }

private fun <T> SpawnedTask<T>.joinUnwrapped(): T = unwrapped { join() }

/** Rethrows a fork's [CompletionException] as the part's own exception. */
private inline fun <T> unwrapped(block: () -> T): T =
    try {
        block()
    } catch (e: CompletionException) {
        throw e.cause ?: e
    }

/** Runs [block] as one foreground task on the pool and suspends for its result. */
private suspend fun <T> ZeroPool.spawnForeground(block: () -> T): T {
    val holder = ResultHolder(block)
    runTask(RESULT, holder)
    @Suppress("UNCHECKED_CAST")
    return holder.result as T
}

private class ResultHolder(val block: () -> Any?) {
    var result: Any? = null
}

private val RESULT: TaskFn<ResultHolder> = TaskFn { it.result = it.block() }
