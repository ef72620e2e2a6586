package io.edgewave.operator.deploy;

import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.SiteDetector;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the command-line tools the install is checked with (kubectl, promtool), and what the operator exports. */
final class Tools {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Pattern METRIC = Pattern.compile("\\bedgewave_[a-z_]+");

  record Result(int code, String out, String err) {}

  private Tools() {}

  static Result run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(ROOT.toFile()).start();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) throw new IllegalStateException(String.join(" ", command) + " hung");
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  /** Every sample name the operator exports, with each labelled series present at least once. */
  static Set<String> exportedMetricNames() throws Exception {
    EdgewaveMetrics m = new EdgewaveMetrics();
    m.heartbeatReceived();
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    m.transition(new FailureDetector.Transition("gpu-a-001", FailureDetector.State.ONLINE, FailureDetector.State.LOST,
        now, now.minusSeconds(33), Duration.ofSeconds(33), false));
    m.ingestDegraded(true);
    m.sites(List.of(new SiteDetector.SiteTransition("hangzhou-01", SiteDetector.Change.UNREACHABLE,
        List.of("gpu-a-002", "gpu-a-003"), 3, now)));
    EdgeReleaseStatus s = new EdgeReleaseStatus();
    s.setPhase(Phase.Progressing);
    s.setCurrentWave(1);
    WaveStatus w = new WaveStatus();
    w.setName("canary");
    s.setWaves(List.of(w));
    m.release("logistics", "scan-upload", s);
    m.nodeSwitched("logistics", "scan-upload", true, Duration.ofSeconds(14));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, m.registry().scrape());
    Set<String> names = new TreeSet<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher x = METRIC.matcher(line);
      if (x.lookingAt()) names.add(x.group());
    }
    return names;
  }

  static Set<String> metricNamesIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher x = METRIC.matcher(text);
    while (x.find()) names.add(x.group());
    return names;
  }
}
