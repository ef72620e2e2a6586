package io.edgewave.operator.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.rollout.Labels;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated kubelet's image model against the embedded API server, as the operator will drive it. */
class SimulatedKubeletImagesIT {
  static final String NS = "logistics";
  static final String OLD = "registry.example.com/logistics/scan-upload:2.4.1";
  static final String NEW = "registry.example.com/logistics/scan-upload:3.0.0";
  /** 500 MB over 10 Mbit/s: 400 simulated seconds, 0.4 real seconds at scale 1,000. */
  static final long SIZE = 500_000_000;
  static final double SCALE = 1000;

  EmbeddedApiServer api;
  KubernetesClient client;
  SimulatedKubelet kubelet;
  // two sites of two nodes
  final List<String> nodes = List.of("tc-hangzhou-01-001", "tc-shanghai-01-001", "tc-hangzhou-01-002", "tc-shanghai-01-002");

  @BeforeEach
  void start() {
    api = new EmbeddedApiServer();
    client = api.client();
    api.createNamespace(NS);
    SimulatedFleet.create(client, SimulatedFleet.withUplink(SimulatedFleet.nodes(4, 0, 2), 10));
    kubelet = new SimulatedKubelet(client, Clock.systemUTC(), 1, 0, 0, 0)
        .withImages(ImageModel.of(SCALE, SIZE, Set.of(OLD), 10)).start();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    api.close();
  }

  @Test
  void aPrePullPodIsPendingWhilePullingThenSucceededWithTheImageOnItsNode() {
    String node = nodes.get(0);
    create(prePull("scan-upload", node, "r2", NEW));
    Pod done = await().atMost(Duration.ofSeconds(20)).until(() -> pod("scan-upload-" + node + "-prepull"),
        p -> p != null && p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase()));
    var c = done.getStatus().getContainerStatuses().get(0);
    assertEquals("pull-0", c.getName());
    assertEquals(0, c.getState().getTerminated().getExitCode());
    assertEquals("Completed", c.getState().getTerminated().getReason());
    assertTrue(c.getImageID().contains("@sha256:"), c.getImageID());
    assertTrue(kubelet.images(node).contains(NEW));
    assertTrue(!kubelet.images(nodes.get(2)).contains(NEW), "only the node that pulled has it");
    assertEquals(Map.of("hangzhou-01", 1), kubelet.peakPullsPerSite());
  }

  @Test
  void aPrePullPodOfAnImageThatCannotBePulledShowsErrImagePullThenImagePullBackOffNamingTheImage() {
    String node = nodes.get(1);
    String bad = "registry.example.com/logistics/scan-upload:3.0.0-" + SimulatedKubelet.BAD_IMAGE_MARK;
    create(prePull("scan-upload", node, "r2", bad));
    String name = "scan-upload-" + node + "-prepull";
    Pod errored = await().atMost(Duration.ofSeconds(20)).until(() -> pod(name), p -> waiting(p) != null);
    // the first report is ErrImagePull (or already the back-off, if the two writes came before the first read)
    assertTrue(Set.of("ErrImagePull", "ImagePullBackOff").contains(waiting(errored).getReason()));
    Pod backOff = await().atMost(Duration.ofSeconds(20)).until(() -> pod(name),
        p -> waiting(p) != null && "ImagePullBackOff".equals(waiting(p).getReason()));
    assertEquals("Pending", backOff.getStatus().getPhase());
    assertTrue(waiting(backOff).getMessage().contains("\"" + bad + "\"") && waiting(backOff).getMessage().contains("not found"),
        waiting(backOff).getMessage());
    assertEquals(Map.of(), kubelet.peakPullsPerSite(), "a pull refused at once takes no bandwidth");
  }

  @Test
  void aNodeToldToFailPullsFailsItsPrePullWithThatError() {
    String node = nodes.get(2);
    kubelet.failPulls(node, "write /var/lib/containerd: no space left on device");
    create(prePull("scan-upload", node, "r2", NEW));
    Pod failed = await().atMost(Duration.ofSeconds(20)).until(() -> pod("scan-upload-" + node + "-prepull"),
        p -> waiting(p) != null);
    assertTrue(waiting(failed).getMessage().contains("no space left on device"), waiting(failed).getMessage());
  }

  @Test
  void aPrePullPodOfANodeThatIsDownWaitsWithoutStatusAndIsServedOnceTheNodeIsBack() {
    String node = nodes.get(3);
    kubelet.setDown(node, true);
    String name = "scan-upload-" + node + "-prepull";
    create(prePull("scan-upload", node, "r2", NEW));
    // another node's pre-pull, created after it, completes: the kubelet has had its chance to serve both
    create(prePull("scan-upload", nodes.get(0), "r2", NEW));
    await().atMost(Duration.ofSeconds(20)).until(() -> pod("scan-upload-" + nodes.get(0) + "-prepull"),
        p -> p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase()));
    Pod parked = pod(name);
    assertTrue(parked.getStatus() == null || parked.getStatus().getPhase() == null, String.valueOf(parked.getStatus()));
    kubelet.setDown(node, false);
    await().atMost(Duration.ofSeconds(20)).until(() -> pod(name),
        p -> p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase()));
  }

  @Test
  void aNodeSwitchedToAnImageItLacksIsDownForThePullAndOneThatHasItOnlyForTheRestart() {
    String pulled = nodes.get(0);
    String cold = nodes.get(1);
    for (String n : List.of(pulled, cold)) create(deployment(n, "r1", OLD, "t1", null));
    await().atMost(Duration.ofSeconds(20)).until(() -> kubelet.readyTimes().keySet(),
        k -> k.containsAll(Set.of(pulled + "@r1", cold + "@r1")));
    assertEquals(List.of(), kubelet.downtimes().samples(), "first pods had nothing to replace");

    create(prePull("scan-upload", pulled, "r2", NEW));
    await().atMost(Duration.ofSeconds(20)).until(() -> kubelet.images(pulled).contains(NEW));
    for (String n : List.of(pulled, cold)) update(deployment(n, "r2", NEW, "t2", "r1"));
    await().atMost(Duration.ofSeconds(20)).until(() -> kubelet.downtimes().of("scan-upload", "r2").size() == 2);

    Map<String, Double> down = new java.util.HashMap<>();
    for (var s : kubelet.downtimes().of("scan-upload", "r2")) down.put(s.node(), s.seconds());
    // alone on its site's 10 Mbit/s, 500 MB take 400 simulated seconds; the pre-pulled node pulls nothing
    assertTrue(down.get(cold) >= 400, down.toString());
    assertTrue(down.get(pulled) < down.get(cold) - 300, down.toString());
    Pod cold2 = pod(deploymentName(cold) + "-r2");
    assertEquals("Running", cold2.getStatus().getPhase());
  }

  @Test
  void twoNodesOfOneSitePullingAtOnceShareItsUplink() {
    String a = nodes.get(0);
    String b = nodes.get(2);
    for (String n : List.of(a, b)) create(deployment(n, "r1", OLD, "t1", null));
    await().atMost(Duration.ofSeconds(20)).until(() -> kubelet.readyTimes().size() == 2);
    for (String n : List.of(a, b)) update(deployment(n, "r2", NEW, "t2", "r1"));
    await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.downtimes().of("scan-upload", "r2").size() == 2);
    assertEquals(Map.of("hangzhou-01", 2), kubelet.peakPullsPerSite());
    // two at once on one 10 Mbit/s uplink: each pull takes 800 simulated seconds, not 400
    for (var s : kubelet.downtimes().of("scan-upload", "r2")) assertTrue(s.seconds() >= 700, s.toString());
  }

  static ContainerStateWaiting waiting(Pod p) {
    if (p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null
        || p.getStatus().getContainerStatuses().isEmpty()) return null;
    return p.getStatus().getContainerStatuses().get(0).getState().getWaiting();
  }

  Pod pod(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  void create(Pod p) { client.pods().inNamespace(NS).resource(p).create(); }

  void create(Deployment d) { client.apps().deployments().inNamespace(NS).resource(d).create(); }

  void update(Deployment d) { client.apps().deployments().inNamespace(NS).resource(d).update(); }

  /** As the operator's contract says it makes them. */
  static Pod prePull(String release, String node, String revision, String image) {
    return new PodBuilder().withNewMetadata().withName(release + "-" + node + "-prepull").withNamespace(NS)
        .addToLabels(Labels.MANAGED_BY, Labels.MANAGER).addToLabels(Labels.RELEASE, release)
        .addToLabels(Labels.NODE, Labels.nodeValue(node)).addToLabels(Labels.REVISION, revision)
        .addToLabels(SimulatedKubelet.PREPULL_LABEL, "true").addToAnnotations(Labels.NODE_NAME, node).endMetadata()
        .withNewSpec().withNodeName(node).withRestartPolicy("Never")
          .addNewContainer().withName("pull-0").withImage(image).withImagePullPolicy("IfNotPresent")
            .withCommand("/bin/true").endContainer()
        .endSpec().build();
  }

  static String deploymentName(String node) {
    return Labels.deploymentName("scan-upload", node);
  }

  static Deployment deployment(String node, String revision, String image, String stamp, String previous) {
    var b = new DeploymentBuilder().withNewMetadata().withName(deploymentName(node)).withNamespace(NS)
        .addToLabels(Labels.MANAGED_BY, Labels.MANAGER).addToLabels(Labels.RELEASE, "scan-upload")
        .addToLabels(Labels.NODE, Labels.nodeValue(node)).addToLabels(Labels.REVISION, revision)
        .addToAnnotations(Labels.NODE_NAME, node).addToAnnotations(Labels.DISPATCHED_AT, stamp);
    if (previous != null) b.addToAnnotations(Labels.PREVIOUS_REVISION, previous);
    return b.endMetadata()
        .withNewSpec().withReplicas(1).withNewStrategy().withType("Recreate").endStrategy()
          .withNewTemplate().withNewMetadata().addToLabels(Labels.MANAGED_BY, Labels.MANAGER)
            .addToLabels(Labels.RELEASE, "scan-upload").addToLabels(Labels.NODE, Labels.nodeValue(node))
            .addToLabels(Labels.REVISION, revision).endMetadata()
          .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
          .endTemplate()
        .endSpec().build();
  }
}
