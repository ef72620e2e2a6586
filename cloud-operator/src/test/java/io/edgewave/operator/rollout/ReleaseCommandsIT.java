package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.cli.PlanCommand;
import io.edgewave.operator.cli.ReleaseCommands;
import io.edgewave.operator.demo.SimulatedFleet;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's release commands against the mock API server with the real operator acting on what they write. */
class ReleaseCommandsIT {
  static final Duration T = Duration.ofSeconds(60);
  static final String SPEC = """
      workload:
        template:
          metadata: {labels: {app: scan-upload}}
          spec: {containers: [{name: app, image: "reg/scan-upload:%s"}]}
      targets:
        selector: {matchLabels: {edgewave.io/class: transit-center}}
      strategy:
        waves:
        - {name: canary, size: "2", bakeTime: %s}
        - {name: broad, approval: %s}
        onFailure: Halt
      """;
  OperatorHarness h;

  record Run(int code, String out, String err) {}

  Run cli(String... args) throws Exception {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = new ReleaseCommands(h.client, h.clock, new PrintStream(out, true), new PrintStream(err, true))
        .run(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
    return new Run(code, out.toString(), err.toString());
  }

  @AfterEach
  void close() {
    if (h != null) h.close();
  }

  @Test
  void approveLetsTheWaitingWaveGoAndStatusShowsEachStep() throws Exception {
    h = new OperatorHarness(12, 0).startOperator();
    h.apply("scan-upload", OperatorHarness.spec(SPEC.formatted("1.0", "0s", "true")));
    h.awaitPhase("scan-upload", Phase.AwaitingApproval, T);
    Run detail = cli("status", "scan-upload", "-n", "logistics");
    assertEquals(0, detail.code(), detail.err());
    assertTrue(detail.out().contains("Phase:      AwaitingApproval"), detail.out());
    assertTrue(detail.out().matches("(?s).*broad .*needs approval.*"), detail.out());
    var missing = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> cli("approve", "nope", "-n", "logistics"));
    assertTrue(missing.getMessage().contains("no EdgeRelease \"nope\" in namespace logistics"), missing.getMessage());
    Run json = cli("status", "scan-upload", "-n", "logistics", "-o", "json");
    assertEquals(0, json.code(), json.err());
    var doc = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().readTree(json.out());
    assertEquals("AwaitingApproval", doc.get("status").get("phase").asText(), json.out());
    assertEquals("scan-upload", doc.get("name").asText());
    Run yaml = cli("status", "-n", "logistics", "-o", "yaml");
    assertEquals(0, yaml.code(), yaml.err());
    var list = io.fabric8.kubernetes.client.utils.Serialization.yamlMapper().readTree(yaml.out());
    assertTrue(list.isArray() && list.size() == 1, yaml.out());
    assertEquals("AwaitingApproval", list.get(0).get("status").get("phase").asText(), yaml.out());
    Run help = cli("status", "--help");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().startsWith("Usage: edgewave status"), help.out());
    Run approve = cli("approve", "scan-upload", "-n", "logistics");
    assertEquals(0, approve.code(), approve.err());
    Run watch = cli("status", "scan-upload", "-n", "logistics", "--watch", "--interval", "200ms", "--timeout", "60s");
    assertEquals(0, watch.code(), watch.out() + watch.err());
    assertTrue(watch.out().contains("Phase:      Succeeded"), watch.out());
    Run table = cli("status", "-n", "logistics");
    assertTrue(table.out().matches("(?s).*scan-upload\\s+Succeeded\\s+2/2 broad\\s+\\[#+\\]\\s+12/12.*"), table.out());
  }

  @Test
  void pauseStopsNewWavesAndResumeGoesOn() throws Exception {
    h = new OperatorHarness(12, 0).startOperator();
    h.apply("scan-upload", OperatorHarness.spec(SPEC.formatted("1.0", "2s", "false")));
    h.awaitPhase("scan-upload", Phase.Baking, T);
    assertEquals(0, cli("pause", "scan-upload", "-n", "logistics").code());
    h.awaitPhase("scan-upload", Phase.Paused, T);
    h.clock.advance(Duration.ofMinutes(5));
    h.pokeAndAwaitReconciles("scan-upload"); // reconciled twice with the bake long over, not just a pause in time
    assertEquals(Phase.Paused, h.get("scan-upload").getStatus().getPhase());
    assertEquals(2, h.revisions("scan-upload").size(), "no node of the next wave started while paused");
    assertEquals(0, cli("resume", "scan-upload", "-n", "logistics").code());
    h.awaitPhase("scan-upload", Phase.Succeeded, T);
    assertEquals(12, h.revisions("scan-upload").size());
  }

  @Test
  void abortHaltsTheRolloutAndAbortRollbackReturnsUpdatedNodes() throws Exception {
    h = new OperatorHarness(12, 0).startOperator();
    h.apply("scan-upload", OperatorHarness.spec(SPEC.formatted("1.0", "0s", "false")));
    String r1 = h.awaitPhase("scan-upload", Phase.Succeeded, T).getStatus().getRevision();
    h.edit("scan-upload", er -> {
      er.setSpec(OperatorHarness.spec(SPEC.formatted("2.0", "1h", "false")));
      return er;
    });
    String r2 = h.awaitPhase("scan-upload", Phase.Baking, T).getStatus().getRevision();
    Run abort = cli("abort", "scan-upload", "-n", "logistics");
    assertEquals(0, abort.code(), abort.err());
    EdgeRelease halted = h.awaitPhase("scan-upload", Phase.Halted, T);
    assertTrue(halted.getStatus().getMessage().contains("aborted"), halted.getStatus().getMessage());
    assertEquals(2, h.revisions("scan-upload").values().stream().filter(r2::equals).count());
    assertEquals(0, cli("abort", "scan-upload", "-n", "logistics", "--rollback").code());
    h.awaitPhase("scan-upload", Phase.RolledBack, T);
    assertEquals(Set.of(r1), Set.copyOf(h.revisions("scan-upload").values()));
    // the canary nodes go to r1 a second time by the rollback; nothing went to r2 twice
    assertTrue(h.duplicateDispatches().keySet().stream().noneMatch(k -> k.endsWith("@" + r2)), h.duplicateDispatches().toString());
  }

  @Test
  void undoRollsThePreviousTemplateOutAgainInWaves() throws Exception {
    h = new OperatorHarness(12, 0).startOperator();
    h.apply("scan-upload", OperatorHarness.spec(SPEC.formatted("1.0", "0s", "false")));
    String r1 = h.awaitPhase("scan-upload", Phase.Succeeded, T).getStatus().getRevision();
    h.edit("scan-upload", er -> {
      er.setSpec(OperatorHarness.spec(SPEC.formatted("2.0", "0s", "false")));
      return er;
    });
    h.awaitRelease("scan-upload", er -> er.getStatus().getPhase() == Phase.Succeeded && !r1.equals(er.getStatus().getRevision()),
        T, "revision 2 rolled out");
    Run undo = cli("undo", "scan-upload", "-n", "logistics");
    assertEquals(0, undo.code(), undo.err());
    EdgeRelease back = h.awaitRelease("scan-upload", er -> er.getStatus().getPhase() == Phase.Succeeded
        && r1.equals(er.getStatus().getRevision()), T, "revision 1 rolled out again");
    assertEquals("reg/scan-upload:1.0", back.getSpec().getWorkload().getTemplate().getSpec().getContainers().get(0).getImage());
    assertEquals(Set.of(r1), Set.copyOf(h.revisions("scan-upload").values()));
    var gone = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> cli("undo", "scan-upload", "-n", "logistics", "--to-revision", "0000000000"));
    assertTrue(gone.getMessage().contains("no longer in its history"), gone.getMessage());
  }

  @Test
  void planAgainstTheClusterSaysWhichTargetsAreOfflineNow(@TempDir Path dir) throws Exception {
    h = new OperatorHarness(12, 0);
    String down = h.nodeNames(OperatorHarness::isCenter).get(3);
    SimulatedFleet.setReady(h.client, down, false);
    Path plan = dir.resolve("plan.yaml");
    Files.writeString(plan, "apiVersion: edgewave.io/v1alpha1\nkind: EdgeRelease\nmetadata: {name: scan-upload, namespace: logistics}\n"
        + "spec:\n" + SPEC.formatted("1.0", "0s", "false").lines().map(l -> "  " + l).collect(Collectors.joining("\n")));
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = PlanCommand.run(new String[] {"-f", plan.toString()}, h.clock, new PrintStream(out, true),
        new PrintStream(err, true), () -> new KubernetesClientBuilder().withConfig(h.client.getConfiguration()).build());
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("offline now (1): " + down), out.toString());
    assertTrue(out.toString().startsWith("logistics/scan-upload: 12 targets in 2 waves"), out.toString());
  }
}
