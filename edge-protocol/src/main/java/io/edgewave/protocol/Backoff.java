package io.edgewave.protocol;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt n waits a random time in [min, min(max, min * 2^n)]. After a
 * broker restart 10,000 probes then spread their reconnects over the whole window instead of arriving together.
 */
public record Backoff(Duration min, Duration max) {
  public Duration delay(int attempt, RandomGenerator random) {
    long minMs = min.toMillis();
    long cap = Math.min(max.toMillis(), minMs << Math.min(attempt, 20));
    return Duration.ofMillis(minMs + (cap > minMs ? random.nextLong(cap - minMs + 1) : 0));
  }
}
