/**
 * ZeroPool: a thread pool for many small tasks. The API is the package {@link dev.zeropool}, and
 * {@link dev.zeropool.pinned} for pinned items; {@code dev.zeropool.internal} holds the machinery and
 * is not exported.
 *
 * <p>On the module path:
 * <pre>{@code
 * module my.app {
 *   requires dev.zeropool;
 * }
 * }</pre>
 *
 * <p>OpenHFT's Java-Thread-Affinity is optional ({@code requires static}): only
 * {@link dev.zeropool.ZeroPool.Builder#cpuAffinity} needs it. Its jar carries no module name, so on the
 * module path it is the automatic module {@code affinity}, which is resolved only when something asks
 * for it ({@code --add-modules affinity}); on the class path it is found as is.
 */
module dev.zeropool {
  exports dev.zeropool;
  exports dev.zeropool.pinned;

  requires static affinity;
}
