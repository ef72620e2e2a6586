package io.edgewave.operator.plan;

import java.util.List;

/** Validated preflight rules; null fields are not checked. Byte amounts are already converted. */
public record PreflightPolicy(Long minFreeDiskBytes, Long minAvailableMemoryBytes, boolean gpu, String minGpuDriver,
    List<String> checks) {
  public PreflightPolicy {
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  public static final PreflightPolicy NONE = new PreflightPolicy(null, null, false, null, List.of());

  public boolean empty() {
    return minFreeDiskBytes == null && minAvailableMemoryBytes == null && !gpu && minGpuDriver == null && checks.isEmpty();
  }
}
