package io.edgewave.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.protocol.Heartbeat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule over probe facts: met, broken, and broken because the probe did not report the fact. */
class FactRulesTest {
  static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

  static NodeFacts facts(Long disk, Long mem, List<String> drivers, Map<String, Boolean> checks, Double hottest) {
    return new NodeFacts(T, disk, mem, drivers.size(), drivers, checks, null, hottest);
  }

  static final NodeFacts NOTHING = facts(null, null, List.of(), Map.of(), null);

  @Test
  void checkPassesOnlyWhenTheProbeReportsItPassing() {
    FactRule r = new FactRule.CheckPasses("camera");
    assertNull(r.failure(facts(null, null, List.of(), Map.of("camera", true), null)));
    assertEquals("check camera failing", r.failure(facts(null, null, List.of(), Map.of("camera", false), null)));
    assertEquals("check camera failing", r.failure(facts(null, null, List.of(), Map.of("rtsp", true), null)),
        "a check the probe does not run is not passing");
  }

  @Test
  void minFreeDiskComparesBytesAndReportsMebibytes() {
    FactRule r = new FactRule.MinFreeDisk(2L << 30);
    assertNull(r.failure(facts(2L << 30, null, List.of(), Map.of(), null)), "exactly enough is enough");
    assertEquals("free disk 1024Mi below 2048Mi", r.failure(facts(1L << 30, null, List.of(), Map.of(), null)));
    assertEquals("free disk unknown below 2048Mi", r.failure(NOTHING));
  }

  @Test
  void minAvailableMemoryComparesBytesAndReportsMebibytes() {
    FactRule r = new FactRule.MinAvailableMemory(512L << 20);
    assertNull(r.failure(facts(null, 4L << 30, List.of(), Map.of(), null)));
    assertEquals("available memory 256Mi below 512Mi", r.failure(facts(null, 256L << 20, List.of(), Map.of(), null)));
    assertEquals("available memory unknown below 512Mi", r.failure(NOTHING));
  }

  @Test
  void gpuPresentNeedsOneReportedGpu() {
    FactRule r = new FactRule.GpuPresent();
    assertNull(r.failure(facts(null, null, List.of("535.104.05"), Map.of(), null)));
    assertEquals("no GPU reported", r.failure(NOTHING));
  }

  @Test
  void minGpuDriverHoldsForEveryGpuComparedAsNumbers() {
    FactRule r = new FactRule.MinGpuDriver("535.104");
    assertNull(r.failure(facts(null, null, List.of("535.104.05", "550.54"), Map.of(), null)));
    assertEquals("GPU driver 470.82 older than 535.104",
        r.failure(facts(null, null, List.of("535.104.05", "470.82"), Map.of(), null)), "one old card is enough");
    assertEquals("GPU driver 535.54 older than 535.104", r.failure(facts(null, null, List.of("535.54"), Map.of(), null)),
        "54 < 104 though \"5\" > \"1\"");
    assertEquals("no GPU driver reported", r.failure(NOTHING));
  }

  @Test
  void maxGpuTemperatureReadsTheHottestGpu() {
    FactRule r = new FactRule.MaxGpuTemperature(85);
    assertNull(r.failure(facts(null, null, List.of("535"), Map.of(), 85.0)), "at the limit is allowed");
    assertEquals("GPU temperature 91C above 85C", r.failure(facts(null, null, List.of("535"), Map.of(), 91.0)));
    assertEquals("GPU temperature 85.5C above 85C", r.failure(facts(null, null, List.of("535"), Map.of(), 85.5)));
    assertEquals("no GPU temperature reported", r.failure(NOTHING));
  }

  @Test
  void factsFromAHeartbeatKeepTheHottestGpusTemperature() {
    Heartbeat h = new Heartbeat(1, "box-1", 1, "boot", 0, 5000, null, null, null, null, null, List.of(
        new Heartbeat.Gpu(0, "T4", "535.104.05", null, null, null, 61.0),
        new Heartbeat.Gpu(1, "T4", "535.104.05", null, null, null, 88.0),
        new Heartbeat.Gpu(2, "T4", "535.104.05", null, null, null, null)), List.of(), Map.of());
    NodeFacts f = NodeFacts.of(h, T);
    assertEquals(88.0, f.maxGpuTemperatureC());
    assertEquals("GPU temperature 88C above 85C", new FactRule.MaxGpuTemperature(85).failure(f));
    Heartbeat cold = new Heartbeat(1, "box-1", 1, "boot", 0, 5000, null, null, null, null, null,
        List.of(new Heartbeat.Gpu(0, "T4", "535.104.05", null, null, null, null)), List.of(), Map.of());
    assertNull(NodeFacts.of(cold, T).maxGpuTemperatureC(), "no reading is missing, not 0");
  }
}
