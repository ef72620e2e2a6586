package io.edgewave.operator.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-node downtime of a workload as the simulated kubelet sees it: from the moment a node's old pod is gone (the
 * Deployment strategy is Recreate, so it goes first) to the moment its new pod is Ready. Times are simulated
 * seconds. A node that ran no pod before (its first Deployment) has no downtime to record. Thread-safe.
 */
public final class Downtimes {
  /** One node's switch to a revision of a release. */
  public record Sample(String release, String node, String revision, double goneAt, double readyAt) {
    public double seconds() { return readyAt - goneAt; }
  }

  /** Nearest-rank p50 and p99 and the max of some samples, in seconds; NaN when there are none. */
  public record Summary(int count, double p50, double p99, double max, double mean) {
    public static Summary of(List<Sample> samples) {
      double[] s = samples.stream().mapToDouble(Sample::seconds).sorted().toArray();
      if (s.length == 0) return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      return new Summary(s.length, percentile(s, 0.5), percentile(s, 0.99), s[s.length - 1],
          java.util.Arrays.stream(s).average().orElse(Double.NaN));
    }

    static double percentile(double[] sorted, double q) {
      int i = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
  }

  private final Map<String, Double> gone = new HashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  /** The node's old pod of this release was deleted at {@code at}; the first deletion of an outage counts. */
  public synchronized void gone(String release, String node, double at) {
    gone.putIfAbsent(release + "/" + node, at);
  }

  /** The node's new pod of this release is Ready at {@code at}: closes the outage, if there was one. */
  public synchronized void ready(String release, String node, String revision, double at) {
    Double since = gone.remove(release + "/" + node);
    if (since != null) samples.add(new Sample(release, node, revision, since, at));
  }

  /** Every closed outage, in the order the pods turned Ready. */
  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** The closed outages of one revision of one release, by node name. */
  public synchronized List<Sample> of(String release, String revision) {
    return samples.stream().filter(s -> s.release().equals(release) && s.revision().equals(revision))
        .sorted(Comparator.comparing(Sample::node)).toList();
  }

  /** Nodes whose old pod is gone and whose new pod is not Ready yet. */
  public synchronized int open() {
    return gone.size();
  }
}
