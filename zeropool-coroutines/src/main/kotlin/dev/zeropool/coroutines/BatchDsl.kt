package dev.zeropool.coroutines

import dev.zeropool.TaskBatch
import dev.zeropool.TaskFn
import dev.zeropool.TaskFuture
import dev.zeropool.ZeroPool
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive

/**
 * Marks the batch-building DSL, so that a nested lambda cannot add to an outer batch by accident.
 *
 * ```
 * pool.batch { task(ADD, addParams) }   // `task` here is BatchScope.task
 * ```
 */
@DslMarker
@Target(AnnotationTarget.CLASS)
public annotation class ZeroPoolDsl

/**
 * Collects the tasks of one batch, in order, for [buildBatch], [ZeroPool.submitBatch] and
 * [ZeroPool.batch]. Tasks may use different handles and parameter types. Not thread-safe; use it
 * only inside the builder lambda.
 *
 * ```
 * pool.batch {
 *     task(ADD, addParams)
 *     task(MULTIPLY, mulParams)
 *     tasks(SUM, listOfParams)
 * }
 * ```
 */
@ZeroPoolDsl
public class BatchScope @PublishedApi internal constructor() {
    private val builder = TaskBatch.builder()

    /**
     * Adds one task.
     *
     * ```
     * buildBatch { task(SQUARE, Square(7)) }
     * ```
     */
    public fun <P> task(fn: TaskFn<P>, params: P) {
        builder.add(fn, params)
    }

    /**
     * Adds one task per element of [params], all with the handle [fn].
     *
     * ```
     * buildBatch { tasks(SUM, listOf(row1, row2, row3)) }
     * ```
     */
    public fun <P> tasks(fn: TaskFn<P>, params: List<P>) {
        builder.addAll(fn, params)
    }

    /**
     * Adds one task per element of [params], all with the handle [fn]. The elements are copied into
     * the batch as they are now: storing another object in the array later does not change the
     * batch, while the parameter objects themselves are shared (tasks write their results into them).
     *
     * ```
     * buildBatch { tasks(SQUARE, arrayOf(Square(1), Square(2))) }
     * ```
     */
    public fun <P> tasks(fn: TaskFn<P>, params: Array<out P>) {
        builder.addAll(fn, params.asList())
    }

    /**
     * Adds every task of a pre-built [batch], in its order.
     *
     * ```
     * val physics = buildBatch { tasks(PHYSICS, bodies) }
     * pool.batch { tasks(physics); task(AUDIO, mixer) }
     * ```
     */
    public fun tasks(batch: TaskBatch) {
        for (i in 0 until batch.size()) {
            @Suppress("UNCHECKED_CAST")
            builder.add(batch.fn(i) as TaskFn<Any?>, batch.params(i))
        }
    }

    /**
     * The number of tasks added so far.
     *
     * ```
     * buildBatch { tasks(SQUARE, squares); check(size == squares.size) }
     * ```
     */
    public val size: Int
        get() = builder.size()

    @PublishedApi
    internal fun build(): TaskBatch = builder.build()
}

/**
 * Builds an immutable [TaskBatch] to submit again and again with [ZeroPool.submitBatch] or
 * [runBatch]. Inline: the lambda is not allocated.
 *
 * ```
 * val frame = buildBatch {
 *     task(PHYSICS, world)
 *     tasks(ANIMATE, sprites)
 * }
 * repeat(frames) { pool.runBatch(frame) }
 * ```
 */
public inline fun buildBatch(build: BatchScope.() -> Unit): TaskBatch = BatchScope().apply(build).build()

/**
 * Builds a mixed batch and submits it as one submission with one future; does not wait.
 * Inline: the lambda is not allocated.
 *
 * ```
 * val future = pool.submitBatch {
 *     task(ADD, addParams)
 *     task(MULTIPLY, mulParams)
 * }
 * future.join()
 * ```
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public inline fun ZeroPool.submitBatch(build: BatchScope.() -> Unit): TaskFuture = submitBatch(buildBatch(build))

/**
 * Builds a mixed batch, submits it as one submission and suspends until every task has finished;
 * rethrows the first task failure's own exception. Inline: the lambda is not allocated.
 *
 * ```
 * pool.batch {
 *     task(ADD, addParams)
 *     task(MULTIPLY, mulParams)
 *     tasks(SUM, listOfParams)
 * }
 * ```
 *
 * **Cancellation**: as for [runTask]: cancelling the caller resumes it at once with a
 * [kotlinx.coroutines.CancellationException] and cancels the submission, so tasks of this batch
 * that have not started are skipped, whatever their handle; running ones finish.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend inline fun ZeroPool.batch(build: BatchScope.() -> Unit) {
    currentCoroutineContext().ensureActive()
    submitBatch(buildBatch(build)).await()
}
