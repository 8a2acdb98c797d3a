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
 * exceptions. A submission taken back by [ZeroPool.shutdownNow] fails with a
 * [java.util.concurrent.CancellationException], which a coroutine treats as cancellation.
 *
 * Every write made by the tasks happens-before this function returns or throws a task failure.
 *
 * ```
 * val future = pool.submitBatch(SQUARE, squares)
 * future.await()                // suspends; squares now hold their results
 * ```
 *
 * **Cancellation**: if the awaiting coroutine is cancelled, this function resumes at once with a
 * [kotlinx.coroutines.CancellationException]. The tasks themselves are not touched: a future handed
 * out by the Java API cannot be called back, so its tasks still run to the end. To have queued
 * tasks skipped on cancellation, submit with [runTask], [runBatch] or [batch] instead.
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
    if (isDone) {
        failure()?.let { throw it.taskFailure() }
        return
    }
    Submission().await(this)
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
 * [kotlinx.coroutines.CancellationException]. If the task has not started by then it is skipped
 * (it still passes through the queue, but the handle is not called); if it is running it runs to
 * the end. A coroutine that is already cancelled submits nothing.
 *
 * To skip, the task is submitted under a small wrapper handle (one object per call), so a
 * [dev.zeropool.FailureHandler] sees that wrapper, not [fn], as the failed task's handle; the
 * wrapper's `toString()` names [fn].
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun <P> ZeroPool.runTask(fn: TaskFn<P>, params: P) {
    currentCoroutineContext().ensureActive()
    val submission = SkippableSubmission(fn)
    submission.await(submitTask(submission, params))
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
 * not started are skipped, running ones finish. One wrapper handle per call, not per task.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun <P> ZeroPool.runBatch(fn: TaskFn<P>, params: Array<out P>) {
    currentCoroutineContext().ensureActive()
    val submission = SkippableSubmission(fn)
    submission.await(submitBatch(submission, params))
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
 * not started are skipped, running ones finish. One wrapper handle per call, not per task.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun <P> ZeroPool.runBatch(fn: TaskFn<P>, params: List<P>) {
    currentCoroutineContext().ensureActive()
    val submission = SkippableSubmission(fn)
    submission.await(submitBatch(submission, params))
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
 * **Cancellation**: cancelling the caller resumes it at once, but the tasks of a pre-built batch
 * are **not** skipped: their handles are fixed inside the batch, and wrapping them would copy the
 * batch on every call. Queued tasks still run. Use [batch] to build a batch per call whose queued
 * tasks are skipped on cancellation.
 *
 * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
 */
public suspend fun ZeroPool.runBatch(batch: TaskBatch) {
    currentCoroutineContext().ensureActive()
    submitBatch(batch).await()
}

/**
 * One suspended wait on a submission: the future's completion callback, the continuation's
 * cancellation handler and the flag that [SkippableFn]s of the submission read, in one object.
 *
 * ### Races
 * 1. Completion and cancellation race to resume the continuation. A cancelled
 *    [CancellableContinuation] ignores the one resume that may follow, so whichever comes second is
 *    harmless; a task failure that loses the race reaches only the pool's failure handler.
 * 2. The cancellation handler sets [cancelled] after the continuation is cancelled; a worker that
 *    reads the flag just before that runs its task, which is the documented "already running" case.
 * 3. [continuation] is written before [TaskFuture.whenDone] publishes this object with a CAS, and the
 *    completer reads it after taking the waiter stack, so the completer always sees it.
 */
@PublishedApi
internal open class Submission : Consumer<CompletionException?>, (Throwable?) -> Unit {
    /** Set once the awaiting coroutine is cancelled; queued tasks of the submission then skip. */
    @Volatile
    @JvmField
    var cancelled: Boolean = false

    private lateinit var continuation: CancellableContinuation<Unit>

    /** Suspends until [future] is done; see [TaskFuture.await]. */
    suspend fun await(future: TaskFuture) {
        if (future.isDone) {
            future.failure()?.let { throw it.taskFailure() }
            return
        }
        suspendCancellableCoroutine { cont ->
            continuation = cont
            cont.invokeOnCancellation(this)
            future.whenDone(this)
        }
    }

    /** Completion callback, on the thread that finished the last task. */
    override fun accept(failure: CompletionException?) {
        if (failure == null) {
            continuation.resume(Unit)
        } else {
            continuation.resumeWithException(failure.taskFailure())
        }
    }

    /** Cancellation handler of the continuation. */
    override fun invoke(cause: Throwable?) {
        cancelled = true
    }
}

/**
 * A handle that runs [fn] unless [submission] was cancelled. Shared by every task of one
 * submission that uses [fn], so skipping costs one object per handle per submission.
 */
internal class SkippableFn<P>(private val submission: Submission, private val fn: TaskFn<P>) : TaskFn<P> {
    override fun run(params: P) {
        if (!submission.cancelled) {
            fn.run(params)
        }
    }

    override fun toString(): String = "skippable($fn)"
}

/** A uniform submission: the wait and the skipping handle in one object. */
internal class SkippableSubmission<P>(private val fn: TaskFn<P>) : Submission(), TaskFn<P> {
    override fun run(params: P) {
        if (!cancelled) {
            fn.run(params)
        }
    }

    override fun toString(): String = "skippable($fn)"
}

/** The task's own exception inside the wrapper that [TaskFuture.join] throws. */
internal fun CompletionException.taskFailure(): Throwable = cause ?: this
