package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.kube.PrePullJobs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Staging through KubeEdge's ImagePrePullJob on the mock API server: the test serves the CRD and plays cloudcore
 * (reports each job's nodes after a while: every image pulled, or one image failed on one node), and the operator
 * must create jobs within the per-site budget, start no node before its images are there, halt a wave whose staging
 * failed before touching it, say which method it used, and leave no job behind.
 */
class ImagePrePullJobIT {
  static final Duration T = Duration.ofSeconds(60);
  static final String NEW_IMAGE = "reg/camera:2";
  OperatorHarness h;
  ScheduledExecutorService cloudcore;

  @AfterEach
  void close() {
    if (cloudcore != null) cloudcore.shutdownNow();
    if (h != null) h.close();
  }

  static String spec(String image, String strategy) {
    return """
        workload:
          template: {spec: {containers: [{name: app, image: "%s"}], imagePullSecrets: [{name: reg-cred}]}}
        targets: {selector: {matchLabels: {edgewave.io/class: transit-center}}}
        strategy:
        %s
        """.formatted(image, strategy.indent(2));
  }

  void serveImagePrePullJobs() {
    h.client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(PrePullJobs.CRD).endMetadata()
        .withNewSpec().withGroup(PrePullJobs.GROUP).withScope("Cluster")
          .withNewNames().withKind("ImagePrePullJob").withListKind("ImagePrePullJobList").withPlural("imageprepulljobs")
            .withSingular("imageprepulljob").endNames()
          .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true).endVersion()
        .endSpec().build()).create();
  }

  List<GenericKubernetesResource> jobs() {
    return h.client.genericKubernetesResources(PrePullJobs.CONTEXT).list().getItems();
  }

  /** What the simulated cloudcore saw. */
  final Map<String, List<String>> jobNodes = new ConcurrentHashMap<>();
  final Map<String, Integer> peakPerSite = new ConcurrentHashMap<>();
  final List<String> startedBeforeStaged = new CopyOnWriteArrayList<>();
  final AtomicInteger reports = new AtomicInteger();

  /**
   * Plays cloudcore: a job's nodes are reported 300 ms after it was first seen, all images successful except
   * {@code failImage} on {@code failNode} (which may be null). Before reporting a node, checks that the operator has
   * not started it; at every round, counts the nodes pulling per site.
   */
  void playCloudcore(String release, String failNode, String failImage) {
    Map<String, String> siteOf = new HashMap<>();
    for (Node n : h.nodes) siteOf.put(n.getMetadata().getName(), n.getMetadata().getLabels().get("edgewave.io/site"));
    Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    Set<String> reported = ConcurrentHashMap.newKeySet();
    cloudcore = Executors.newSingleThreadScheduledExecutor();
    cloudcore.scheduleWithFixedDelay(() -> {
      try {
        Map<String, Integer> pulling = new HashMap<>();
        List<GenericKubernetesResource> all = jobs();
        for (GenericKubernetesResource j : all) {
          String name = j.getMetadata().getName();
          jobNodes.putIfAbsent(name, PrePullJobObserver.nodes(j));
          firstSeen.putIfAbsent(name, System.nanoTime());
          if (!reported.contains(name)) {
            for (String n : PrePullJobObserver.nodes(j)) pulling.merge(siteOf.get(n), 1, Integer::sum);
          }
        }
        pulling.forEach((site, count) -> peakPerSite.merge(site, count, Math::max));
        for (GenericKubernetesResource j : all) {
          String name = j.getMetadata().getName();
          if (reported.contains(name) || System.nanoTime() - firstSeen.get(name) < 300_000_000L) continue;
          List<Map<String, Object>> entries = new ArrayList<>();
          Map<String, String> revisions = h.revisions(release);
          for (String n : PrePullJobObserver.nodes(j)) {
            if (revisions.containsKey(n)) startedBeforeStaged.add(n);
            boolean fail = n.equals(failNode);
            entries.add(Map.of("nodeName", n, "state", fail ? "failed" : "successful", "imageStatus", List.of(
                fail ? Map.of("image", failImage, "state", "failed", "reason", "manifest unknown")
                    : Map.of("image", failImage, "state", "successful"))));
          }
          j.getAdditionalProperties().put("status", Map.of("state", failNode != null && PrePullJobObserver.nodes(j)
              .contains(failNode) ? "failed" : "successful", "status", entries));
          h.client.genericKubernetesResources(PrePullJobs.CONTEXT).resource(j).update();
          reported.add(name);
          reports.incrementAndGet();
        }
      } catch (KubernetesClientException e) {
        // a job deleted under us: the next round sees the rest
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
  }

  @Test
  void jobsStageEveryWaveWithinTheSiteBudgetBeforeAnyNodeStartsAndAreDeletedAtTheEnd() throws Exception {
    h = OperatorHarness.sites(12, 0, 3).startOperator();
    serveImagePrePullJobs();
    playCloudcore("camera", null, NEW_IMAGE);
    h.apply("camera", OperatorHarness.spec(spec(NEW_IMAGE, """
        waves: [{name: canary, size: "2"}, {name: rest}]
        staging: {maxPullsPerSite: 2, timeout: 5m}""")));
    EdgeRelease done = h.awaitPhase("camera", Phase.Succeeded, T);
    assertEquals("ImagePrePullJob", done.getStatus().getStagingMethod());
    assertEquals(12, h.revisions("camera").size());
    assertEquals(List.of(), startedBeforeStaged, "no node starts before its job reported its images");
    assertTrue(jobNodes.size() >= 2, "12 nodes at 2 per site over 3 sites take more than one job: " + jobNodes);
    assertEquals(12, jobNodes.values().stream().flatMap(List::stream).distinct().count(), "every node staged once");
    assertTrue(peakPerSite.values().stream().allMatch(p -> p <= 2), "at most 2 pulling per site: " + peakPerSite);
    assertEquals(Map.of(), h.duplicateDispatches());
    await("jobs deleted").atMost(T).until(() -> jobs().isEmpty());
    assertEquals(0, h.client.pods().inNamespace(OperatorHarness.NS).withLabel(Labels.PREPULL).list().getItems().size(),
        "no pre-pull pod where jobs serve");
  }

  @Test
  void anImageThatCannotBePulledOnOneNodeHaltsItsWaveBeforeAnyNodeOfItStarts() throws Exception {
    h = OperatorHarness.sites(12, 0, 3).startOperator();
    serveImagePrePullJobs();
    String bad = h.nodeNames(OperatorHarness::isCenter).get(0);
    playCloudcore("camera", bad, NEW_IMAGE);
    h.apply("camera", OperatorHarness.spec(spec(NEW_IMAGE, """
        waves: [{name: all, maxFailures: "0"}]
        onFailure: Halt
        staging: {maxPullsPerSite: 2, method: ImagePrePullJob}""")));
    EdgeRelease halted = h.awaitPhase("camera", Phase.Halted, T);
    assertEquals(Map.of(), h.revisions("camera"), "no Deployment of the wave was created");
    assertEquals("ImagePrePullJob", halted.getStatus().getStagingMethod());
    String status = Serialization.asJson(halted.getStatus());
    assertTrue(status.contains("StagingFailed: " + NEW_IMAGE + ": manifest unknown"), status);
    assertTrue(halted.getStatus().getMessage().contains(bad + ": StagingFailed: " + NEW_IMAGE + ": manifest unknown"),
        "the halt message names the image and the error: " + halted.getStatus().getMessage());
    await("jobs deleted once halted").atMost(T).until(() -> jobs().isEmpty());
    h.pokeAndAwaitReconciles("camera");
    assertEquals(Map.of(), h.revisions("camera"));
    // KubeEdge stops serving its jobs (an upgrade): a halted release has nothing left to stage, so it stays halted
    // (and could be rolled back) instead of turning Invalid over its staging method
    h.client.apiextensions().v1().customResourceDefinitions().withName(PrePullJobs.CRD).delete();
    h.clock.advance(java.time.Duration.ofMinutes(2)); // past the detection's cache
    h.pokeAndAwaitReconciles("camera");
    assertEquals(Phase.Halted, h.get("camera").getStatus().getPhase(), h.get("camera").getStatus().getMessage());
  }

  @Test
  void withoutTheCrdAutoStagesWithPodsAndAnExplicitJobIsAHoldNamingTheField() throws Exception {
    h = OperatorHarness.sites(6, 0, 3).startOperator();
    h.apply("auto", OperatorHarness.spec(spec(NEW_IMAGE, """
        staging: {maxPullsPerSite: 1}""")));
    h.awaitRelease("auto", er -> "Pod".equals(er.getStatus().getStagingMethod()), T, "staging method Pod");
    await("pre-pull pods").atMost(T).until(() -> !h.client.pods().inNamespace(OperatorHarness.NS)
        .withLabel(Labels.PREPULL).list().getItems().isEmpty());
    h.apply("job", OperatorHarness.spec(spec(NEW_IMAGE, """
        staging: {method: ImagePrePullJob}""")));
    EdgeRelease held = h.awaitPhase("job", Phase.Invalid, T);
    assertTrue(held.getStatus().getMessage().contains("spec.strategy.staging.method is ImagePrePullJob but this cluster "
        + "does not serve imageprepulljobs.operations.kubeedge.io/v1alpha1"), held.getStatus().getMessage());
    assertFalse(h.revisions("job").size() > 0, "nothing moves");
  }

  @Test
  void aDeletedReleaseTakesItsJobsWithIt() throws Exception {
    h = OperatorHarness.sites(6, 0, 3).startOperator();
    serveImagePrePullJobs();
    // no cloudcore: the jobs stay pulling
    h.apply("camera", OperatorHarness.spec(spec(NEW_IMAGE, """
        staging: {maxPullsPerSite: 1}""")));
    await("jobs created").atMost(T).until(() -> !jobs().isEmpty());
    h.client.resources(EdgeRelease.class).inNamespace(OperatorHarness.NS).withName("camera").delete();
    await("jobs deleted with the release").atMost(T).until(() -> jobs().isEmpty());
  }

  @Test
  void switchingStagingOffDeletesTheJobsTheReleaseMade() throws Exception {
    h = OperatorHarness.sites(6, 0, 3).startOperator();
    serveImagePrePullJobs();
    // no cloudcore: the jobs stay pulling
    h.apply("camera", OperatorHarness.spec(spec(NEW_IMAGE, """
        staging: {maxPullsPerSite: 1}""")));
    await("jobs created").atMost(T).until(() -> !jobs().isEmpty());
    h.edit("camera", er -> {
      er.getSpec().getStrategy().setStaging(null);
      return er;
    });
    await("jobs deleted once staging is off").atMost(T).until(() -> jobs().isEmpty());
    h.awaitPhase("camera", Phase.Succeeded, T);
    assertEquals(null, h.get("camera").getStatus().getStagingMethod());
  }
}
