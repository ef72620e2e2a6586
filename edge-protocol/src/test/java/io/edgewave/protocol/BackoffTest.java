package io.edgewave.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delaysGrowToTheCapAndSpreadOverTheWindow() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
    Random r = new Random(1);
    for (int attempt = 0; attempt < 40; attempt++) {
      long ms = b.delay(attempt, r).toMillis();
      long cap = Math.min(60_000, 1000L << Math.min(attempt, 20));
      assertTrue(ms >= 1000 && ms <= cap, attempt + ": " + ms);
    }
    Set<Long> seconds = new HashSet<>();
    for (int probe = 0; probe < 10_000; probe++) seconds.add(b.delay(10, r).toSeconds());
    assertTrue(seconds.size() > 55, "10,000 probes after an outage reconnect over the whole minute, not in lockstep");
  }
}
