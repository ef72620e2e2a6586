package io.edgewave.protocol;

import java.util.List;
import java.util.Map;

/**
 * One heartbeat, wire format v1 (docs/protocol.md). Optional facts are null (or empty) when the probe could not
 * read them; absence is never an error.
 */
public record Heartbeat(
    int version, String node, long seq, String bootId, long sentMs, long intervalMs, Double uptimeSeconds,
    Double load1, Long memTotalBytes, Long memAvailableBytes, Long diskFreeBytes, List<Gpu> gpus,
    List<Check> checks, Map<String, String> revisions) {

  public static final int VERSION = 1;

  public Heartbeat {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    checks = checks == null ? List.of() : List.copyOf(checks);
    revisions = revisions == null ? Map.of() : Map.copyOf(revisions);
  }

  /** One GPU as nvidia-smi reports it. */
  public record Gpu(int index, String name, String driver, Double utilizationPercent, Long memoryUsedMiB,
      Long memoryTotalMiB, Double temperatureC) {}

  /** The result of one configured local check. */
  public record Check(String name, boolean ok, long millis, String detail) {}
}
