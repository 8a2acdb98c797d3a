package dev.zeropool.it

import dev.zeropool.TaskFn
import dev.zeropool.ZeroPool
import dev.zeropool.coroutines.asCoroutineDispatcher
import dev.zeropool.coroutines.await
import dev.zeropool.coroutines.batch
import dev.zeropool.coroutines.buildBatch
import dev.zeropool.coroutines.compute
import dev.zeropool.coroutines.mapParallel
import dev.zeropool.coroutines.mapParallelSuspending
import dev.zeropool.coroutines.runBatch
import dev.zeropool.coroutines.runTask
import dev.zeropool.coroutines.zeroPoolDispatcher
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/** A parameter object: input in, result out. */
class Square(val input: Int) {
    var output = 0
}

val SQUARE = TaskFn<Square> { it.output = it.input * it.input }

/** Calls every public entry point of zeropool-coroutines once and checks the results. */
fun main() {
    ZeroPool.create(2).use { pool ->
        runBlocking {
            val one = Square(7)
            pool.runTask(SQUARE, one)
            check(one.output == 49)

            val many = List(10) { Square(it) }
            pool.runBatch(SQUARE, many)
            pool.runBatch(SQUARE, many.toTypedArray())
            check(many.map { it.output } == List(10) { it * it })

            val frame = buildBatch { tasks(SQUARE, many) }
            pool.runBatch(frame)
            pool.batch { task(SQUARE, one) }
            pool.submitTask(SQUARE, one).await()

            check(pool.compute { 6 * 7 } == 42)
            check((1..20).asFlow().mapParallel(pool) { it * 2 }.toList() == (1..20).map { it * 2 })
            check((1..20).asFlow().mapParallel(pool, 3) { it + 1 }.toList() == (1..20).map { it + 1 })
            val suspending = (1..20).asFlow().mapParallelSuspending(pool) { delay(1); -it }.toList()
            check(suspending == (1..20).map { -it })

            val onPool = withContext(pool.asCoroutineDispatcher()) { Thread.currentThread().name }
            check(onPool.startsWith("zeropool-")) { onPool }
            val named = zeroPoolDispatcher { workers(1); threadNamePrefix("consumer-") }.use { d ->
                withContext(d) { Thread.currentThread().name }
            }
            check(named.startsWith("consumer-")) { named }
            zeroPoolDispatcher(1).use { d -> check(d.toString().startsWith("ZeroPoolDispatcher[")) }
        }
    }
    println("kotlin-2.0-consumer: every zeropool-coroutines call works with Kotlin " + KotlinVersion.CURRENT)
}
