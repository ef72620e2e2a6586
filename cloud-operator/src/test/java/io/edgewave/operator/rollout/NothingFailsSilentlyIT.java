package io.edgewave.operator.rollout;

import io.edgewave.operator.kube.EdgeReleaseReconciler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.CrdYaml;
import io.edgewave.operator.api.v1alpha1.Condition;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the API server refuses, or a hand-edited Deployment, shows in status and Events; the rest of the fleet goes on. */
class NothingFailsSilentlyIT {
  static final Duration T = Duration.ofSeconds(60);
  static final String SPEC = """
      workload: {template: {spec: {containers: [{name: app, image: "reg/scan:1"}]}}}
      targets: {selector: {matchLabels: {edgewave.io/class: transit-center}}}
      strategy: {waves: [{name: all, maxFailures: "0"}]}
      """;
  OperatorHarness h;

  @AfterEach
  void close() {
    if (h != null) h.close();
  }

  static EmbeddedApiServer server(KubernetesCrudDispatcher dispatcher) throws Exception {
    return new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)), dispatcher);
  }

  /** Refuses, as a real API server would an invalid object, every Deployment created for one node. */
  static final class RefusingApi extends KubernetesCrudDispatcher {
    volatile String node;

    RefusingApi() {
      super(List.of());
    }

    @Override
    public MockResponse handleCreate(RecordedRequest r) {
      String n = node;
      byte[] bytes = r.getBody() == null ? new byte[0] : r.getBody().getBytes();
      // reading the body consumes it: hand the store a request with a fresh copy
      r = new RecordedRequest(r.getHttpVersion(), r.method(), r.getPath(), r.getHeaders(),
          new io.fabric8.mockwebserver.http.Buffer(bytes));
      String body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      if (n != null && r.getPath().contains("/deployments") && body.contains("\"" + n + "\"")) {
        return new MockResponse().setResponseCode(422).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
            + "\"status\":\"Failure\",\"reason\":\"Invalid\",\"code\":422,\"message\":\"Deployment is invalid: "
            + "spec.template.spec.containers[0].resources.limits: Invalid value\"}");
      }
      return super.handleCreate(r);
    }
  }

  @Test
  void aDeploymentTheApiRefusesShowsInStatusAndAsAnEventAndTheOtherNodesGoOn() throws Exception {
    RefusingApi refusing = new RefusingApi();
    h = OperatorHarness.on(server(refusing), 8, 0);
    String bad = h.nodeNames(OperatorHarness::isCenter).get(2);
    refusing.node = bad;
    h.startOperator();
    h.apply("scan", OperatorHarness.spec(SPEC));
    EdgeRelease er = h.awaitRelease("scan", x -> x.getStatus() != null && x.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals(Condition.WRITE_REJECTED)), T, "the refusal in status");
    Condition c = er.getStatus().getConditions().stream().filter(x -> x.getType().equals(Condition.WRITE_REJECTED))
        .findFirst().orElseThrow();
    assertEquals("True", c.getStatus());
    assertTrue(c.getMessage().contains("node " + bad) && c.getMessage().contains("resources.limits: Invalid value"),
        c.getMessage());
    h.awaitRelease("scan", x -> h.revisions("scan").size() == 7, T, "the other seven nodes updated");
    assertTrue(h.client.v1().events().inNamespace(OperatorHarness.NS).list().getItems().stream()
        .anyMatch(e -> "DeploymentRejected".equals(e.getReason())), "an Event says so");
    refusing.node = null;
    h.poke("scan");
    h.awaitPhase("scan", Phase.Succeeded, T);
  }

  @Test
  void aReleaseNameTooLongForALabelValueIsInvalidNamingTheField() throws Exception {
    h = OperatorHarness.on(server(new KubernetesCrudDispatcher(List.of())), 2, 0).startOperator();
    String name = "scan-upload-for-every-transit-center-of-the-eastern-region-2026-12";
    assertTrue(name.length() > 63);
    EdgeRelease er = h.awaitPhase(h.apply(name, OperatorHarness.spec(SPEC)).getMetadata().getName(), Phase.Invalid, T);
    assertTrue(er.getStatus().getMessage().startsWith("metadata.name:"), er.getStatus().getMessage());
    assertEquals(0, h.client.apps().deployments().inNamespace(OperatorHarness.NS).list().getItems().size());
  }

  @Test
  void aDeploymentWhoseLabelsWereEditedByHandIsReportedAndNotOverwritten() throws Exception {
    h = OperatorHarness.on(server(new KubernetesCrudDispatcher(List.of())), 4, 0).startOperator();
    h.apply("scan", OperatorHarness.spec(SPEC));
    h.awaitPhase("scan", Phase.Succeeded, T);
    Deployment d = h.client.apps().deployments().inNamespace(OperatorHarness.NS).list().getItems().get(0);
    h.client.apps().deployments().inNamespace(OperatorHarness.NS).withName(d.getMetadata().getName()).edit(x -> {
      x.getMetadata().getLabels().remove(Labels.RELEASE);
      return x;
    });
    h.poke("scan");
    EdgeRelease er = h.awaitRelease("scan", x -> x.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals(Condition.WRITE_REJECTED)), T, "the hand edit in status");
    String message = er.getStatus().getConditions().stream().filter(c -> c.getType().equals(Condition.WRITE_REJECTED))
        .findFirst().orElseThrow().getMessage();
    assertTrue(message.contains("edited by hand"), message);
    assertEquals(d.getMetadata().getLabels().get(Labels.REVISION), h.client.apps().deployments()
        .inNamespace(OperatorHarness.NS).withName(d.getMetadata().getName()).get().getMetadata().getLabels()
        .get(Labels.REVISION), "the edited Deployment is left as it is");
  }

  @Test
  void anUnexpectedErrorReachesStatusAsACondition() throws Exception {
    h = OperatorHarness.on(server(new KubernetesCrudDispatcher(List.of())), 1, 0);
    EdgeRelease er = h.apply("scan", OperatorHarness.spec(SPEC));
    var reconciler = new EdgeReleaseReconciler(h.client, h.clock, EdgeReleaseReconciler.Settings.DEFAULTS);
    var control = reconciler.updateErrorStatus(er, null, new IllegalStateException("informer cache not synced"));
    assertTrue(control.getResource().isEmpty(), "written by the hook itself, fenced, not by JOSDK's patch");
    Condition c = h.get("scan").getStatus().getConditions().stream()
        .filter(x -> x.getType().equals(Condition.RECONCILE_ERROR)).findFirst().orElseThrow();
    assertEquals("True", c.getStatus());
    assertEquals("IllegalStateException: informer cache not synced", c.getMessage());
  }
}
