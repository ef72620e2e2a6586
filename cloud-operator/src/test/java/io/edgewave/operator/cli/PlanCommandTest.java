package io.edgewave.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgewave.operator.demo.SimulatedFleet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
  static final Clock NOON_IN_SHANGHAI = Clock.fixed(Instant.parse("2026-12-01T04:00:00Z"), ZoneOffset.UTC);

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PlanCommand.run(args, NOON_IN_SHANGHAI, new PrintStream(out, true), new PrintStream(err, true), () -> {
      throw new IllegalStateException("no cluster in this test");
    });
    return new Run(code, out.toString(), err.toString());
  }

  static Path nodes(Path dir) throws Exception {
    List<Map<String, Object>> list = SimulatedFleet.nodes(100, 30, 25).stream()
        .map(n -> Map.<String, Object>of("name", n.getMetadata().getName(), "labels", n.getMetadata().getLabels())).toList();
    Path f = dir.resolve("nodes.json");
    Files.writeString(f, Serialization.asJson(list));
    return f;
  }

  @Test
  void printsTheWavesAndWhenEachCanStartAsJson(@TempDir Path dir) throws Exception {
    Run r = run("-f", "../rollout-plans/scan-upload.yaml", "--nodes", nodes(dir).toString(), "-o", "json");
    assertEquals(0, r.code(), r.err());
    JsonNode doc = Serialization.unmarshal(r.out(), JsonNode.class);
    assertEquals(100, doc.get("targets").asInt());
    List<Integer> sizes = new java.util.ArrayList<>();
    doc.get("waves").forEach(w -> sizes.add(w.get("nodes").size()));
    assertEquals(List.of(4, 10, 30, 56), sizes);
    assertEquals("canary", doc.get("waves").get(0).get("name").asText());
    // the night window opens at 00:00 in each node's zone (Asia.Shanghai label): 16:00 UTC; the canary bakes 30m
    assertEquals("2026-12-01T16:00:00Z", doc.get("waves").get(0).get("earliestStart").asText());
    assertEquals("2026-12-01T16:30:00Z", doc.get("waves").get(1).get("earliestStart").asText());
  }

  @Test
  void printsTheSameDocumentAsYamlForScripts(@TempDir Path dir) throws Exception {
    Path nodes = nodes(dir);
    Run json = run("-f", "../rollout-plans/scan-upload.yaml", "--nodes", nodes.toString(), "-o", "json");
    Run yaml = run("-f", "../rollout-plans/scan-upload.yaml", "--nodes", nodes.toString(), "-o", "yaml");
    assertEquals(0, yaml.code(), yaml.err());
    assertTrue(yaml.out().startsWith("---"), yaml.out());
    assertEquals(Serialization.unmarshal(json.out(), JsonNode.class),
        Serialization.yamlMapper().readTree(yaml.out()), "the same document");
    Run bad = run("-f", "../rollout-plans/scan-upload.yaml", "-o", "xml");
    assertEquals(2, bad.code());
    assertTrue(bad.err().startsWith("edgewave plan: --output: expected one of [text, json, yaml]"), bad.err());
    Run none = run("--nodes", nodes.toString());
    assertEquals(2, none.code());
    assertEquals("edgewave plan: -f PLAN is required", none.err().strip());
  }

  @Test
  void estimatesWhenEachWaveIsStagedFromTheImageSizeAndTheSitesUplinks(@TempDir Path dir) throws Exception {
    List<Map<String, Object>> list = SimulatedFleet.nodes(100, 0, 25).stream().map(n -> {
      Map<String, String> labels = new java.util.HashMap<>(n.getMetadata().getLabels());
      labels.put("edgewave.io/uplink-mbps", "10");
      return Map.<String, Object>of("name", n.getMetadata().getName(), "labels", labels);
    }).toList();
    Path f = dir.resolve("nodes.json");
    Files.writeString(f, Serialization.asJson(list));
    Run r = run("-f", "../rollout-plans/scan-upload-staged.yaml", "--nodes", f.toString(), "-o", "json");
    assertEquals(0, r.code(), r.err());
    JsonNode waves = Serialization.unmarshal(r.out(), JsonNode.class).get("waves");
    // 500 MiB is 4,194 Mbit: 419 s per node over 10 Mbit/s; 4 nodes per site, so the last wave is staged after
    // each site pulled 4 images: 28 min
    String last = waves.get(waves.size() - 1).get("stagedAfter").asText();
    assertTrue(last.startsWith("27m57s"), last);
    Run text = run("-f", "../rollout-plans/scan-upload-staged.yaml", "--nodes", f.toString());
    assertTrue(text.out().contains("staging: wave canary staged about 14m after the release is applied"), text.out());
    Run unknown = run("-f", "../rollout-plans/scan-upload-staged.yaml", "--nodes", nodes(dir).toString());
    assertTrue(unknown.out().contains("staging: wave canary staged ? (a site of it declares no edgewave.io/uplink-mbps)"),
        unknown.out());
  }

  @Test
  void atPlansFromAnotherMoment(@TempDir Path dir) throws Exception {
    // 2026-12-05 01:00 in Shanghai is inside that night's window: the canary may start at once
    Run r = run("-f", "../rollout-plans/scan-upload.yaml", "--nodes", nodes(dir).toString(), "-o", "json",
        "--at", "2026-12-05T01:00:00+08:00");
    assertEquals(0, r.code(), r.err());
    JsonNode doc = Serialization.unmarshal(r.out(), JsonNode.class);
    assertEquals("2026-12-04T17:00:00Z", doc.get("waves").get(0).get("earliestStart").asText());
    Run bad = run("-f", "../rollout-plans/scan-upload.yaml", "--nodes", nodes(dir).toString(), "--at", "tomorrow");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--at: \"tomorrow\" is not an RFC 3339 time"), bad.err());
  }

  @Test
  void eachWavesEarliestStartIsAlsoGivenInTheLocalTimeOfItsSites(@TempDir Path dir) throws Exception {
    Run r = run("-f", "../rollout-plans/scan-upload.yaml", "--nodes", nodes(dir).toString());
    assertEquals(0, r.code(), r.err());
    // the night window opens at midnight in Shanghai: 16:00 UTC the day before
    assertTrue(r.out().contains("local time: wave canary earliest 2026-12-01 16:00:00 UTC = 2026-12-02 00:00:00"
        + " Asia/Shanghai"), r.out());
  }

  @Test
  void readsKubectlNodeListsAndPrintsATable(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("nodes.yaml");
    Files.writeString(f, Serialization.asYaml(Map.of("apiVersion", "v1", "kind", "List",
        "items", SimulatedFleet.nodes(0, 12, 3))));
    Run r = run("-f", "../rollout-plans/camera-inference.yaml", "--nodes", f.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("logistics/camera-inference: 12 targets in 5 waves"), r.out());
    assertTrue(r.out().contains("offline now: none of the targets"), r.out());
  }

  @Test
  void nodesGivenWithStatusAreCheckedForWhoIsOfflineNow(@TempDir Path dir) throws Exception {
    var nodes = SimulatedFleet.nodes(0, 12, 3);
    nodes.get(4).getStatus().setConditions(List.of(SimulatedFleet.ready(false)));
    nodes.get(7).getSpec().setUnschedulable(true);
    Path f = dir.resolve("nodes.yaml");
    Files.writeString(f, Serialization.asYaml(Map.of("apiVersion", "v1", "kind", "List", "items", nodes)));
    Run r = run("-f", "../rollout-plans/camera-inference.yaml", "--nodes", f.toString(), "-o", "json");
    assertEquals(0, r.code(), r.err());
    List<String> offline = new java.util.ArrayList<>();
    Serialization.unmarshal(r.out(), JsonNode.class).get("waves").forEach(w -> w.get("offline").forEach(n -> offline.add(n.asText())));
    assertEquals(java.util.Set.of(nodes.get(4).getMetadata().getName(), nodes.get(7).getMetadata().getName()),
        java.util.Set.copyOf(offline));
  }

  @Test
  void withoutNodesAndWithoutAClusterItSaysHowToPlanOffline() throws Exception {
    Run r = run("-f", "../rollout-plans/camera-inference.yaml");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("give --nodes FILE"), r.err());
  }

  @Test
  void anInvalidPlanExitsTwoWithTheOperatorsFieldMessages(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(Path.of("../rollout-plans/scan-upload.yaml")).replace("size: \"10%\"", "size: \"10 %\""));
    Run r = run("-f", bad.toString(), "--nodes", nodes(dir).toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("spec.strategy.waves[1].size: \"10 %\" is not a count or a percentage"), r.err());
  }

  @Test
  void warnsWhenAWaveInFrontOfOthersMatchesNoTarget(@TempDir Path dir) throws Exception {
    Path plan = dir.resolve("nowhere.yaml");
    Files.writeString(plan, """
        apiVersion: edgewave.io/v1alpha1
        kind: EdgeRelease
        metadata: {name: scan-upload, namespace: logistics}
        spec:
          workload: {template: {spec: {containers: [{name: app, image: "reg/scan-upload:1"}]}}}
          targets: {selector: {matchLabels: {edgewave.io/class: transit-center}}}
          strategy:
            waves:
            - {name: canary, selector: {matchLabels: {edgewave.io/site: atlantis-01}}}
            - {name: rest}
        """);
    Run r = run("-f", plan.toString(), "--nodes", nodes(dir).toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("warning: wave canary matches no target"), r.out());
    Run json = run("-f", plan.toString(), "--nodes", nodes(dir).toString(), "-o", "json");
    assertEquals(1, Serialization.jsonMapper().readTree(json.out()).get("warnings").size(), json.out());
    Run fine = run("-f", "../rollout-plans/scan-upload.yaml", "--nodes", nodes(dir).toString());
    assertTrue(!fine.out().contains("warning:"), fine.out());
  }
}
