package io.edgewave.operator.demo;

import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's terminal progress: one line per wave. On a terminal the lines of the waves that have started are
 * redrawn in place under the log; into a pipe or file a wave's line is printed when it starts, finishes, gains a
 * failure or offline node, or (at most every 2 s) when more of its nodes are ready.
 */
final class WaveLines {
  private static final long PROGRESS_EVERY_MS = 2000;
  private final PrintStream out;
  private final boolean live;
  private final Map<String, EdgeReleaseStatus> latest = new LinkedHashMap<>();
  private final Map<String, String> milestone = new HashMap<>();
  private final Map<String, String> printed = new HashMap<>();
  private final Map<String, Long> printedAt = new HashMap<>();
  private final Map<String, String> phases = new HashMap<>();
  private int drawn;

  WaveLines(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  void update(String release, EdgeReleaseStatus s, Duration elapsed) {
    latest.put(release, s);
    String phase = s.getPhase() + " " + s.getCurrentWaveName();
    if (!live && !phase.equals(phases.put(release, phase))) {
      out.printf("[%7.1fs] %-18s %s%s%s%n", elapsed.toMillis() / 1000.0, release, s.getPhase(),
          s.getMessage() == null ? "" : ": " + s.getMessage(), nextStep(s));
    }
    if (live) return;
    List<WaveStatus> waves = s.getWaves();
    for (int i = 0; i < waves.size(); i++) {
      WaveStatus w = waves.get(i);
      if (w.getStartedAt() == null) continue;
      String key = release + "/" + w.getName();
      String line = line(release, s, i);
      if (line.equals(printed.get(key))) continue;
      String mark = (w.getCompletedAt() != null) + "/" + w.getFailed() + "/" + w.getOffline() + "/" + w.getSkipped();
      long now = System.currentTimeMillis();
      boolean changed = !mark.equals(milestone.put(key, mark));
      if (!changed && now - printedAt.getOrDefault(key, 0L) < PROGRESS_EVERY_MS) continue;
      printed.put(key, line);
      printedAt.put(key, now);
      out.printf("[%7.1fs] %s%n", elapsed.toMillis() / 1000.0, line);
    }
    out.flush();
  }

  /** When the rollout moves on by itself, relative to now, as people read it: " (next step in 8 m 12 s)". */
  static String nextStep(EdgeReleaseStatus s) {
    if (s.getNextStepAt() == null) return "";
    try {
      long secs = Math.max(0, Duration.between(java.time.Instant.now(), java.time.Instant.parse(s.getNextStepAt()))
          .toSeconds());
      return " (next step in " + (secs < 60 ? secs + " s" : secs / 60 + " m " + secs % 60 + " s") + ")";
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** On a terminal: redraws the wave lines below the last log line. */
  void redraw() {
    if (!live) return;
    clear();
    List<String> lines = new ArrayList<>();
    latest.forEach((release, s) -> {
      for (int i = 0; i < s.getWaves().size(); i++) {
        if (s.getWaves().get(i).getStartedAt() != null) lines.add(line(release, s, i));
      }
    });
    for (String l : lines) out.println(l);
    drawn = lines.size();
    out.flush();
  }

  /** On a terminal: erases the wave lines so a log line can be printed where they were. */
  void clear() {
    if (!live || drawn == 0) return;
    out.print("\u001b[" + drawn + "A\u001b[0J");
    drawn = 0;
  }

  static String line(String release, EdgeReleaseStatus s, int index) {
    WaveStatus w = s.getWaves().get(index);
    boolean current = s.getCurrentWave() != null && s.getCurrentWave() == index + 1;
    String state = w.getCompletedAt() != null ? "done" : current ? String.valueOf(s.getPhase()) : "-";
    return String.format("%-18s wave %d/%d %-14s %s %5d/%-5d ready  %4d failed  %4d offline  %s", release, index + 1,
        s.getWaves().size(), w.getName(), bar(w.getReady(), w.getTargets(), 20), w.getReady(), w.getTargets(),
        w.getFailed(), w.getOffline(), state);
  }

  static String bar(int done, int total, int width) {
    int n = total == 0 ? 0 : (int) Math.round((double) done * width / total);
    return "[" + "#".repeat(Math.min(width, n)) + ".".repeat(Math.max(0, width - n)) + "]";
  }
}
