package dev.zeropool.coroutines

import dev.zeropool.TaskFn
import dev.zeropool.TaskFuture
import dev.zeropool.ZeroPool
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Semaphore

/**
 * Applies [transform] to every element on the workers of [pool], at most [concurrency] elements at
 * a time, and emits the results in the order of the upstream elements.
 *
 * ```
 * val sizes: List<Int> = files.asFlow()
 *     .mapParallel(pool, concurrency = 8) { file -> parse(file).size }
 *     .toList()
 * ```
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
public fun <T, R> Flow<T>.mapParallel(pool: ZeroPool, concurrency: Int, transform: (T) -> R): Flow<R> {
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
                        inFlight.close()
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
