package io.edgewave.bench;

import java.util.Arrays;
import java.util.List;

final class Stats {
  private Stats() {}

  /** Nearest-rank percentile, q in [0, 1]. */
  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) return Double.NaN;
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static double[] sorted(List<Double> values) {
    double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a;
  }

  interface Body { void run() throws Exception; }

  /** Runs a benchmark's main body, then exits: an embedded mock API server's threads must not keep the JVM alive. */
  static void exitAfter(Body body) throws Exception {
    try {
      body.run();
    } finally {
      System.out.flush();
    }
    System.exit(0);
  }

  static double median(List<Double> values) {
    return percentile(sorted(values), 0.5);
  }
}
