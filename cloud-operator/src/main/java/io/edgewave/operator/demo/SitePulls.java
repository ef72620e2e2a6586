package io.edgewave.operator.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Image pulls of simulated nodes as a fluid model: every site has one uplink, shared equally by the pulls running
 * at that site, and the shares are recomputed whenever a pull starts, ends or is cancelled. A fixed delay per pull
 * would hide exactly what staging is about: ten nodes of one site pulling at once each take ten times as long.
 *
 * <p>Pure and single-threaded: times are simulated seconds passed in, never read from a clock, and must not go
 * backwards. {@link #advance} moves the world to a time and hands back the pulls that finished on the way, each
 * with the exact time it finished (between calls, shares change only at those times, so stepping from one
 * finish to the next is exact, not an approximation).
 */
public final class SitePulls {
  /** One image pull of one node: its site's uplink in bytes per second, and the bytes it still needs. */
  public record Pull(long id, String site, String node, String image, double bytes, double startedAt) {}

  /** A pull that finished, and when (simulated seconds). */
  public record Finished(Pull pull, double at) {
    public double seconds() { return at - pull.startedAt(); }
  }

  /** Less than a byte left is done: it also keeps rounding from stepping by nothing forever. */
  private static final double EPSILON_BYTES = 1;
  private final Map<Long, Pull> pulls = new LinkedHashMap<>();
  private final Map<Long, Double> remaining = new HashMap<>();
  private final Map<String, Double> uplinkBytesPerSecond = new HashMap<>();
  private final Map<String, Integer> active = new HashMap<>();
  private final Map<String, Integer> peak = new HashMap<>();
  private final List<Finished> finished = new ArrayList<>();
  private double now;
  private long nextId = 1;

  /** Mbit/s as bytes per second. */
  public static double bytesPerSecond(double mbitPerSecond) {
    return mbitPerSecond * 1_000_000 / 8;
  }

  /**
   * Starts a pull at {@code at}; the site's uplink is set to {@code uplinkBytesPerSecond} (the last value given
   * for a site wins, for every pull of the site). Returns its id.
   */
  public long start(String site, double uplinkBytesPerSecond, String node, String image, double bytes, double at) {
    if (uplinkBytesPerSecond <= 0) throw new IllegalArgumentException("uplink of site " + site + " must be > 0");
    moveTo(at);
    this.uplinkBytesPerSecond.put(site, uplinkBytesPerSecond);
    Pull p = new Pull(nextId++, site, node, image, bytes, at);
    pulls.put(p.id(), p);
    remaining.put(p.id(), Math.max(0, bytes));
    int n = active.merge(site, 1, Integer::sum);
    peak.merge(site, n, Math::max);
    moveTo(at); // a pull of zero bytes is finished at once
    return p.id();
  }

  /** Stops a pull (nobody needs its image any more); its share goes to the others of its site from {@code at}. */
  public void cancel(long id, double at) {
    moveTo(at);
    Pull p = pulls.remove(id);
    if (p == null) return;
    remaining.remove(id);
    active.merge(p.site(), -1, Integer::sum);
  }

  /** Moves to {@code at} and returns the pulls that finished since the last call, in the order they finished. */
  public List<Finished> advance(double at) {
    moveTo(at);
    List<Finished> out = List.copyOf(finished);
    finished.clear();
    return out;
  }

  /** When the next pull finishes if nothing starts or stops before then; empty when nothing is pulling. */
  public OptionalDouble nextFinish() {
    double best = Double.POSITIVE_INFINITY;
    for (Pull p : pulls.values()) best = Math.min(best, now + remaining.get(p.id()) / rate(p.site()));
    return best == Double.POSITIVE_INFINITY ? OptionalDouble.empty() : OptionalDouble.of(best);
  }

  /** Pulls running at a site now. */
  public int active(String site) { return active.getOrDefault(site, 0); }

  /** The most pulls that ran at once at each site, since this model was made. */
  public Map<String, Integer> peaks() { return Map.copyOf(peak); }

  /** The bytes a pull still needs, or 0 if it is not running. */
  public double remaining(long id) { return remaining.getOrDefault(id, 0.0); }

  private double rate(String site) {
    return uplinkBytesPerSecond.get(site) / active.get(site);
  }

  /** Steps from one finish to the next (shares change only there) until {@code at}. */
  private void moveTo(double at) {
    if (at < now) throw new IllegalArgumentException("time went backwards: " + at + " < " + now);
    while (true) {
      OptionalDouble next = nextFinish();
      double step = Math.min(at, next.orElse(at));
      for (Pull p : pulls.values()) remaining.computeIfPresent(p.id(), (id, r) -> r - rate(p.site()) * (step - now));
      now = step;
      List<Pull> done = pulls.values().stream().filter(p -> remaining.get(p.id()) <= EPSILON_BYTES).toList();
      for (Pull p : done) {
        pulls.remove(p.id());
        remaining.remove(p.id());
        active.merge(p.site(), -1, Integer::sum);
        finished.add(new Finished(p, now));
      }
      if (step >= at) return;
    }
  }
}
