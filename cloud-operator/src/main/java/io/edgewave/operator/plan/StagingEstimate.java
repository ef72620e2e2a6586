package io.edgewave.operator.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long staging takes, for {@code edgewave plan}: when each wave's images are on its nodes, counted from the
 * moment staging starts, if sites declare their uplink (Node label {@link #UPLINK_LABEL}, Mbit/s) and the release
 * its image size. A site's uplink is the bottleneck: its pulls share it, so however many run at once
 * ({@code maxPullsPerSite} only spreads them), n nodes of one site take n times the size over the uplink. Waves are
 * staged in order (the ones up next first), so wave k is staged when every site has pulled for its nodes of waves 0
 * to k. Pure.
 */
public final class StagingEstimate {
  /** The Node label giving its site's uplink in Mbit/s. */
  public static final String UPLINK_LABEL = "edgewave.io/uplink-mbps";
  /** The EdgeRelease annotation giving the size of its new images (a quantity: 500Mi, 1.2G). */
  public static final String IMAGE_SIZE_ANNOTATION = "edgewave.io/image-size";

  private StagingEstimate() {}

  /**
   * @return per wave, when it is staged after staging starts, or null when a site it touches declares no uplink
   */
  public static List<Duration> of(WavePlan plan, String siteLabel, long imageBytes) {
    Map<String, Map<String, String>> labels = new HashMap<>();
    for (TargetNode t : plan.targets()) labels.put(t.name(), t.labels() == null ? Map.of() : t.labels());
    Map<String, Long> bits = new HashMap<>();
    Map<String, Double> uplink = new HashMap<>();
    List<Duration> out = new ArrayList<>();
    Duration previous = Duration.ZERO;
    boolean known = true;
    for (Wave w : plan.waves()) {
      double seconds = 0;
      for (String n : w.nodes()) {
        Map<String, String> l = labels.getOrDefault(n, Map.of());
        String site = l.getOrDefault(siteLabel, "node:" + n);
        Double mbps = parse(l.get(UPLINK_LABEL));
        if (mbps != null) uplink.putIfAbsent(site, mbps);
        if (!uplink.containsKey(site)) {
          known = false;
          continue;
        }
        long pulled = bits.merge(site, imageBytes * 8, Long::sum);
        seconds = Math.max(seconds, pulled / (uplink.get(site) * 1_000_000));
      }
      if (!known) {
        out.add(null);
        continue;
      }
      Duration d = Duration.ofMillis((long) Math.ceil(seconds * 1000));
      if (d.compareTo(previous) < 0) d = previous; // never staged before the wave in front of it
      out.add(d);
      previous = d;
    }
    return out;
  }

  private static Double parse(String mbps) {
    if (mbps == null) return null;
    try {
      double v = Double.parseDouble(mbps);
      return v > 0 ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
