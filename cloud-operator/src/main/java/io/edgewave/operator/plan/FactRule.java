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

    /**
     * Numeric comparison of dotted versions: 535.104.05 > 535.54. A part counts by its first run of digits (535 of
     * "v535", 5 of "05-beta2", never 52), a part without digits as 0.
     */
    public static int compareVersions(String a, String b) {
      String[] x = a.split("\\.");
      String[] y = b.split("\\.");
      for (int i = 0; i < Math.max(x.length, y.length); i++) {
        long p = i < x.length ? firstNumber(x[i]) : 0;
        long q = i < y.length ? firstNumber(y[i]) : 0;
        if (p != q) return Long.compare(p, q);
      }
      return 0;
    }

    private static long firstNumber(String part) {
      int start = 0;
      while (start < part.length() && !Character.isDigit(part.charAt(start))) start++;
      int end = start;
      while (end < part.length() && Character.isDigit(part.charAt(end))) end++;
      while (start < end - 1 && part.charAt(start) == '0') start++; // leading zeros: 05 is 5
      if (start == end) return 0;
      // more digits than a long holds: a version part that large is nonsense, and compares as the largest
      return end - start > 18 ? Long.MAX_VALUE : Long.parseLong(part.substring(start, end));
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
