package dev.zeropool.coroutines

import dev.zeropool.ZeroPool
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.checkAll
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield

class FlowSpec : FunSpec({
    timeout = 30_000

    val pool = ZeroPool.create(2)
    afterSpec { pool.close() }

    test("mapParallel keeps the upstream order for random inputs and concurrency") {
        checkAll(60, Arb.list(Arb.int(), 0..400), Arb.int(1..16)) { inputs, concurrency ->
            val out = inputs.asFlow().mapParallel(pool, concurrency) { it.toLong() * 3 }.toList()
            out shouldBe inputs.map { it.toLong() * 3 }
        }
    }

    test("mapParallel runs the transform on pool workers, never more than concurrency at once") {
        for (concurrency in listOf(1, 2, 3)) {
            val running = AtomicInteger()
            val most = AtomicInteger()
            val onWorkers = AtomicInteger()
            val out = (1..200).asFlow().mapParallel(pool, concurrency) {
                if (Thread.currentThread().name.startsWith("zeropool-")) onWorkers.incrementAndGet()
                most.accumulateAndGet(running.incrementAndGet(), ::maxOf)
                Thread.sleep(0, 200_000)
                running.decrementAndGet()
                -it
            }.toList()
            out shouldBe (1..200).map { -it }
            onWorkers.get() shouldBe 200
            most.get() shouldBeLessThanOrEqual concurrency
        }
    }

    test("a slow consumer bounds how far the transforms run ahead") {
        val transformed = AtomicInteger()
        var aheadMost = 0
        var consumed = 0
        (1..100).asFlow().mapParallel(pool, 4) { transformed.incrementAndGet(); it }.collect {
            consumed++
            delay(1)
            aheadMost = maxOf(aheadMost, transformed.get() - consumed)
        }
        consumed shouldBe 100
        aheadMost shouldBeLessThanOrEqual 4
    }

    test("a failing transform fails the flow with its own exception after the earlier elements") {
        val seen = mutableListOf<Int>()
        val failure = shouldThrow<TaskBoom> {
            (1..50).asFlow().mapParallel(pool, 4) { if (it == 20) throw TaskBoom("element 20") else it }
                .collect { seen += it }
        }
        failure.message shouldBe "element 20"
        seen shouldBe (1..19).toList()
    }

    test("an upstream failure fails the flow") {
        val upstream = flow {
            emit(1)
            throw TaskBoom("upstream")
        }
        shouldThrow<TaskBoom> { upstream.mapParallel(pool, 2) { it }.toList() }.message shouldBe "upstream"
    }

    test("stopping the collection early skips elements that have not started") {
        ZeroPool.create(1).use { single ->
            val transformed = AtomicInteger()
            val firstFive = (1..10_000).asFlow().mapParallel(single, 8) {
                transformed.incrementAndGet()
                it
            }.take(5).toList()
            firstFive shouldBe listOf(1, 2, 3, 4, 5)
            single.drain()
            transformed.get() shouldBeLessThanOrEqual 5 + 8
        }
    }

    test("concurrency below 1 is refused at the call") {
        shouldThrow<IllegalArgumentException> { (1..3).asFlow().mapParallel(pool, 0) { it } }
            .message shouldBe "concurrency must be at least 1: 0"
    }

    test("a flow can be collected twice, each time with fresh state") {
        val transformed = AtomicInteger()
        val mapped = (1..30).asFlow().mapParallel(pool, 3) { transformed.incrementAndGet(); it * it }
        val expected = (1..30).map { it * it }
        mapped.toList() shouldBe expected
        transformed.get() shouldBe 30
        mapped.toList() shouldBe expected
        transformed.get() shouldBe 60 // the second collection ran the transform again, for every element
    }
    test("mapParallel without a concurrency uses one element per worker") {
        ZeroPool.create(3).use { three ->
            val running = AtomicInteger()
            val most = AtomicInteger()
            val allIn = java.util.concurrent.CountDownLatch(3)
            val out = (1..60).asFlow().mapParallel(three) {
                most.accumulateAndGet(running.incrementAndGet(), ::maxOf)
                allIn.countDown()
                allIn.await(5, java.util.concurrent.TimeUnit.SECONDS) // the first three meet: 3 at once is reached
                running.decrementAndGet()
                it * 2
            }.toList()
            out shouldBe (1..60).map { it * 2 }
            most.get() shouldBe 3
        }
    }

    test("mapParallelSuspending keeps the upstream order for random inputs and concurrency") {
        checkAll(40, Arb.list(Arb.int(), 0..200), Arb.int(1..16)) { inputs, concurrency ->
            val out = inputs.asFlow().mapParallelSuspending(pool, concurrency) {
                if (it % 3 == 0) yield()
                it.toLong() * 3
            }.toList()
            out shouldBe inputs.map { it.toLong() * 3 }
        }
    }

    test("mapParallelSuspending runs on the pool, and suspended elements hold no worker") {
        ZeroPool.create(1).use { single ->
            val running = AtomicInteger()
            val most = AtomicInteger()
            val onWorkers = AtomicInteger()
            val fourIn = CompletableDeferred<Unit>()
            val out = (1..40).asFlow().mapParallelSuspending(single, concurrency = 4) {
                if (Thread.currentThread().name.startsWith("zeropool-")) onWorkers.incrementAndGet()
                val now = running.incrementAndGet()
                most.accumulateAndGet(now, ::maxOf)
                if (now == 4) fourIn.complete(Unit)
                withTimeout(5_000) { fourIn.await() } // suspended: the one worker starts the others meanwhile
                running.decrementAndGet()
                -it
            }.toList()
            out shouldBe (1..40).map { -it }
            onWorkers.get() shouldBe 40
            most.get() shouldBe 4 // four in progress on a one-worker pool, never more than the concurrency
        }
    }

    test("mapParallelSuspending defaults its concurrency to the worker count") {
        ZeroPool.create(2).use { two ->
            val running = AtomicInteger()
            val most = AtomicInteger()
            val twoIn = CompletableDeferred<Unit>()
            (1..50).asFlow().mapParallelSuspending(two) {
                val now = running.incrementAndGet()
                most.accumulateAndGet(now, ::maxOf)
                if (now == 2) twoIn.complete(Unit)
                withTimeout(5_000) { twoIn.await() }
                delay(1) // a suspension: room for a third element, if the concurrency allowed one
                running.decrementAndGet()
            }.toList()
            most.get() shouldBe 2
        }
    }

    test("mapParallelSuspending fails with the transform's exception after the elements before it") {
        val seen = mutableListOf<Int>()
        val failure = shouldThrow<TaskBoom> {
            (1..50).asFlow().mapParallelSuspending(pool, 4) {
                delay(1)
                if (it == 20) throw TaskBoom("element 20") else it
            }.collect { seen += it }
        }
        failure.message shouldBe "element 20"
        seen shouldBe (1..19).toList()
    }

    test("stopping a mapParallelSuspending collection early cancels elements in progress") {
        val started = AtomicInteger()
        val finished = AtomicInteger()
        val firstThree = (1..1_000).asFlow().mapParallelSuspending(pool, 8) {
            started.incrementAndGet()
            if (it > 3) delay(60_000) // only cancellation ends these in time
            finished.incrementAndGet()
            it
        }.take(3).toList()
        firstThree shouldBe listOf(1, 2, 3)
        started.get() shouldBeLessThanOrEqual 3 + 8
        finished.get() shouldBe 3
    }

    test("mapParallelSuspending refuses a concurrency below 1 at the call") {
        shouldThrow<IllegalArgumentException> { (1..3).asFlow().mapParallelSuspending(pool, 0) { it } }
            .message shouldBe "concurrency must be at least 1: 0"
    }
})
