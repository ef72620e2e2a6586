package io.edgewave.operator.fleet;

import io.edgewave.probe.heartbeat.Heartbeat;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The latest facts a node's probe reported, as preflight rules and gates read them. Kept in memory only. */
public record NodeFacts(Instant receivedAt, Long diskFreeBytes, Long memAvailableBytes, int gpus,
    List<String> gpuDrivers, Map<String, Boolean> checks) {
  public NodeFacts {
    gpuDrivers = List.copyOf(gpuDrivers);
    checks = Map.copyOf(checks);
  }

  public static NodeFacts of(Heartbeat h, Instant at) {
    Map<String, Boolean> checks = new HashMap<>();
    for (Heartbeat.Check c : h.checks()) checks.put(c.name(), c.ok());
    return new NodeFacts(at, h.diskFreeBytes(), h.memAvailableBytes(), h.gpus().size(),
        h.gpus().stream().map(Heartbeat.Gpu::driver).filter(d -> d != null).toList(), checks);
  }
}
