package dev.zeropool.coroutines

import dev.zeropool.TaskFn
import dev.zeropool.TaskFuture
import dev.zeropool.ZeroPool
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Semaphore

/**
 * Applies [transform] to every element on the workers of [pool], at most [concurrency] elements at
 * a time (by default one per worker), and emits the results in the order of the upstream elements.
 *
 * ```
 * val sizes: List<Int> = files.asFlow()
 *     .mapParallel(pool) { file -> parse(file).size }     // pool.workerCount() at a time
 *     .toList()
 * val hashes = blocks.asFlow().mapParallel(pool, concurrency = 16) { sha256(it) }
 * ```
 *
 * [transform] is a plain function, run as one pool task per element; for a transform that suspends,
 * use [mapParallelSuspending].
 *
 * Each element is one pool task. An element counts against [concurrency] from its submission until
 * its result is handed downstream, so a slow element holds back at most `concurrency - 1` finished
 * results behind it, and memory stays bounded. Upstream is collected in a separate coroutine of the
 * collector's scope, so it runs ahead of the consumer by up to [concurrency] elements.
 *
 * If [transform] throws, the flow fails with that exception (after the elements before it were
 * emitted). When the flow completes, fails or its collector is cancelled, elements already submitted
 * that have not started are skipped; ones running finish on their worker.
 *
 * @throws IllegalArgumentException if [concurrency] is less than 1
 */
public fun <T, R> Flow<T>.mapParallel(
    pool: ZeroPool,
    concurrency: Int = pool.workerCount(),
    transform: (T) -> R,
): Flow<R> {
    require(concurrency >= 1) { "concurrency must be at least 1: $concurrency" }
    val upstream = this
    return flow {
        val run = MapRun(transform)
        try {
            coroutineScope {
                val permits = Semaphore(concurrency)
                val inFlight = Channel<MapElement<T, R>>(Channel.UNLIMITED)
                launch {
                    try {
                        upstream.collect { value ->
                            permits.acquire()
                            val element = MapElement(run, value)
                            element.future = pool.submitTask(MapElement.apply(), element)
                            inFlight.send(element)
                        }
                    } finally {
                        inFlight.close(null) // no default argument: see the note at the end of this file
                    }
                }
                for (element in inFlight) {
                    element.future.await()
                    permits.release()
                    emit(element.output())
                }
            }
        } finally {
            run.stopped = true
        }
    }
}

/**
 * Applies the suspending [transform] to every element in a coroutine on [pool]'s dispatcher
 * ([asCoroutineDispatcher]), at most [concurrency] elements at a time (by default one per worker),
 * and emits the results in the order of the upstream elements.
 *
 * ```
 * val pages: List<Page> = urls.asFlow()
 *     .mapParallelSuspending(pool) { url -> render(download(url)) }   // download() suspends
 *     .toList()
 * ```
 *
 * Use it when [transform] suspends (awaits other work, calls `withContext`, `delay`s); a plain
 * function is cheaper with [mapParallel], which runs each element as a pool task without a
 * coroutine. While an element is suspended it holds no worker, so up to [concurrency] elements can
 * be in progress even on a pool with fewer workers.
 *
 * Ordering, memory bound and failures are as for [mapParallel]: an element counts against
 * [concurrency] until its result is handed downstream; if [transform] throws, the flow fails with
 * that exception after the elements before it were emitted. When the flow completes, fails or its
 * collector is cancelled, elements still in progress are cancelled (cooperatively, at their next
 * suspension) and ones that have not started never run.
 *
 * @throws IllegalArgumentException if [concurrency] is less than 1
 */
public fun <T, R> Flow<T>.mapParallelSuspending(
    pool: ZeroPool,
    concurrency: Int = pool.workerCount(),
    transform: suspend (T) -> R,
): Flow<R> {
    require(concurrency >= 1) { "concurrency must be at least 1: $concurrency" }
    val upstream = this
    return flow {
        coroutineScope {
            // The elements' parent: a failed element does not cancel the flow at once, it fails it in
            // upstream order when its turn to be emitted comes (through await below).
            val elements = SupervisorJob(coroutineContext.job)
            val onPool = elements + pool.asCoroutineDispatcher()
            try {
                val permits = Semaphore(concurrency)
                val inFlight = Channel<Deferred<R>>(Channel.UNLIMITED)
                launch {
                    try {
                        upstream.collect { value ->
                            permits.acquire()
                            inFlight.send(async(onPool) { transform(value) })
                        }
                    } finally {
                        inFlight.close(null) // no default argument: see the note at the end of this file
                    }
                }
                for (element in inFlight) {
                    val result = element.await()
                    permits.release()
                    emit(result)
                }
            } finally {
                // Nothing is left on normal completion; else stop what is still in progress. No default argument:
                // see the note at the end of this file.
                elements.cancel(null)
            }
        }
    }
}

/** The shared state of one collection of a [mapParallel] flow. */
private class MapRun<T, R>(val transform: (T) -> R) {
    /** Set when the collection ends; elements not started by then are skipped. */
    @Volatile
    var stopped: Boolean = false
}

/** One element in flight: the task's parameter object, holding its input and then its output. */
private class MapElement<T, R>(private val run: MapRun<T, R>, private val input: T) {
    lateinit var future: TaskFuture
    private var result: R? = null

    /** Read after [future] completed successfully, which makes the worker's write visible. */
    @Suppress("UNCHECKED_CAST")
    fun output(): R = result as R

    fun compute() {
        if (!run.stopped) {
            result = run.transform(input)
        }
    }

    companion object {
        private val APPLY = TaskFn<MapElement<*, *>> { it.compute() }

        @Suppress("UNCHECKED_CAST")
        fun <T, R> apply(): TaskFn<MapElement<T, R>> = APPLY as TaskFn<MapElement<T, R>>
    }
}

// Binary compatibility note: this module runs on kotlinx.coroutines 1.10 too (what a Kotlin 2.0 project can
// compile against), although it is built against 1.11. A call that leaves out a default argument of a kotlinx
// *interface* method (`channel.close()`, `job.cancel()`) compiles to a static `$default` bridge that moved in 1.11
// and is missing in 1.10 (NoSuchMethodError). Passing every argument calls the interface method itself, which both
// have. The compat profile's consumer build (src/it/kotlin-2.0-consumer) runs every public call on 1.10.2.
