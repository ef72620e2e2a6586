package io.edgewave.operator.rollout;

import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.operator.plan.PreflightPolicy;
import java.time.Instant;
import java.util.List;

/** Preflight rules and gates evaluated over a node's latest probe facts. Pure. */
final class PreflightCheck {
  private PreflightCheck() {}

  /** Why the node may not be started, or null when it may. */
  static String failure(PreflightPolicy p, NodeFacts f) {
    if (p.empty()) return null;
    if (f == null) return "Preflight: no heartbeat from the edge probe yet";
    if (p.minFreeDiskBytes() != null && (f.diskFreeBytes() == null || f.diskFreeBytes() < p.minFreeDiskBytes())) {
      return "Preflight: free disk " + mib(f.diskFreeBytes()) + " below " + mib(p.minFreeDiskBytes());
    }
    if (p.minAvailableMemoryBytes() != null
        && (f.memAvailableBytes() == null || f.memAvailableBytes() < p.minAvailableMemoryBytes())) {
      return "Preflight: available memory " + mib(f.memAvailableBytes()) + " below " + mib(p.minAvailableMemoryBytes());
    }
    if (p.gpu() && f.gpus() == 0) return "Preflight: no GPU reported";
    if (p.minGpuDriver() != null) {
      if (f.gpuDrivers().isEmpty()) return "Preflight: no GPU driver reported";
      for (String d : f.gpuDrivers()) {
        if (compareVersions(d, p.minGpuDriver()) < 0) return "Preflight: GPU driver " + d + " older than " + p.minGpuDriver();
      }
    }
    String failing = failingCheck(p.checks(), f);
    return failing == null ? null : "Preflight: check " + failing + " failing";
  }

  private static String failingCheck(List<String> checks, NodeFacts f) {
    for (String c : checks) if (!Boolean.TRUE.equals(f.checks().get(c))) return c;
    return null;
  }

  /** Numeric comparison of dotted versions: 535.104.05 > 535.54. Non-numeric parts compare as 0. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      long p = i < x.length ? num(x[i]) : 0;
      long q = i < y.length ? num(y[i]) : 0;
      if (p != q) return Long.compare(p, q);
    }
    return 0;
  }

  private static long num(String s) {
    try {
      return Long.parseLong(s.replaceAll("[^0-9]", "").isEmpty() ? "0" : s.replaceAll("[^0-9]", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String mib(Long b) {
    return b == null ? "unknown" : (b / (1024 * 1024)) + "Mi";
  }
}
