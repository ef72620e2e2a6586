package io.edgewave.operator.plan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns targets and a strategy into ordered waves. Pure and deterministic: the same nodes, spec and seed give
 * the same waves in any process, so a restarted operator re-derives exactly the plan it was executing.
 *
 * <p>Nodes are ordered by a seeded 64-bit hash of their name rather than by name, so that a "10%" wave spreads
 * over sites instead of taking the alphabetically first one.
 */
public final class WavePlanner {
  public static final String REST = "rest";

  private WavePlanner() {}

  public static WavePlan plan(ReleasePolicy policy, Collection<TargetNode> nodes, String seed) {
    return plan(policy, nodes, seed, Map.of(), Set.of());
  }

  /**
   * Plans with the membership of waves that already started held fixed: {@code frozen} maps a started wave's name
   * to the members it had when it started. Such a wave keeps exactly those members that are still targets (the
   * others are its {@code departed}); nodes that joined since go to waves that have not started, or, when every
   * wave has started, to {@link WavePlan#joiners()}. A frozen wave that had no member at all is planned afresh, so
   * that the nodes a fixed selector now matches can fill an empty canary. {@code planned} names the waves the
   * rollout already knows (from status): a "rest" wave planned before stays the place for leftover targets until
   * it starts.
   */
  public static WavePlan plan(ReleasePolicy policy, Collection<TargetNode> nodes, String seed,
      Map<String, List<String>> frozen, Set<String> planned) {
    List<TargetNode> targets = selectTargets(policy, nodes, seed);
    int total = targets.size();
    WaveSizing sizing = policy.strategy().sizing();
    List<WavePolicy> policies = sizing.waves(total);
    Map<String, TargetNode> byName = new HashMap<>(total * 2);
    for (TargetNode t : targets) byName.put(t.name(), t);

    Set<String> assigned = new java.util.HashSet<>();
    for (List<String> members : frozen.values()) {
      for (String n : members) if (byName.containsKey(n)) assigned.add(n);
    }
    String restName = uniqueRestName(policies);
    Map<String, WavePolicy> policyOf = new HashMap<>();
    for (WavePolicy wp : policies) policyOf.put(wp.name(), wp);
    // Started waves come first, in the order they started, with their policy if the spec still has one: a wave that
    // was renamed or removed by an edit, or that a changed fleet size took out of an exponential plan, keeps its
    // members and its place instead of leaving them unjudged.
    List<Wave> waves = new ArrayList<>();
    Set<String> placed = new java.util.HashSet<>();
    for (Map.Entry<String, List<String>> e : frozen.entrySet()) {
      if (e.getValue().stream().noneMatch(byName::containsKey)) continue;
      WavePolicy wp = policyOf.containsKey(e.getKey()) ? policyOf.get(e.getKey()) : sizing.orphan(e.getKey());
      waves.add(wave(waves.size(), wp, frozen, byName, targets, assigned, total));
      placed.add(e.getKey());
    }
    for (WavePolicy wp : policies) {
      if (!placed.contains(wp.name())) waves.add(wave(waves.size(), wp, frozen, byName, targets, assigned, total));
    }
    List<String> joiners = new ArrayList<>();
    if (placed.contains(restName)) {
      for (TargetNode t : targets) if (!assigned.contains(t.name())) joiners.add(t.name());
    } else if (assigned.size() < total) {
      // once every wave of the spec has started, nodes that join are caught up after the rollout, not in a new wave
      boolean allStarted = !waves.isEmpty() && waves.stream().allMatch(w -> frozen.containsKey(w.name()))
          && !planned.contains(restName);
      List<String> rest = new ArrayList<>();
      for (TargetNode t : targets) if (assigned.add(t.name())) rest.add(t.name());
      if (allStarted) joiners.addAll(rest);
      else waves.add(new Wave(waves.size(), WavePolicy.rest(restName), rest));
    }
    Map<String, Integer> waveOf = new HashMap<>(total * 2);
    for (Wave w : waves) for (String n : w.nodes()) waveOf.put(n, w.index());
    return new WavePlan(waves, targets, waveOf, joiners);
  }

  private static Wave wave(int index, WavePolicy wp, Map<String, List<String>> frozen, Map<String, TargetNode> byName,
      List<TargetNode> targets, Set<String> assigned, int total) {
    List<String> recorded = frozen.get(wp.name());
    // a wave that had no member, or whose members have all left, is planned again: a fixed selector can fill it
    if (recorded == null || recorded.stream().noneMatch(byName::containsKey)) {
      return new Wave(index, wp, members(wp, targets, assigned, total));
    }
    List<String> members = new ArrayList<>(recorded.size());
    List<String> departed = new ArrayList<>();
    for (String n : recorded) (byName.containsKey(n) ? members : departed).add(n);
    return new Wave(index, wp, members, departed);
  }

  /** Selector matches plus explicit names, minus exclusions, in seeded hash order. */
  public static List<TargetNode> selectTargets(ReleasePolicy policy, Collection<TargetNode> nodes, String seed) {
    List<Keyed> keyed = new ArrayList<>();
    for (TargetNode n : nodes) {
      if (policy.targets().selects(n)) keyed.add(new Keyed(hash(seed, n.name()), n));
    }
    keyed.sort(Comparator.comparingLong(Keyed::key).thenComparing(k -> k.node().name()));
    List<TargetNode> out = new ArrayList<>(keyed.size());
    for (Keyed k : keyed) out.add(k.node());
    return out;
  }

  private static List<String> members(WavePolicy wp, List<TargetNode> targets, Set<String> assigned, int total) {
    List<TargetNode> candidates = new ArrayList<>();
    for (TargetNode t : targets) {
      if (!assigned.contains(t.name()) && (wp.selector() == null || wp.selector().matches(t.labels()))) {
        candidates.add(t);
      }
    }
    int limit = wp.size() != null ? wp.size().sizeOf(total) : candidates.size();
    LinkedHashSet<String> chosen = new LinkedHashSet<>();
    for (String key : wp.coverage()) {
      Set<String> covered = new TreeSet<>();
      for (TargetNode t : candidates) {
        String v = t.labels().get(key);
        if (v != null && chosen.contains(t.name())) covered.add(v);
      }
      for (TargetNode t : candidates) {
        String v = t.labels().get(key);
        if (v != null && covered.add(v)) chosen.add(t.name());
      }
    }
    for (TargetNode t : candidates) {
      if (chosen.size() >= limit) break;
      chosen.add(t.name());
    }
    // Coverage may take the wave past its size: a representative canary matters more than its exact count.
    List<String> ordered = new ArrayList<>(chosen.size());
    for (TargetNode t : candidates) if (chosen.contains(t.name())) ordered.add(t.name());
    assigned.addAll(ordered);
    return ordered;
  }

  private static String uniqueRestName(List<WavePolicy> policies) {
    String name = REST;
    Set<String> taken = new java.util.HashSet<>();
    for (WavePolicy p : policies) taken.add(p.name());
    for (int i = 2; taken.contains(name); i++) name = REST + "-" + i;
    return name;
  }

  /** FNV-1a over the UTF-8 bytes, then the SplitMix64 finalizer: stable across JVMs and releases. */
  static long hash(String seed, String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (seed + '\u0000' + name).getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    h ^= (h >>> 30);
    h *= 0xbf58476d1ce4e5b9L;
    h ^= (h >>> 27);
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  private record Keyed(long key, TargetNode node) {}
}
