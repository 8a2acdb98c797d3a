/**
 * ZeroPool's public Java API: {@link dev.zeropool.ZeroPool} (the pool, also an
 * {@link java.util.concurrent.ExecutorService}), {@link dev.zeropool.TaskFn} (static task handles),
 * {@link dev.zeropool.TaskBatch} (mixed, pre-built batches), {@link dev.zeropool.TaskFuture} (one
 * future per submission) and {@link dev.zeropool.FailureHandler}.
 */
package dev.zeropool;
