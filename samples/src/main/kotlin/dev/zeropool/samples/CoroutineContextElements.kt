package dev.zeropool.samples

import dev.zeropool.ZeroPool
import dev.zeropool.coroutines.asCoroutineDispatcher
import dev.zeropool.coroutines.runTask
import dev.zeropool.TaskFn
import java.util.concurrent.Callable
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.ThreadContextElement
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/** A request id kept in a thread-local, as SLF4J's MDC keeps its map. */
private val REQUEST_ID = ThreadLocal<String?>()

/**
 * A coroutine context element that puts its request id into [REQUEST_ID] on whichever pool worker the
 * coroutine resumes, and gives the thread its old value back when the coroutine suspends or ends. This
 * is how kotlinx-coroutines-slf4j's `MDCContext` works; it needs nothing from the pool's dispatcher.
 */
class RequestId(private val id: String) : ThreadContextElement<String?>, AbstractCoroutineContextElement(Key) {
    /** The key of [RequestId] in a coroutine context. */
    companion object Key : CoroutineContext.Key<RequestId>

    override fun updateThreadContext(context: CoroutineContext): String? =
        REQUEST_ID.get().also { REQUEST_ID.set(id) }

    override fun restoreThreadContext(context: CoroutineContext, oldState: String?) {
        if (oldState == null) REQUEST_ID.remove() else REQUEST_ID.set(oldState)
    }
}

/**
 * Coroutine context elements on the pool's dispatcher: a [ThreadContextElement] follows the coroutine
 * across suspensions and worker hops and into child coroutines, and leaves no trace on the workers.
 */
object CoroutineContextElements {
    /** Reads the worker's own request id; a task by handle carries no coroutine context. */
    private val READ_REQUEST_ID = TaskFn<Array<String?>> { it[0] = REQUEST_ID.get() }

    /** Runs the sample on [pool]; from Java: `CoroutineContextElements.run(pool)`. */
    @JvmStatic
    fun run(pool: ZeroPool): Unit = runBlocking {
        val seen = withContext(pool.asCoroutineDispatcher() + RequestId("req-7")) {
            val before = REQUEST_ID.get()
            delay(1) // suspends; resumes on some pool worker, where the element sets the id again
            val afterHop = REQUEST_ID.get()
            val children = List(4) { async { REQUEST_ID.get() } }.awaitAll() // children inherit the element
            listOf(before, afterHop) + children
        }
        check(seen.all { it == "req-7" }) { "lost the request id: $seen" }

        val onWorker = arrayOfNulls<String>(1)
        pool.runTask(READ_REQUEST_ID, onWorker)
        val viaExecutor = pool.submit(Callable { REQUEST_ID.get() }).get()
        check(onWorker[0] == null && viaExecutor == null) { "a worker kept the request id" }
        println("context elements: every coroutine step saw ${seen.toSet()}, workers afterwards saw ${onWorker[0]}")
    }

    @JvmStatic
    fun main(args: Array<String>) {
        ZeroPool.create().use { run(it) }
    }
}
