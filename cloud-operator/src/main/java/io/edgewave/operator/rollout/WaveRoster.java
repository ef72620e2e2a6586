package io.edgewave.operator.rollout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The members each started wave had when it started, for one rollout attempt. It is what keeps membership fixed
 * while nodes join, leave or are relabelled, and it outlives a restart (stored by {@code RosterStore} in a
 * ConfigMap owned by the release, never in status: it grows with the fleet).
 */
public record WaveRoster(String attempt, Map<String, List<String>> waves) {
  public WaveRoster {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    waves.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    waves = java.util.Collections.unmodifiableMap(copy);
  }

  /** The frozen membership that applies to {@code progress}, or none when the roster is of another attempt. */
  public static Map<String, List<String>> frozenFor(WaveRoster roster, Progress progress, String revision) {
    if (roster == null || progress == null || !revision.equals(progress.revision())) return Map.of();
    return roster.attempt().equals(progress.attempt()) ? roster.waves() : Map.of();
  }

  WaveRoster with(String wave, List<String> members) {
    Map<String, List<String>> next = new LinkedHashMap<>(waves);
    next.put(wave, members);
    return new WaveRoster(attempt, next);
  }
}
