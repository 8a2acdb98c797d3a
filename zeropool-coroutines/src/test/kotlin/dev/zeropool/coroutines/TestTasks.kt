package dev.zeropool.coroutines

import dev.zeropool.TaskFn
import dev.zeropool.ZeroPool
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/** A parameter object that counts how often a task ran on it and keeps its last result. */
class Cell(val input: Long) {
    val runs = AtomicInteger()
    var output: Long = 0
}

val ADD_ONE = TaskFn<Cell> { it.runs.incrementAndGet(); it.output = it.input + 1 }
val DOUBLE = TaskFn<Cell> { it.runs.incrementAndGet(); it.output = it.input * 2 }
val SQUARE = TaskFn<Cell> { it.runs.incrementAndGet(); it.output = it.input * it.input }

/** Throws the exception it is given. */
val THROW = TaskFn<Throwable> { throw it }

/** Counts into the given counter. */
val COUNT = TaskFn<AtomicInteger> { it.incrementAndGet() }

/** Holds a worker until [release] is called; [started] opens when the worker has entered the task. */
class Gate {
    val started = CountDownLatch(1)
    private val open = CountDownLatch(1)
    private val done = CountDownLatch(1)
    @Volatile var finished = false

    fun release() = open.countDown()

    fun awaitStarted() {
        check(started.await(5, TimeUnit.SECONDS)) { "the gate task never started" }
    }

    /** Waits a few seconds for the held task to finish; true if it did. */
    fun awaitFinished(): Boolean = done.await(5, TimeUnit.SECONDS)

    companion object {
        val HOLD = TaskFn<Gate> {
            it.started.countDown()
            check(it.open.await(10, TimeUnit.SECONDS)) { "the gate was never released" }
            it.finished = true
            it.done.countDown()
        }
    }
}

/** A failure type that only the tests throw, to see that the type survives the trip. */
class TaskBoom(message: String) : RuntimeException(message)

/** Waits until every task queued before this call on a one-worker pool has run. */
fun ZeroPool.drain() {
    submitTask(COUNT, AtomicInteger()).join()
}
