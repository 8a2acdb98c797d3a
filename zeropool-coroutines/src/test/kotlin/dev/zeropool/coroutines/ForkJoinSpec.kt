package dev.zeropool.coroutines

import dev.zeropool.Split
import dev.zeropool.ZeroPool
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.util.concurrent.CompletionException
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicIntegerArray
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

class ForkJoinSpec : FunSpec({
    timeout = 60_000

    val pool = ZeroPool.create(2)
    afterSpec { pool.close() }

    fun fib(n: Int): Long =
        if (n < 15) fibSequential(n) else pool.joinPair({ fib(n - 1) }, { fib(n - 2) }).let { (x, y) -> x + y }

    test("joinPair returns both results and nests") {
        pool.joinPair({ 6 * 7 }, { "b" }) shouldBe Pair(42, "b")
        fib(25) shouldBe fibSequential(25)
    }

    test("joinPair rethrows a failure as a CompletionException caused by it") {
        val boom = IllegalStateException("boom")
        shouldThrow<CompletionException> { pool.joinPair({ 1 }, { throw boom }) }.cause shouldBeSameInstanceAs boom
    }

    test("forRange and sumOf visit every index once, with any split") {
        for (split in listOf(Split.adaptive(), Split.perItem(), Split.per(100), Split.by(3), Split.byThreads())) {
            val seen = AtomicIntegerArray(10_000)
            pool.forRange(0 until 10_000, split) { i -> seen.incrementAndGet(i) }
            (0 until 10_000).all { seen.get(it) == 1 }.shouldBeTrue()
            pool.sumOf(1..100, split) { it.toLong() } shouldBe 5050L
        }
        pool.forRange(5 until 5) { error("empty range ran $it") }
        shouldThrow<IllegalArgumentException> { pool.forRange(0..Int.MAX_VALUE) { } }
    }

    test("parallelFor never blocks the calling thread") {
        val single = Executors.newSingleThreadExecutor()
        try {
            runBlocking(single.asCoroutineDispatcher()) {
                val released = CountDownLatch(1)
                val loop = launch {
                    pool.parallelFor(0 until 4, Split.perItem()) { released.await(10, TimeUnit.SECONDS).shouldBeTrue() }
                }
                // Runs on the same single thread while the loop waits: only possible if it is suspended.
                launch { released.countDown() }
                loop.join()
            }
        } finally {
            single.shutdown()
        }
    }

    test("parallelFor and parallelJoin rethrow the part's own exception") {
        val boom = IllegalArgumentException("boom")
        shouldThrow<IllegalArgumentException> { pool.parallelFor(0 until 10) { if (it == 3) throw boom } }
        pool.parallelJoin({ 1 }, { 2L }) shouldBe Pair(1, 2L)
        shouldThrow<IllegalArgumentException> { pool.parallelJoin({ 1 }, { throw boom }) }
    }

    test("SpawnedTask.await returns the result and rethrows the task's own exception") {
        pool.spawn { 6 * 7 }.await() shouldBe 42
        val done = pool.spawn { "done" }
        done.join()
        done.await() shouldBe "done"
        val boom = IllegalStateException("boom")
        shouldThrow<IllegalStateException> { pool.spawn<Int> { throw boom }.await() }
    }

    test("cancelling a coroutine awaiting an unstarted spawned task cancels the task") {
        ZeroPool.create(1).use { one ->
            val release = CountDownLatch(1)
            val blocking = CountDownLatch(1)
            one.execute {
                blocking.countDown()
                release.await()
            }
            try {
                blocking.await()
                val ran = AtomicBoolean()
                val task = one.spawn { ran.set(true) }
                val started = CompletableDeferred<Unit>()
                val waiter = async(start = CoroutineStart.UNDISPATCHED) {
                    started.complete(Unit)
                    task.await()
                }
                started.await()
                waiter.cancelAndJoin()
                task.isCancelled.shouldBeTrue()
                release.countDown()
                one.spawn { "after" }.get(10, TimeUnit.SECONDS) shouldBe "after"
                ran.get().shouldBeFalse()
            } finally {
                release.countDown()
            }
        }
    }
})

private fun fibSequential(n: Int): Long = if (n < 2) n.toLong() else fibSequential(n - 1) + fibSequential(n - 2)
