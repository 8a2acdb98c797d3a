package dev.zeropool.benchmarks;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** The CPU work the benchmarks run inside their tasks: pure functions of their input, the same on every pool. */
final class Kernels {

  /** Steps of the heavy LCG loop: about 38 µs on this machine's cores (one task of the heavy workload). */
  static final int HEAVY_STEPS = 30_000;

  /** LCG steps of about 1 µs on this machine's cores (one coroutine of the {@code async} fan-out). */
  static final int MICRO_STEPS = 800;

  /** Steps of the light arithmetic loop. */
  static final int LIGHT_STEPS = 100;

  /** Bytes hashed by {@link #sha256(int)}: about 4 µs of SHA-256 on this machine. */
  static final int SHA_INPUT_BYTES = 6 * 1024;

  private static final long LCG_MULTIPLIER = 6364136223846793005L;
  private static final long LCG_INCREMENT = 1442695040888963407L;

  private static final byte[] SHA_INPUT = new byte[SHA_INPUT_BYTES];

  static {
    Arrays.fill(SHA_INPUT, (byte) 0x5a);
  }

  /** One digest and its output buffer per thread, so hashing allocates nothing and shares nothing. */
  private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

  private Kernels() {}

  /** {@return a 100-step multiply-add-xorshift chain seeded with {@code i}} */
  static long light(int i) {
    long x = i;
    for (int k = 0; k < LIGHT_STEPS; k++) {
      x = x * 31 + k;
      x ^= x >>> 7;
    }
    return x;
  }

  /** {@return the state of a 64-bit linear congruential generator after {@code steps} steps from {@code seed}} */
  static long lcg(long seed, int steps) {
    long x = seed;
    for (int k = 0; k < steps; k++) {
      x = x * LCG_MULTIPLIER + LCG_INCREMENT;
    }
    return x;
  }

  /** {@return the first digest byte of SHA-256 over a fixed buffer whose first byte is {@code i}} */
  static long sha256(int i) {
    Hasher h = HASHER.get();
    h.input[0] = (byte) i;
    h.digest.update(h.input);
    try {
      h.digest.digest(h.output, 0, h.output.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 output buffer too small", e);
    }
    return h.output[0];
  }

  /** A thread's SHA-256 engine, its private copy of the input and its output buffer. */
  private static final class Hasher {
    final MessageDigest digest;
    final byte[] input = SHA_INPUT.clone();
    final byte[] output = new byte[32];

    Hasher() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform must provide SHA-256", e);
      }
    }
  }
}
