package io.edgewave.operator.rollout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.CrdYaml;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.demo.AuditedApi;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two replicas share one Lease, each with its own client and bearer token, so the API server can tell their writes
 * apart. The leader is stopped mid-rollout; the other takes over and finishes. Checked: every node moved once, and
 * no rollout write succeeded from a replica that did not hold the Lease at that moment.
 */
class LeaderElectionIT {
  static final Map<String, String> FAST_LEASE = Map.of("leader-election", "true", "lease-namespace", "edgewave-system",
      "lease-duration", "3s", "renew-deadline", "2s", "retry-period", "500ms");

  @Test
  void onlyTheLeaseHolderWritesAndTheRolloutCompletesOnceAcrossATakeover() throws Exception {
    AuditedApi audit = new AuditedApi();
    var api = new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)), audit);
    try (OperatorHarness h = OperatorHarness.on(api, 30, 0)) {
      Map<String, Assembly> replicas = new HashMap<>();
      List<KubernetesClient> clients = new ArrayList<>();
      try {
        startReplicas(h, replicas, clients);
        await().atMost(Duration.ofSeconds(30)).until(() -> audit.holderAt(java.time.Instant.now()) != null);
        h.apply("scan-upload", OperatorHarness.spec(EdgeReleaseRolloutIT.THREE_WAVES.formatted("2.4.1", "0", "Halt")));
        // mid-rollout: some nodes dispatched, not all
        await().atMost(Duration.ofSeconds(60)).until(() -> !h.kubelet.dispatches().isEmpty()); // the canary: the bake is still ahead
        String first = audit.holderAt(java.time.Instant.now());
        replicas.remove(first).close();
        h.awaitPhase("scan-upload", Phase.Succeeded, Duration.ofSeconds(120));

        List<String> holders = audit.holders();
        assertTrue(holders.size() >= 2 && holders.get(0).equals(first) && !holders.get(holders.size() - 1).equals(first),
            "the Lease passed from " + first + " to the other replica: " + holders);
        // the audit sees both replicas' rollout writes, so an empty list below is evidence, not a blind spot
        var rolloutWriters = audit.writes().stream().filter(w -> w.ofRollout() && w.code() < 300)
            .map(AuditedApi.Write::who).filter(w -> w.startsWith("replica-")).distinct().sorted().toList();
        assertEquals(List.of("replica-a", "replica-b"), rolloutWriters, "both leaders wrote, each in its term");
        assertEquals(List.of(), audit.byNonHolders("replica-"), "writes by a replica not holding the Lease");
        assertEquals(Map.of(), h.duplicateDispatches());
        assertEquals(30, h.kubelet.dispatches().size());
        assertFalse(replicas.isEmpty());
      } finally {
        replicas.values().forEach(Assembly::close);
        clients.forEach(KubernetesClient::close);
      }
    }
  }

  @Test
  void aNewLeaderMidStagingPullsNothingAgainAndSwitchesEachNodeOnce() throws Exception {
    AuditedApi audit = new AuditedApi();
    var api = new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)), audit);
    try (OperatorHarness h = OperatorHarness.on(api, 6, 0)) {
      Map<String, Assembly> replicas = new HashMap<>();
      List<KubernetesClient> clients = new ArrayList<>();
      try {
        startReplicas(h, replicas, clients);
        await().atMost(Duration.ofSeconds(30)).until(() -> audit.holderAt(java.time.Instant.now()) != null);
        h.apply("camera", OperatorHarness.spec("""
            workload:
              template: {spec: {containers: [{name: app, image: "reg/camera:2"}]}}
            targets: {selector: {matchLabels: {edgewave.io/class: transit-center}}}
            strategy:
              staging: {maxPullsPerSite: 1}
            """));
        await("six pre-pull pods").atMost(Duration.ofSeconds(60)).until(() -> prePulls(h).size() == 6);
        List<Pod> pods = prePulls(h);
        java.util.Set<String> staged = new java.util.HashSet<>();
        for (Pod p : pods.subList(0, 3)) {
          pulled(h, p);
          staged.add(p.getMetadata().getAnnotations().get(Labels.NODE_NAME));
        }
        String evicted = pods.get(3).getMetadata().getAnnotations().get(Labels.NODE_NAME);
        h.client.pods().inNamespace(OperatorHarness.NS).withName(pods.get(3).getMetadata().getName()).edit(pod -> {
          pod.setStatus(new PodStatusBuilder().withPhase("Failed").withReason("Evicted").build());
          return pod;
        });
        await("the evicted node's second attempt").atMost(Duration.ofSeconds(60)).until(() -> prePulls(h).stream()
            .anyMatch(p -> evicted.equals(p.getMetadata().getAnnotations().get(Labels.NODE_NAME))
                && "2".equals(p.getMetadata().getAnnotations().get(Labels.STAGE_ATTEMPT))));

        String first = await().atMost(Duration.ofSeconds(30)).until(() -> audit.holderAt(java.time.Instant.now()),
            java.util.Objects::nonNull);
        replicas.remove(first).close();
        await("the other replica leads").atMost(Duration.ofSeconds(30)).until(() -> {
          String now = audit.holderAt(java.time.Instant.now());
          return now != null && !now.equals(first);
        });
        String second = audit.holderAt(java.time.Instant.now());
        // two reconciles by the new leader after a poke each: it has read the staging state as the first left it
        Assembly leader = replicas.get(second);
        for (int round = 0; round < 2; round++) {
          long n = leader.metrics().reconcileCount();
          h.poke("camera");
          await("a reconcile by the new leader").atMost(Duration.ofSeconds(30)).until(() ->
              leader.metrics().reconcileCount() > n);
        }
        assertTrue(staged.containsAll(h.revisions("camera").keySet()), "only staged nodes switched: "
            + h.revisions("camera").keySet() + " of " + staged);
        // the rest pull to the end (the thrown-out first attempt, if still there, is left as it is)
        for (Pod p : prePulls(h)) {
          String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
          if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) pulled(h, p);
        }
        h.awaitPhase("camera", Phase.Succeeded, Duration.ofSeconds(120));
        long creates = audit.writes().stream().filter(w -> w.who().startsWith("replica-") && w.method().equals("POST")
            && w.path().matches(".*/namespaces/[^/]+/pods(\\?.*)?") && w.code() < 300).count();
        assertEquals(7, creates, "six pulls and one second attempt, across both leaders: none started twice");
        assertEquals(List.of(), audit.byNonHolders("replica-"), "writes by a replica not holding the Lease");
        assertEquals(Map.of(), h.duplicateDispatches());
        assertEquals(6, h.revisions("camera").size());
      } finally {
        replicas.values().forEach(Assembly::close);
        clients.forEach(KubernetesClient::close);
      }
    }
  }

  private static List<Pod> prePulls(OperatorHarness h) {
    return h.client.pods().inNamespace(OperatorHarness.NS).withLabel(Labels.PREPULL).list().getItems();
  }

  /** As the node's kubelet reports a pull done: the pod's one container ran, its image there. */
  private static void pulled(OperatorHarness h, Pod p) {
    var c = new ContainerStatusBuilder().withName("pull-0").withImage("reg/camera:2").withReady(false)
        .withImageID("reg/camera:2@sha256:abc").withNewState().withNewTerminated().withExitCode(0)
        .withReason("Completed").endTerminated().endState().build();
    h.client.pods().inNamespace(OperatorHarness.NS).withName(p.getMetadata().getName()).edit(pod -> {
      pod.setStatus(new PodStatusBuilder().withPhase("Succeeded").withContainerStatuses(c).build());
      return pod;
    });
  }

  /** Two replicas on one Lease, each with its own client and bearer token (its name), so the audit tells them apart. */
  private static void startReplicas(OperatorHarness h, Map<String, Assembly> replicas, List<KubernetesClient> clients) {
    for (String name : List.of("replica-a", "replica-b")) {
      KubernetesClient c = new KubernetesClientBuilder().withConfig(new ConfigBuilder(h.client.getConfiguration())
          .withOauthToken(name).build()).build();
      clients.add(c);
      replicas.put(name, Assembly.start(
          io.edgewave.operator.config.OperatorConfig.parse(withPort0(FAST_LEASE), Map.of("POD_NAME", name)),
          Assembly.Wiring.on(c, h.clock).stayOnLostLease()));
    }
  }

  private static Map<String, String> withPort0(Map<String, String> flags) {
    Map<String, String> all = new HashMap<>(flags);
    all.put("port", "0");
    return all;
  }
}
