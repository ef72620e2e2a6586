package io.edgewave.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.protocol.HeartbeatCodec;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgewaveMetricsTest {
  static String scrape(EdgewaveMetrics m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, m.registry().scrape());
    return out.toString();
  }

  static FailureDetector.Transition t(String node, FailureDetector.State to, long silenceS) {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    return new FailureDetector.Transition(node, FailureDetector.State.ONLINE, to, now, now.minusSeconds(silenceS),
        Duration.ofSeconds(silenceS), false);
  }

  @Test
  void aPerNodeSeriesExistsOnlyWhileTheNodeIsLost() throws Exception {
    EdgewaveMetrics m = new EdgewaveMetrics();
    m.transition(t("gpu-a-001", FailureDetector.State.LOST, 33));
    String lost = scrape(m);
    assertTrue(lost.contains("edgewave_node_lost{node=\"gpu-a-001\"} 1.0"), lost);
    assertTrue(lost.contains("edgewave_detection_latency_seconds_bucket{le=\"34.0\"} 1"), lost);
    m.transition(t("gpu-a-001", FailureDetector.State.ONLINE, 40));
    assertFalse(scrape(m).contains("node=\"gpu-a-001\""));
  }

  @Test
  void rejectsAndReleasesHaveBoundedLabels() throws Exception {
    EdgewaveMetrics m = new EdgewaveMetrics();
    m.heartbeatRejected(HeartbeatCodec.Reason.OVERSIZED);
    EdgeReleaseStatus s = new EdgeReleaseStatus();
    s.setPhase(Phase.Baking);
    s.setCurrentWave(2);
    WaveStatus w = new WaveStatus();
    w.setName("early");
    w.setTargets(10);
    w.setReady(9);
    w.setFailed(1);
    s.setWaves(List.of(w));
    m.release("logistics", "scan-upload", s);
    String text = scrape(m);
    assertTrue(text.contains("edgewave_heartbeats_rejected_total{reason=\"OVERSIZED\"} 1.0"), text);
    assertTrue(text.contains("edgewave_heartbeats_rejected_total{reason=\"NODE_MISMATCH\"} 0.0"), text);
    assertTrue(text.contains("edgewave_release_phase{namespace=\"logistics\",phase=\"Baking\",release=\"scan-upload\"} 1.0"), text);
    assertTrue(text.contains("edgewave_release_wave_nodes{namespace=\"logistics\",release=\"scan-upload\",state=\"failed\",wave=\"early\"} 1.0"), text);
    w.setName("broad");
    m.release("logistics", "scan-upload", s);
    assertFalse(scrape(m).contains("wave=\"early\""), "series of a wave that is gone are removed");
  }

  @Test
  void anInternalErrorHasItsOwnRejectReason() throws Exception {
    EdgewaveMetrics m = new EdgewaveMetrics();
    assertTrue(scrape(m).contains("edgewave_heartbeats_rejected_total{reason=\"INTERNAL_ERROR\"} 0.0"),
        "exported before the first one, so a rate() over it starts at zero");
    m.heartbeatInternalError();
    m.heartbeatInternalError();
    String text = scrape(m);
    assertTrue(text.contains("edgewave_heartbeats_rejected_total{reason=\"INTERNAL_ERROR\"} 2.0"), text);
    assertTrue(text.contains("edgewave_heartbeats_rejected_total{reason=\"MALFORMED_JSON\"} 0.0"), text);
  }

  @Test
  void theSeriesOfADeletedReleaseAreRemoved() throws Exception {
    EdgewaveMetrics m = new EdgewaveMetrics();
    EdgeReleaseStatus s = new EdgeReleaseStatus();
    s.setPhase(Phase.Succeeded);
    s.setCurrentWave(1);
    WaveStatus w = new WaveStatus();
    w.setName("all");
    s.setWaves(List.of(w));
    m.release("logistics", "scan-upload", s);
    m.release("logistics", "camera", s);
    m.retainReleases(java.util.Set.of("logistics/camera"));
    String text = scrape(m);
    assertFalse(text.contains("release=\"scan-upload\""), text);
    assertTrue(text.contains("release=\"camera\""), text);
  }

  @Test
  void anUnreachableSiteIsOneSeriesWhileItLastsAndItsNodesHaveNoneOfTheirOwn() throws Exception {
    EdgewaveMetrics m = new EdgewaveMetrics();
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    m.transition(t("hz-1", FailureDetector.State.LOST, 33));
    m.transition(t("hz-2", FailureDetector.State.LOST, 33));
    m.transition(t("box", FailureDetector.State.LOST, 33));
    m.siteSink().sites(List.of(new io.edgewave.operator.fleet.SiteDetector.SiteTransition("hangzhou-01",
        io.edgewave.operator.fleet.SiteDetector.Change.UNREACHABLE, List.of("hz-1", "hz-2"), 3, now)));
    String down = scrape(m);
    assertTrue(down.contains("edgewave_site_unreachable{site=\"hangzhou-01\"} 2.0"), down);
    assertFalse(down.contains("node=\"hz-1\""), "paged with its site: " + down);
    assertTrue(down.contains("edgewave_node_lost{node=\"box\"} 1.0"), "a box stays a box");
    m.sites(List.of(new io.edgewave.operator.fleet.SiteDetector.SiteTransition("hangzhou-01",
        io.edgewave.operator.fleet.SiteDetector.Change.BACK, List.of("hz-1", "hz-2"), 3, now)));
    assertFalse(scrape(m).contains("hangzhou-01"), "the series goes when the site is back");
  }

  @Test
  void aNewLeaderPagesWhatTheNodesRecordAsLostUntilItHearsThemAgain() throws Exception {
    EdgewaveMetrics m = new EdgewaveMetrics();
    var sink = m.siteSink();
    Instant at = Instant.parse("2026-12-01T00:00:00Z");
    sink.takeover(new io.edgewave.operator.fleet.Takeover(java.util.Map.of(
        "box", new io.edgewave.operator.fleet.Takeover.Recorded("hz", "False", "EdgeProbeLost", at),
        "bye", new io.edgewave.operator.fleet.Takeover.Recorded("hz", "False", "EdgeProbeOffline", at),
        "ok", new io.edgewave.operator.fleet.Takeover.Recorded("hz", "True", "EdgeProbeHeartbeat", at))));
    String s = scrape(m);
    assertTrue(s.contains("edgewave_node_lost{node=\"box\"} 1.0"), s);
    assertFalse(s.contains("node=\"bye\""), "a goodbye is not a loss: " + s);
    assertFalse(s.contains("node=\"ok\""), s);
    sink.converge(java.util.Map.of("box", new FailureDetector.Verdict(FailureDetector.State.ONLINE, true, false, at)),
        null);
    assertFalse(scrape(m).contains("node=\"box\""), "heard again, though no transition said so (a new detector)");
  }
}
