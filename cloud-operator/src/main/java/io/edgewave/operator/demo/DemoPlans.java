package io.edgewave.operator.demo;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Strategy;
import io.edgewave.operator.api.v1alpha1.WaveSpec;
import io.edgewave.protocol.Durations;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Loads rollout plans and makes them fit a demo: bake times and deadlines compressed, windows dropped. */
public final class DemoPlans {
  static final List<String> BUNDLED = List.of("scan-upload.yaml", "camera-inference.yaml");
  /**
   * The pair {@code edgewave demo --compare-staging} rolls out one after the other, each in a world of its own:
   * the same release without staging, then with. The plain demo leaves them out (they target the same nodes as
   * scan-upload.yaml).
   */
  public static final List<String> COMPARISON = List.of("scan-upload-unstaged.yaml", "scan-upload-staged.yaml");
  static final Duration MIN_DEADLINE = Duration.ofSeconds(20);

  private DemoPlans() {}

  /** From the folder when it exists (a checkout), else the copies bundled in the jar. */
  public static List<EdgeRelease> load(Path dir) {
    List<EdgeRelease> out = new ArrayList<>();
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path p : files.filter(f -> f.toString().endsWith(".yaml"))
              .filter(f -> !COMPARISON.contains(f.getFileName().toString())).sorted().toList()) {
            out.add(Serialization.unmarshal(Files.readString(p), EdgeRelease.class));
          }
        }
      } else {
        for (String name : BUNDLED) {
          try (InputStream in = DemoPlans.class.getResourceAsStream("/rollout-plans/" + name)) {
            if (in != null) out.add(Serialization.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), EdgeRelease.class));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The texts of the comparison pair, unstaged first: from the folder when it has them, else from the jar. */
  public static List<String> comparison(Path dir) {
    List<String> out = new ArrayList<>();
    try {
      for (String name : COMPARISON) {
        Path p = dir.resolve(name);
        if (Files.isRegularFile(p)) {
          out.add(Files.readString(p));
          continue;
        }
        try (InputStream in = DemoPlans.class.getResourceAsStream("/rollout-plans/" + name)) {
          if (in == null) throw new IllegalStateException("no " + name + " in " + dir + " nor in the jar");
          out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Divides every bake time and the progress deadline by scale; removes notBefore and windows. The deadline never
   * drops below what the simulated kubelet needs to start a big wave: 20 s, or 10 ms per node in the fleet.
   */
  public static EdgeRelease compress(EdgeRelease er, double scale, int fleetSize) {
    Duration minDeadline = Duration.ofMillis(Math.max(MIN_DEADLINE.toMillis(), 10L * fleetSize));
    EdgeRelease copy = Serialization.clone(er);
    copy.setStatus(null);
    copy.getSpec().setSchedule(null);
    Strategy s = copy.getSpec().getStrategy();
    if (s == null) return copy;
    if (s.getWaves() != null) for (WaveSpec w : s.getWaves()) w.setBakeTime(scaled(w.getBakeTime(), scale, Duration.ZERO));
    if (s.getExponential() != null) s.getExponential().setBakeTime(scaled(s.getExponential().getBakeTime(), scale, Duration.ZERO));
    s.setProgressDeadline(scaled(s.getProgressDeadline() == null ? "15m" : s.getProgressDeadline(), scale, minDeadline));
    return copy;
  }

  private static String scaled(String text, double scale, Duration min) {
    if (text == null) return null;
    Duration d = Duration.ofMillis((long) (Durations.parse(text).toMillis() / scale));
    return Durations.format(d.compareTo(min) < 0 ? min : d);
  }
}
