package io.edgewave.operator.rollout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pre-pull pods on the mock API server, the test playing their kubelet the way kubelets before 1.32 do: a failed pull
 * reports ErrImagePull with the registry's error, then ImagePullBackOff with only "Back-off pulling image". The
 * operator must keep the registry's error on the pod and name it when the node's staging fails.
 */
class PrePullPodIT {
  static final Duration T = Duration.ofSeconds(60);
  static final String IMAGE = "reg/camera:2";
  static final String ERROR = "rpc error: code = Unknown desc = dial tcp 10.1.0.9:443: i/o timeout";
  OperatorHarness h;

  @AfterEach
  void close() {
    if (h != null) h.close();
  }

  static final String HALT_ON_ONE = "waves: [{name: all, maxFailures: \"0\"}]\n  onFailure: Halt";

  /** Three centers on three sites, {@code strategy} (YAML lines under strategy:), until all three pre-pull pods are there. */
  void stage(String strategy) throws Exception {
    h = OperatorHarness.sites(3, 0, 3).startOperator();
    h.apply("camera", OperatorHarness.spec("""
        workload:
          template: {spec: {containers: [{name: app, image: "%s"}]}}
        targets: {selector: {matchLabels: {edgewave.io/class: transit-center}}}
        strategy:
          %s
        """.formatted(IMAGE, strategy)));
    await("three pre-pull pods").atMost(T).until(() -> prePulls().size() == 3);
  }

  List<Pod> prePulls() {
    return h.client.pods().inNamespace(OperatorHarness.NS).withLabel(Labels.PREPULL).list().getItems();
  }

  void report(Pod p, String phase, String reason, String message, boolean pulled) {
    var c = new ContainerStatusBuilder().withName("pull-0").withImage(IMAGE).withReady(false);
    if (pulled) c.withImageID(IMAGE + "@sha256:abc").withNewState().withNewTerminated().withExitCode(0)
        .withReason("Completed").endTerminated().endState();
    else c.withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState();
    h.client.pods().inNamespace(OperatorHarness.NS).withName(p.getMetadata().getName()).edit(pod -> {
      pod.setStatus(new PodStatusBuilder().withPhase(phase).withContainerStatuses(c.build()).build());
      return pod;
    });
  }

  @Test
  void theRegistryErrorOutlivesTheBackOffThatHidesItAndNamesTheFailure() throws Exception {
    stage(HALT_ON_ONE + "\n  staging: {maxPullsPerSite: 1, timeout: 5m}");
    List<Pod> pods = prePulls();
    Pod bad = pods.get(0);
    for (Pod p : pods.subList(1, 3)) report(p, "Succeeded", null, null, true);
    report(bad, "Pending", "ErrImagePull", ERROR, false);
    await("the registry's error recorded on the pod").atMost(T).until(() -> (IMAGE + ": " + ERROR).equals(
        h.client.pods().inNamespace(OperatorHarness.NS).withName(bad.getMetadata().getName()).get().getMetadata()
            .getAnnotations().get(Labels.PULL_ERROR)));
    report(bad, "Pending", "ImagePullBackOff", "Back-off pulling image \"" + IMAGE + "\"", false);
    h.pokeAndAwaitReconciles("camera");
    assertEquals(Phase.Progressing, h.get("camera").getStatus().getPhase(), "an i/o timeout is retried: "
        + h.get("camera").getStatus().getMessage());
    assertEquals(Map.of(), h.revisions("camera"), "and no node switches before every member is staged");
    String node = bad.getMetadata().getAnnotations().get(Labels.NODE_NAME);
    // the dashboard shows it per node, with the registry's error, from what the reconcile decided (status: counts)
    await("the dashboard's staging summary").atMost(T).untilAsserted(() -> assertEquals(
        "[{\"state\":\"staged\",\"count\":2,\"samples\":[]},{\"state\":\"pulling\",\"count\":1,\"samples\":"
            + "[{\"node\":\"" + node + "\",\"detail\":\"ImagePullBackOff: " + IMAGE + ": " + ERROR + "\"}]}]",
        String.valueOf(stagingOnTheBoard("camera"))));

    h.clock.advance(Duration.ofMinutes(6)); // past spec.strategy.staging.timeout
    h.poke("camera");
    EdgeRelease halted = h.awaitPhase("camera", Phase.Halted, T);
    String failure = node + ": StagingFailed: " + IMAGE + ": " + ERROR + " (still failing after 5m)";
    assertTrue(halted.getStatus().getMessage().contains(failure), "the halt names the image and the registry's error, "
        + "not the back-off: " + halted.getStatus().getMessage());
    h.pokeAndAwaitReconciles("camera");
    assertTrue(h.get("camera").getStatus().getMessage().contains(failure), "and keeps naming them once the failed "
        + "pre-pull pod is cleaned up: " + h.get("camera").getStatus().getMessage());
    assertEquals(Map.of(), h.revisions("camera"), "halted before any running pod was stopped");
    await("a halted release stages nothing more: no staging summary").atMost(T)
        .until(() -> stagingOnTheBoard("camera") == null);
  }

  @Test
  void aNodeThatLeavesTheTargetsMidPullHasItsPrePullPodDeleted() throws Exception {
    stage("staging: {maxPullsPerSite: 1}");
    String leaving = prePulls().get(0).getMetadata().getAnnotations().get(Labels.NODE_NAME);
    h.client.nodes().withName(leaving).edit(n -> {
      n.getMetadata().getLabels().put("edgewave.io/class", "retired");
      return n;
    });
    await("its pre-pull pod deleted").atMost(T).until(() -> prePulls().stream().noneMatch(p ->
        leaving.equals(p.getMetadata().getAnnotations().get(Labels.NODE_NAME))));
    assertEquals(2, prePulls().size(), "the targets' pulls go on");
  }

  @Test
  void aNodeWhosePullsKeepBeingEvictedFailsItsStagingAfterThreeAttempts() throws Exception {
    stage(HALT_ON_ONE + "\n  staging: {maxPullsPerSite: 1}");
    String node = prePulls().get(0).getMetadata().getAnnotations().get(Labels.NODE_NAME);
    for (int attempt = 1; attempt <= 3; attempt++) {
      int a = attempt;
      Pod p = await("attempt " + a).atMost(T).until(() -> prePulls().stream().filter(x -> node.equals(
          x.getMetadata().getAnnotations().get(Labels.NODE_NAME)) && String.valueOf(a).equals(
          x.getMetadata().getAnnotations().get(Labels.STAGE_ATTEMPT))).findFirst().orElse(null), x -> x != null);
      h.client.pods().inNamespace(OperatorHarness.NS).withName(p.getMetadata().getName()).edit(pod -> {
        pod.setStatus(new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
            .withMessage("The node was low on resource: ephemeral-storage.").build());
        return pod;
      });
    }
    EdgeRelease halted = h.awaitPhase("camera", Phase.Halted, T);
    assertTrue(halted.getStatus().getMessage().contains(node + ": StagingFailed: pre-pull pod Evicted: The node was low "
        + "on resource: ephemeral-storage. (attempt 3 of 3)"), halted.getStatus().getMessage());
    assertEquals(Map.of(), h.revisions("camera"), "halted before any running pod was stopped");
  }

  @Test
  void anOperatorRestartMidStagingKeepsEveryPullItsAttemptAndItsErrorAndSwitchesEachNodeOnce() throws Exception {
    stage("staging: {maxPullsPerSite: 1, timeout: 10m}");
    List<Pod> pods = prePulls();
    String staged = node(pods.get(0));
    String failing = node(pods.get(1));
    String evicted = node(pods.get(2));
    report(pods.get(0), "Succeeded", null, null, true);
    report(pods.get(1), "Pending", "ErrImagePull", ERROR, false);
    h.client.pods().inNamespace(OperatorHarness.NS).withName(pods.get(2).getMetadata().getName()).edit(pod -> {
      pod.setStatus(new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
          .withMessage("The node was low on resource: ephemeral-storage.").build());
      return pod;
    });
    await("the evicted pull's second attempt and the registry's error recorded").atMost(T).until(() ->
        "2".equals(attempt(evicted)) && (IMAGE + ": " + ERROR).equals(prePull(failing).getMetadata().getAnnotations()
            .get(Labels.PULL_ERROR)));
    Map<String, String> before = uids();

    // the operator is away for four minutes, its memory with it; the pulls go on without it
    h.stopOperator();
    h.clock.advance(Duration.ofMinutes(4));
    h.startOperator();
    h.pokeAndAwaitReconciles("camera");
    assertEquals(before, uids(), "no pull started again, none lost");
    assertEquals("2", attempt(evicted), "the attempt count is on the pod, not in memory");
    assertEquals(IMAGE + ": " + ERROR, prePull(failing).getMetadata().getAnnotations().get(Labels.PULL_ERROR));
    EdgeRelease resumed = h.get("camera");
    assertEquals(Phase.Progressing, resumed.getStatus().getPhase(), resumed.getStatus().getMessage());
    assertEquals(Map.of(), h.revisions("camera"), "no node switches before every member is staged");
    // the kubelet now hides the error behind a bare back-off: the restarted operator still names it, from the pod
    report(prePull(failing), "Pending", "ImagePullBackOff", "Back-off pulling image \"" + IMAGE + "\"", false);
    String sample = "{\"node\":\"" + failing + "\",\"detail\":\"ImagePullBackOff: " + IMAGE + ": " + ERROR + "\"}";
    await("the registry's error on the dashboard after the restart").atMost(T)
        .until(() -> String.valueOf(stagingOnTheBoard("camera")).contains(sample));

    report(prePull(failing), "Succeeded", null, null, true);
    report(prePull(evicted), "Succeeded", null, null, true);
    EdgeRelease done = h.awaitPhase("camera", Phase.Succeeded, T);
    assertEquals(3, done.getStatus().getTotals().getReady());
    assertEquals(3, h.revisions("camera").size(), "each of " + List.of(staged, failing, evicted) + " switched");
    assertEquals(Map.of(), h.duplicateDispatches(), "and none twice");
  }

  @Test
  void aSpecEditMidStagingDropsTheOldPullsAndStagesTheNewRevisionBeforeAnyNodeSwitches() throws Exception {
    stage("staging: {maxPullsPerSite: 1}");
    String first = h.get("camera").getStatus().getRevision();
    // one pull failing and retried, the others still running: nothing of the old revision is staged, so none switches
    report(prePulls().get(0), "Pending", "ErrImagePull", ERROR, false);
    h.edit("camera", er -> {
      er.getSpec().getWorkload().getTemplate().getSpec().getContainers().get(0).setImage("reg/camera:3");
      return er;
    });
    await("three pre-pull pods of the new revision, none of the old").atMost(T).until(() -> {
      List<Pod> pods = prePulls();
      return pods.size() == 3 && pods.stream().noneMatch(p -> first.equals(p.getMetadata().getLabels().get(Labels.REVISION)))
          && pods.stream().allMatch(p -> "reg/camera:3".equals(p.getSpec().getContainers().get(0).getImage()));
    });
    String second = h.get("camera").getStatus().getRevision();
    assertTrue(!first.equals(second), "a new revision: " + second);
    h.pokeAndAwaitReconciles("camera");
    assertEquals(Map.of(), h.revisions("camera"), "no node switched: not to the old revision, nor unstaged to the new");
    for (Pod p : prePulls()) report(p, "Succeeded", null, null, true);
    EdgeRelease done = h.awaitPhase("camera", Phase.Succeeded, T);
    assertEquals(second, done.getStatus().getRevision());
    assertEquals(3, h.revisions("camera").values().stream().filter(second::equals).count(), "every node on the new one");
    assertEquals(Map.of(), h.duplicateDispatches());
    assertTrue(h.kubelet.dispatches().stream().noneMatch(d -> first.equals(d.revision())), "none ever on the old one");
  }

  static String node(Pod p) {
    return p.getMetadata().getAnnotations().get(Labels.NODE_NAME);
  }

  /** The node's latest pre-pull pod: a thrown-out one stays until the attempt replacing it is there. */
  Pod prePull(String node) {
    return prePulls().stream().filter(p -> node.equals(node(p)))
        .max(java.util.Comparator.comparingInt(p -> Integer.parseInt(attemptOf(p))))
        .orElseThrow(() -> new AssertionError("no pre-pull pod for " + node + ": " + prePulls()));
  }

  static String attemptOf(Pod p) {
    return p.getMetadata().getAnnotations().getOrDefault(Labels.STAGE_ATTEMPT, "1");
  }

  String attempt(String node) {
    return attemptOf(prePull(node));
  }

  /** Node to the uid of its latest pre-pull pod. */
  Map<String, String> uids() {
    Map<String, String> out = new java.util.TreeMap<>();
    for (Pod p : prePulls()) out.put(node(p), prePull(node(p)).getMetadata().getUid());
    return out;
  }

  /** The release card's staging states, as the operator's own dashboard serves them; null when it has none. */
  com.fasterxml.jackson.databind.JsonNode stagingOnTheBoard(String release) throws Exception {
    var body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + h.operator.port() + "/api/board")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    for (var card : new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("releases")) {
      if (release.equals(card.get("name").asText())) return card.path("staging").get("states");
    }
    throw new AssertionError("no card for " + release + ": " + body);
  }
}
