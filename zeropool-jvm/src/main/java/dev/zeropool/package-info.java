/**
 * ZeroPool's public Java API: {@link dev.zeropool.ZeroPool} (the pool, also an
 * {@link java.util.concurrent.ExecutorService}), {@link dev.zeropool.TaskFn} (static task handles),
 * {@link dev.zeropool.TaskBatch} (mixed, pre-built batches), {@link dev.zeropool.TaskFuture} (one
 * future per submission) and {@link dev.zeropool.FailureHandler}; fork-join and parallel loops are
 * members of {@code ZeroPool} ({@code join}, {@code spawn}, {@code forRange}, ...) with
 * {@link dev.zeropool.Split} and {@link dev.zeropool.SpawnedTask}.
 */
package dev.zeropool;
