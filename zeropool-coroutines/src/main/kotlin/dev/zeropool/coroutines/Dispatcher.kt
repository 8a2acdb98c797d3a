package dev.zeropool.coroutines

import dev.zeropool.ZeroPool
import java.util.concurrent.Executor
import java.util.concurrent.RejectedExecutionException
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExecutorCoroutineDispatcher
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.cancel

/**
 * A [kotlinx.coroutines.CoroutineDispatcher] that runs coroutines on this pool's workers, through
 * the same lock-free queue as its tasks. The dispatcher borrows the pool: its
 * [close][ExecutorCoroutineDispatcher.close] does nothing, and the pool's owner shuts the pool down.
 * Use [zeroPoolDispatcher] for a dispatcher that owns its pool.
 *
 * ```
 * ZeroPool.create(4).use { pool ->
 *     runBlocking(pool.asCoroutineDispatcher()) {
 *         val parts = (1..8).map { async { heavy(it) } }.awaitAll()
 *     }
 * }
 * ```
 *
 * ### Behaviour
 * - **Dispatch** hands the coroutine's own block to [ZeroPool.execute], which stores it in a queue
 *   slot: no wrapper and no allocation per dispatch. The block never runs in place;
 *   [isDispatchNeeded][kotlinx.coroutines.CoroutineDispatcher.isDispatchNeeded] is always true.
 * - **yield()** re-queues the coroutine behind the work already waiting ([ZeroPool.executeQueued]):
 *   on a worker, at the tail of that worker's local queue, which takes turns with the pool's shared
 *   queue and which idle workers steal from, so yielding coroutines take turns fairly without
 *   contending for the shared queue.
 * - **limitedParallelism(n)** is kotlinx's default view over this dispatcher: at most n of its
 *   coroutines run at once, and the view hands its worker back to the pool every few tasks.
 * - **delay() and withTimeout()** use kotlinx's shared timer thread (kotlinx's `Delay` interface is
 *   internal API), which resumes the coroutine by dispatching it here.
 * - **After shutdown** the pool refuses new work. As kotlinx's executor dispatchers do, a refused
 *   dispatch cancels the coroutine's job with a [CancellationException] whose cause is the
 *   [RejectedExecutionException], and runs the block on [Dispatchers.IO] so that the coroutine can
 *   finish its cancellation (its `finally` blocks run there).
 *
 * Two dispatchers over the same pool are equal, so `withContext` between them does not re-dispatch.
 * Its `toString()` is `ZeroPoolDispatcher[<the pool>]`.
 *
 * **Beware of the wrong import.** kotlinx.coroutines also has `ExecutorService.asCoroutineDispatcher()`
 * (`import kotlinx.coroutines.asCoroutineDispatcher`), which an IDE may offer first. Called on a
 * [ZeroPool] it compiles and runs, but its dispatcher **shuts the pool down when closed** (for
 * example at the end of a `use { }` block meant for the dispatcher only). Import
 * `dev.zeropool.coroutines.asCoroutineDispatcher`: this extension on [ZeroPool] is the more specific
 * one and wins whenever it is imported. To check, print the dispatcher: this one says
 * `ZeroPoolDispatcher[...]`, kotlinx's prints only the pool.
 */
public fun ZeroPool.asCoroutineDispatcher(): ExecutorCoroutineDispatcher = ZeroPoolDispatcher(this, ownsPool = false)

/**
 * Creates a pool of [workers] daemon worker threads and a dispatcher that owns it: closing the
 * dispatcher shuts the pool down. Everything else is as for [asCoroutineDispatcher].
 *
 * ```
 * zeroPoolDispatcher(4).use { dispatcher ->
 *     runBlocking(dispatcher) { launch { work() } }
 * }
 * ```
 *
 * [close][ExecutorCoroutineDispatcher.close] calls [ZeroPool.shutdown] and does not wait (it may be
 * called from a coroutine running on the pool): work already queued still runs, later dispatches
 * are refused as described in [asCoroutineDispatcher].
 *
 * @throws IllegalArgumentException if [workers] is less than 1
 */
public fun zeroPoolDispatcher(workers: Int): ExecutorCoroutineDispatcher =
    ZeroPoolDispatcher(ZeroPool.create(workers), ownsPool = true)

/**
 * Creates a pool configured by [configure] on a [ZeroPool.Builder] (workers, thread names, spin
 * window, failure handler, metrics, ...) and a dispatcher that owns it, as [zeroPoolDispatcher] with
 * a worker count does. Settings left alone keep the builder's defaults: one worker per processor,
 * daemon threads.
 *
 * ```
 * zeroPoolDispatcher {
 *     workers(4)
 *     threadNamePrefix("render-")
 *     spinWindow(Duration.ofMillis(1))     // java.time.Duration
 * }.use { dispatcher ->
 *     runBlocking(dispatcher) { launch { work() } }
 * }
 * ```
 *
 * @throws IllegalArgumentException if a setting is out of range (for example `workers(0)`)
 */
public fun zeroPoolDispatcher(configure: ZeroPool.Builder.() -> Unit): ExecutorCoroutineDispatcher =
    ZeroPoolDispatcher(ZeroPool.builder().apply(configure).build(), ownsPool = true)

/** The dispatcher of [asCoroutineDispatcher] and [zeroPoolDispatcher]. */
internal class ZeroPoolDispatcher(private val pool: ZeroPool, private val ownsPool: Boolean) :
    ExecutorCoroutineDispatcher() {

    override val executor: Executor
        get() = pool

    override fun dispatch(context: CoroutineContext, block: Runnable): Unit =
        submitOrReject(context, block) { pool.execute(it) }

    /**
     * `yield()` must let other coroutines run: from a worker, [dispatch] would keep the block in that
     * worker's run-next slot and run it again at once, so a yielding coroutine goes behind the queued
     * work instead.
     */
    @InternalCoroutinesApi
    override fun dispatchYield(context: CoroutineContext, block: Runnable): Unit =
        submitOrReject(context, block) { pool.executeQueued(it) }

    /** A block the shut-down pool refuses cancels its job and runs on `Dispatchers.IO`, as kotlinx's executor dispatchers do. */
    private inline fun submitOrReject(context: CoroutineContext, block: Runnable, submit: (Runnable) -> Unit) {
        try {
            submit(block)
        } catch (e: RejectedExecutionException) {
            context.cancel(CancellationException("The coroutine was rejected by a shut-down ZeroPool", e))
            Dispatchers.IO.dispatch(context, block)
        }
    }

    override fun close() {
        if (ownsPool) {
            pool.shutdown()
        }
    }

    override fun equals(other: Any?): Boolean = other is ZeroPoolDispatcher && other.pool === pool

    override fun hashCode(): Int = System.identityHashCode(pool)

    override fun toString(): String = "ZeroPoolDispatcher[$pool]"
}
