package io.edgewave.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PrometheusRule passes promtool, fires in promtool's rule tests, and names only metrics the operator exports. */
class AlertRulesIT {
  static final Path RULE = Tools.ROOT.resolve("deploy/base/monitoring/prometheusrule.yaml");

  static Path rulesFile(Path dir) throws Exception {
    JsonNode rule = Serialization.yamlMapper().readTree(RULE.toFile());
    Path f = dir.resolve("edgewave-rules.yml");
    Files.writeString(f, Serialization.yamlMapper().writeValueAsString(rule.get("spec")));
    return f;
  }

  @Test
  void promtoolAcceptsTheRules(@TempDir Path dir) throws Exception {
    var r = Tools.run("promtool", "check", "rules", rulesFile(dir).toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("SUCCESS: 6 rules found"), r.out());
  }

  @Test
  void theFourRequiredAlertsExistAndUseOnlyExportedMetrics() throws Exception {
    JsonNode rule = Serialization.yamlMapper().readTree(RULE.toFile());
    Set<String> alerts = new TreeSet<>();
    Set<String> exported = Tools.exportedMetricNames();
    for (JsonNode g : rule.get("spec").get("groups")) {
      for (JsonNode r : g.get("rules")) {
        alerts.add(r.get("alert").asText());
        Set<String> used = Tools.metricNamesIn(r.get("expr").asText());
        assertTrue(!used.isEmpty(), r.get("alert").asText());
        for (String m : used) assertTrue(exported.contains(m), r.get("alert").asText() + ": " + m + " not in " + exported);
        assertTrue(r.get("annotations").get("description").asText().contains("docs/operations.md#"),
            r.get("alert").asText() + " links its runbook");
      }
    }
    assertTrue(alerts.containsAll(Set.of("EdgeNodeLost", "EdgeSiteUnreachable", "EdgeReleaseHalted", "EdgeReleaseStuck",
        "HeartbeatIngestDegraded")),
        alerts.toString());
  }

  @Test
  void alertsFireOnTheSeriesTheOperatorWrites(@TempDir Path dir) throws Exception {
    rulesFile(dir);
    Files.writeString(dir.resolve("tests.yml"), """
        rule_files: [edgewave-rules.yml]
        evaluation_interval: 1m
        tests:
        - interval: 1m
          input_series:
          # the leader exports the lost node; the standby replica does not
          - series: 'edgewave_node_lost{instance="a", node="gpu-hangzhou-01-001"}'
            values: '_ 1 1 1'
          - series: 'edgewave_heartbeat_ingest_degraded{instance="a"}'
            values: '0 1 1 1 1 1'
          - series: 'edgewave_site_unreachable{instance="a", site="hangzhou-01"}'
            values: '_ 3 3 _'
          - series: 'edgewave_heartbeat_ingest_degraded{instance="b"}'
            values: '0 0 0 0 0 0'
          - series: 'edgewave_release_phase{instance="a", namespace="logistics", release="camera-inference", phase="Halted"}'
            values: '0 1 1'
          - series: 'edgewave_release_phase{instance="a", namespace="logistics", release="scan-upload", phase="Progressing"}'
            values: '1x120'
          - series: 'edgewave_release_wave_nodes{instance="a", namespace="logistics", release="scan-upload", wave="rest", state="ready"}'
            values: '0 1 2 3 4 5 5x114'
          alert_rule_test:
          - eval_time: 2m
            alertname: EdgeNodeLost
            exp_alerts:
            - exp_labels: {severity: warning, node: gpu-hangzhou-01-001}
              exp_annotations:
                summary: "Edge node gpu-hangzhou-01-001 is lost: no heartbeat from its edge probe"
                description: "The edge probe on gpu-hangzhou-01-001 went silent without saying goodbye (power, network or crash). Rollouts route around it. Runbook: docs/operations.md#edgenodelost"
          - eval_time: 2m
            alertname: EdgeSiteUnreachable
            exp_alerts:
            - exp_labels: {severity: warning, site: hangzhou-01}
              exp_annotations:
                summary: "Site hangzhou-01 is unreachable: 3 of its nodes went silent together"
                description: "Most edge nodes of hangzhou-01 stopped sending heartbeats within one detection timeout: the site's uplink or power, not the boxes. Rollouts treat its nodes as offline, not failed. Runbook: docs/operations.md#edgesiteunreachable"
          - eval_time: 8m
            alertname: EdgeSiteUnreachable
            exp_alerts: []
          - eval_time: 2m
            alertname: HeartbeatIngestDegraded
            exp_alerts: []
          - eval_time: 4m
            alertname: HeartbeatIngestDegraded
            exp_alerts:
            - exp_labels: {severity: critical}
              exp_annotations:
                summary: "edgewave cannot trust heartbeats: broker connection down or most of the fleet silent at once"
                description: "No node is declared lost while this lasts, so lost boxes go unnoticed. Runbook: docs/operations.md#heartbeatingestdegraded"
          - eval_time: 2m
            alertname: EdgeReleaseHalted
            exp_alerts:
            - exp_labels: {severity: critical, namespace: logistics, release: camera-inference, phase: Halted}
              exp_annotations:
                summary: "EdgeRelease logistics/camera-inference is Halted"
                description: "Too many nodes failed a wave, or someone aborted it. kubectl edgewave status camera-inference -n logistics shows which. Runbook: docs/operations.md#edgereleasehalted"
          - eval_time: 30m
            alertname: EdgeReleaseStuck
            exp_alerts: []
          - eval_time: 100m
            alertname: EdgeReleaseStuck
            exp_alerts:
            - exp_labels: {severity: warning, namespace: logistics, release: scan-upload}
              exp_annotations:
                summary: "EdgeRelease logistics/scan-upload made no progress for an hour"
                description: "Progressing, but no node became ready in the last hour. Runbook: docs/operations.md#edgereleasestuck"
        """);
    var r = Tools.run("promtool", "test", "rules", dir.resolve("tests.yml").toString());
    assertEquals(0, r.code(), r.out() + r.err());
  }
}
