package io.edgewave.operator.fleet;

import io.edgewave.protocol.Heartbeat;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The latest facts a node's probe reported, as preflight rules and gates read them. Kept in memory only.
 * {@code receivedAt} is on the operator's clock; {@code sentAt} on the node's own, the clock its kubelet stamps the
 * pod's Ready time with, so the two can be compared without trusting clock sync between edge and cloud.
 * {@code maxGpuTemperatureC} is the hottest GPU's temperature, null when no GPU reported one: a rule on heat cares
 * about the worst card, not the average.
 */
public record NodeFacts(Instant receivedAt, Long diskFreeBytes, Long memAvailableBytes, int gpus,
    List<String> gpuDrivers, Map<String, Boolean> checks, Instant sentAt, Double maxGpuTemperatureC) {
  public NodeFacts {
    gpuDrivers = List.copyOf(gpuDrivers);
    checks = Map.copyOf(checks);
    sentAt = sentAt == null ? receivedAt : sentAt;
  }

  public NodeFacts(Instant receivedAt, Long diskFreeBytes, Long memAvailableBytes, int gpus, List<String> gpuDrivers,
      Map<String, Boolean> checks, Instant sentAt) {
    this(receivedAt, diskFreeBytes, memAvailableBytes, gpus, gpuDrivers, checks, sentAt, null);
  }

  public NodeFacts(Instant receivedAt, Long diskFreeBytes, Long memAvailableBytes, int gpus, List<String> gpuDrivers,
      Map<String, Boolean> checks) {
    this(receivedAt, diskFreeBytes, memAvailableBytes, gpus, gpuDrivers, checks, null, null);
  }

  public static NodeFacts of(Heartbeat h, Instant at) {
    Map<String, Boolean> checks = new HashMap<>();
    for (Heartbeat.Check c : h.checks()) checks.put(c.name(), c.ok());
    Double hottest = h.gpus().stream().map(Heartbeat.Gpu::temperatureC).filter(Objects::nonNull)
        .max(Double::compare).orElse(null);
    return new NodeFacts(at, h.diskFreeBytes(), h.memAvailableBytes(), h.gpus().size(),
        h.gpus().stream().map(Heartbeat.Gpu::driver).filter(d -> d != null).toList(), checks,
        h.sentMs() > 0 ? Instant.ofEpochMilli(h.sentMs()) : null, hottest);
  }
}
