package io.edgewave.operator.kube;

import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.NodeAction;
import io.edgewave.operator.rollout.OperatorHarness;
import io.edgewave.operator.rollout.VersionCheckingApi;
import io.edgewave.operator.rollout.WaveRoster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgewave.operator.api.CrdYaml;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deposed leader still holds what it read before it lost the Lease (the status write is the reconciler's own call:
 * an update of the status subresource carrying the resourceVersion it read; {@link VersionCheckingApi} checks it
 * there as a real API server does). Every write it could make carries that
 * resourceVersion, so once the new leader has written, its late writes are refused, not applied: status, a node's
 * Deployment, the wave roster.
 */
class FencedWritesIT {
  EmbeddedApiServer api;
  EdgeRelease er;

  @BeforeEach
  void start() throws Exception {
    api = new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)), new VersionCheckingApi());
    EdgeRelease fresh = new EdgeRelease();
    fresh.getMetadata().setName("scan");
    fresh.getMetadata().setNamespace("logistics");
    fresh.setSpec(OperatorHarness.spec("""
        workload: {template: {spec: {containers: [{name: app, image: "reg/scan:1"}]}}}
        targets: {selector: {matchLabels: {edgewave.io/class: transit-center}}}
        strategy: {waves: [{name: all}]}
        """));
    er = api.client().resources(EdgeRelease.class).inNamespace("logistics").resource(fresh).create();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aDeposedLeadersLateStatusWriteIsRefused() {
    EdgeRelease stale = Serialization.clone(er);
    EdgeRelease newer = Serialization.clone(er);
    newer.setStatus(status(Phase.Halted));
    api.client().resources(EdgeRelease.class).inNamespace("logistics").resource(newer).updateStatus();
    stale.setStatus(status(Phase.Succeeded));
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> api.client().resources(EdgeRelease.class).inNamespace("logistics").resource(stale).updateStatus());
    assertEquals(409, e.getCode());
    assertEquals(Phase.Halted, api.client().resources(EdgeRelease.class).inNamespace("logistics").withName("scan").get()
        .getStatus().getPhase());
  }

  @Test
  void aDeposedLeadersLateDeploymentWriteIsRefused() {
    var client = api.client();
    var history = new RevisionHistory(client);
    NodeWriter leader = new NodeWriter(client, history, new FleetSources());
    Deployment created = client.apps().deployments().inNamespace("logistics").resource(NodeDeployments.desired(er, "tc-1",
        "r1", er.getSpec().getWorkload().getTemplate(), null, "all", Instant.now())).create();
    Deployment seenByOld = Serialization.clone(created);
    // the new leader moves the node ...
    assertEquals(0, leader.apply(er, "r2", "r2.1", er.getSpec().getWorkload().getTemplate(),
        List.of(new NodeAction.Dispatch("tc-1", "r1", "all")), Map.of("tc-1", created), Instant.now()).conflicts());
    // ... and the old one, from what it read before, tries to as well: a conflict, not a second move
    NodeWriter.Outcome late = leader.apply(er, "r3", "r3.1", er.getSpec().getWorkload().getTemplate(),
        List.of(new NodeAction.Dispatch("tc-1", "r1", "all")), Map.of("tc-1", seenByOld), Instant.now());
    assertEquals(1, late.conflicts());
    assertEquals("r2", client.apps().deployments().inNamespace("logistics").withName(created.getMetadata().getName())
        .get().getMetadata().getLabels().get(Labels.REVISION));
  }

  @Test
  void aDeposedLeadersLateRosterWriteIsRefused() {
    RosterStore newLeader = new RosterStore(api.client());
    RosterStore oldLeader = new RosterStore(api.client());
    oldLeader.read(er); // it read the (absent) roster before it lost the Lease
    newLeader.write(er, new WaveRoster("r1.1", Map.of("all", List.of("tc-1"))));
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> oldLeader.write(er, new WaveRoster("r1.1", Map.of("all", List.of("tc-1", "tc-2")))));
    assertEquals(409, e.getCode());
    assertEquals(List.of("tc-1"), new RosterStore(api.client()).read(er).waves().get("all"));
  }

  static EdgeReleaseStatus status(Phase phase) {
    EdgeReleaseStatus s = new EdgeReleaseStatus();
    s.setPhase(phase);
    return s;
  }
}
