package dev.zeropool.coroutines

import dev.zeropool.TaskBatch
import dev.zeropool.TaskFn
import dev.zeropool.TaskFuture
import dev.zeropool.ZeroPool
import java.util.concurrent.CompletionException
import java.util.function.Consumer
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * Suspends until every task of this submission has finished, without blocking a thread.
 *
 * Returns normally when every task succeeded. When a task threw, rethrows that task's own
 * exception (the [CompletionException.cause] that [TaskFuture.join] would wrap), not the wrapper;
 * later failures of the same submission stay attached to [TaskFuture.failure] as suppressed
 * exceptions. A submission cancelled elsewhere (by [TaskFuture.cancel], a
 * [dev.zeropool.CancellationToken], another waiter's cancellation or [ZeroPool.shutdownNow]) fails
 * with a [java.util.concurrent.CancellationException], which a coroutine treats as cancellation.
 *
 * Every write made by the tasks happens-before this function returns or throws a task failure.
 *
 * ```
 * val future = pool.submitBatch(SQUARE, squares)
 * future.await()                // suspends; squares now hold their results
 * ```
 *
 * **Cancellation**: if the awaiting coroutine is cancelled, this function resumes at once with a
 * [kotlinx.coroutines.CancellationException] and calls [TaskFuture.cancel], as kotlinx's
 * `CompletionStage.await()` cancels its future: tasks of the submission that have not started are
 * skipped, running ones finish. The submission is cancelled for **every** waiter, not only this
 * one: other coroutines awaiting the same future then fail with a
 * [java.util.concurrent.CancellationException], and [TaskFuture.join] throws a [CompletionException]
 * caused by one. To wait without that effect, await [TaskFuture.toCompletableFuture] instead.
 *
 * Kotlin's stack-trace recovery (on when kotlinx.coroutines runs in debug mode, for example with
 * `-ea`) may rethrow a copy of the task's exception whose cause is the original, as it does for
 * every suspending call.
 *
 * Unlike [TaskFuture.join], a suspended caller holds no thread and so does not help run the queue:
 * a coroutine on [asCoroutineDispatcher] gives its worker back while it waits, but a worker blocked
 * in `runBlocking` on work of its own pool can deadlock a pool with no free worker left.
 */
public suspend fun TaskFuture.await() {
    if (!isDone) {
        suspendCancellableCoroutine { cont -> SuspendedWait(this, cont).start() }
        return
    }
    failure()?.let { throw it.taskFailure() }
}

/**
 * Submits one task and suspends until it has finished; rethrows the task's own exception.
 *
 * ```
 * val square = Square(7)
 * pool.runTask(SQUARE, square)  // square.out == 49
 * ```
 *
 * **Cancellation**: cancelling the calling coroutine resumes it at once with a
 * [kotlinx.coroutines.CancellationException] and cancels the submission ([TaskFuture.cancel]): if
 * the task has not started by then it is skipped, if it is running it runs to the end. A coroutine
 * that is already cancelled submits nothing.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun <P> ZeroPool.runTask(fn: TaskFn<P>, params: P) {
    currentCoroutineContext().ensureActive()
    submitTask(fn, params).await()
}

/**
 * Submits one task per element of [params], all with the handle [fn], and suspends until every
 * one has finished; rethrows the first task failure's own exception.
 *
 * ```
 * val squares = Array(1_000) { Square(it) }
 * pool.runBatch(SQUARE, squares)
 * ```
 *
 * **Cancellation**: as for [runTask]: the caller resumes at once, tasks of this batch that have
 * not started are skipped, running ones finish.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun <P> ZeroPool.runBatch(fn: TaskFn<P>, params: Array<out P>) {
    currentCoroutineContext().ensureActive()
    submitBatch(fn, params).await()
}

/**
 * Submits one task per element of [params], all with the handle [fn], and suspends until every
 * one has finished; rethrows the first task failure's own exception. The list should allow fast
 * random access and must not change during the call.
 *
 * ```
 * pool.runBatch(SQUARE, listOf(Square(1), Square(2)))
 * ```
 *
 * **Cancellation**: as for [runTask]: the caller resumes at once, tasks of this batch that have
 * not started are skipped, running ones finish.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun <P> ZeroPool.runBatch(fn: TaskFn<P>, params: List<P>) {
    currentCoroutineContext().ensureActive()
    submitBatch(fn, params).await()
}

/**
 * Submits a pre-built [batch] and suspends until every task has finished; rethrows the first task
 * failure's own exception. Like [ZeroPool.submitBatch], it allocates nothing per task.
 *
 * ```
 * val frame = buildBatch { task(PHYSICS, world); tasks(ANIMATE, sprites) }
 * repeat(frames) { pool.runBatch(frame) }
 * ```
 *
 * **Cancellation**: as for [runTask]: the caller resumes at once, tasks of this submission that
 * have not started are skipped, running ones finish. Only this submission is cancelled; the
 * batch itself is unchanged and can be submitted again.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun ZeroPool.runBatch(batch: TaskBatch) {
    currentCoroutineContext().ensureActive()
    submitBatch(batch).await()
}

/**
 * Runs [block] on a worker of this pool and suspends until it has returned; returns its value or
 * rethrows its own exception. The caller's thread is not blocked.
 *
 * ```
 * val digest: ByteArray = pool.compute { sha256(bytes) }
 * val total = pool.compute { rows.sumOf { it.amount } } + pool.compute { fees.sum() }
 * ```
 *
 * [block] is a plain (non-suspending) function: it is one pool task, and the submission allocates the
 * task's future and one small holder for the block and its result. For many values, a
 * [TaskFn] handle with [runBatch], or [mapParallel], avoids the per-call lambda. Writes made by [block] happen-before this function returns.
 *
 * **Cancellation**: as for [runTask]: cancelling the caller resumes it at once with a
 * [kotlinx.coroutines.CancellationException]; if [block] has not started by then it never runs, if
 * it is running it runs to the end and its value is dropped. A coroutine that is already cancelled
 * submits nothing.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun <T> ZeroPool.compute(block: () -> T): T {
    currentCoroutineContext().ensureActive()
    val computation = Computation(block)
    submitTask(Computation.run(), computation).await()
    return computation.value()
}

/** The parameter object of one [compute] call: the block in, its value out. */
private class Computation<T>(private val block: () -> T) {
    private var value: Any? = null

    /** Read after the future completed successfully, which makes the worker's write visible. */
    @Suppress("UNCHECKED_CAST")
    fun value(): T = value as T

    companion object {
        /** One handle for every call, so a [compute] allocates no task function of its own. */
        private val RUN = TaskFn<Computation<*>> { it.value = it.block() }

        @Suppress("UNCHECKED_CAST")
        fun <T> run(): TaskFn<Computation<T>> = RUN as TaskFn<Computation<T>>
    }
}

/**
 * One suspended [await]: the future's completion callback and the continuation's cancellation
 * handler in one object, so a wait allocates this, the continuation and the future's waiter node,
 * and nothing per task.
 *
 * ### Races
 * 1. Completion and cancellation race to resume the continuation. A cancelled
 *    [CancellableContinuation] ignores the one resume that may follow, so whichever comes second is
 *    harmless; a task failure that loses the race reaches only the pool's failure handler.
 * 2. The cancellation handler calls [TaskFuture.cancel], which only sets a flag: workers that read
 *    it before a task starts skip the task, a task already running finishes (the documented
 *    "already running" case), and a cancel after completion returns false and changes nothing.
 * 3. If the coroutine is already cancelled when [start] registers the handler, kotlinx runs the
 *    handler at once, so the future is cancelled before its callback is registered; the callback's
 *    resume then meets a cancelled continuation, as in 1.
 */
private class SuspendedWait(
    private val future: TaskFuture,
    private val continuation: CancellableContinuation<Unit>,
) : Consumer<CompletionException?>, (Throwable?) -> Unit {

    fun start() {
        continuation.invokeOnCancellation(this)
        future.whenDone(this)
    }

    /** Completion callback, on the thread that finished the last task (or here, if already done). */
    override fun accept(failure: CompletionException?) {
        if (failure == null) {
            continuation.resume(Unit)
        } else {
            continuation.resumeWithException(failure.taskFailure())
        }
    }

    /** Cancellation handler of the continuation: skip the tasks that have not started. */
    override fun invoke(cause: Throwable?) {
        future.cancel()
    }
}

/** The task's own exception inside the wrapper that [TaskFuture.join] throws. */
internal fun CompletionException.taskFailure(): Throwable = cause ?: this
