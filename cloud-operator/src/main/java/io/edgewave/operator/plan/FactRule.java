package io.edgewave.operator.plan;

import io.edgewave.operator.fleet.NodeFacts;
import java.util.Objects;

/**
 * One rule over a node's latest probe facts, as preflight rules and gates use them. Each rule knows only how to
 * read its own fact; the order, the freshness of the facts and what a failure means (a skip before the update, a
 * pending gate after it) are decided by whoever evaluates the list. Adding a rule on a new fact is a new record
 * here, its field in the spec and its parser: nothing that evaluates rules changes.
 *
 * <p>{@link #failure} says why the facts break the rule, or returns null when they meet it. A fact the probe did
 * not report breaks the rule: a box that cannot show it is fit is not started.
 */
public sealed interface FactRule {
  String failure(NodeFacts f);

  /** A probe check (the name before = in the probe's --check) passed in the latest heartbeat. */
  record CheckPasses(String name) implements FactRule {
    public CheckPasses { Objects.requireNonNull(name); }

    @Override public String failure(NodeFacts f) {
      return Boolean.TRUE.equals(f.checks().get(name)) ? null : "check " + name + " failing";
    }
  }

  record MinFreeDisk(long bytes) implements FactRule {
    @Override public String failure(NodeFacts f) {
      return f.diskFreeBytes() != null && f.diskFreeBytes() >= bytes ? null
          : "free disk " + mib(f.diskFreeBytes()) + " below " + mib(bytes);
    }
  }

  record MinAvailableMemory(long bytes) implements FactRule {
    @Override public String failure(NodeFacts f) {
      return f.memAvailableBytes() != null && f.memAvailableBytes() >= bytes ? null
          : "available memory " + mib(f.memAvailableBytes()) + " below " + mib(bytes);
    }
  }

  /** At least one GPU reported by nvidia-smi. */
  record GpuPresent() implements FactRule {
    @Override public String failure(NodeFacts f) {
      return f.gpus() > 0 ? null : "no GPU reported";
    }
  }

  /** Every GPU's driver at least {@code version}: one old driver is enough to break a CUDA workload. */
  record MinGpuDriver(String version) implements FactRule {
    public MinGpuDriver { Objects.requireNonNull(version); }

    @Override public String failure(NodeFacts f) {
      if (f.gpuDrivers().isEmpty()) return "no GPU driver reported";
      for (String d : f.gpuDrivers()) {
        if (compareVersions(d, version) < 0) return "GPU driver " + d + " older than " + version;
      }
      return null;
    }

    /** Numeric comparison of dotted versions: 535.104.05 > 535.54. Non-numeric parts compare as 0. */
    public static int compareVersions(String a, String b) {
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
      String digits = s.replaceAll("[^0-9]", "");
      try {
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
  }

  /**
   * The hottest GPU at most {@code celsius}: a box already running hot (a blocked fan, a cabinet in the sun) is not
   * the place to start a new inference workload.
   */
  record MaxGpuTemperature(int celsius) implements FactRule {
    @Override public String failure(NodeFacts f) {
      Double t = f.maxGpuTemperatureC();
      if (t == null) return "no GPU temperature reported";
      return t <= celsius ? null : "GPU temperature " + degrees(t) + " above " + celsius + "C";
    }

    private static String degrees(double t) {
      return (t == Math.rint(t) ? String.valueOf((long) t) : String.valueOf(t)) + "C";
    }
  }

  private static String mib(Long b) {
    return b == null ? "unknown" : (b / (1024 * 1024)) + "Mi";
  }
}
