package dev.zeropool.coroutines

import dev.zeropool.ZeroPool
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.checkAll
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList

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
        val mapped = (1..30).asFlow().mapParallel(pool, 3) { it * it }
        (mapped.toList() == mapped.toList()).shouldBeTrue()
    }
})
