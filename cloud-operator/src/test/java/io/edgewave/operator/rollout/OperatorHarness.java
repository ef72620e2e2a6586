package io.edgewave.operator.rollout;

import io.edgewave.operator.fleet.FleetSink;
import static org.awaitility.Awaitility.await;

import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.edgewave.operator.api.CrdYaml;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseSpec;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.demo.SimulatedKubelet;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A cluster for one test: the mock API server with our CRD, simulated nodes and kubelets, and the operator. */
public final class OperatorHarness implements AutoCloseable {
  static final String NS = "logistics";
  final KubernetesClient client;
  final MutableClock clock = new MutableClock();
  final FleetFacts facts = new FleetFacts();
  final EdgewaveMetrics metrics = new EdgewaveMetrics();
  final SimulatedKubelet kubelet;
  final List<Node> nodes;
  Assembly operator;

  final EmbeddedApiServer api;

  OperatorHarness(int centers, int gpuBoxes) throws Exception {
    this(centers, gpuBoxes, 20, 150);
  }

  /** Its own mock API server (CRUD mode) with the committed CRD, so teardown order is ours. */
  OperatorHarness(int centers, int gpuBoxes, long minPodDelayMs, long maxPodDelayMs) throws Exception {
    this(new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME))), centers, gpuBoxes,
        minPodDelayMs, maxPodDelayMs);
  }

  /** On a mock API server the test made with its own dispatcher; the harness closes it. */
  static OperatorHarness on(EmbeddedApiServer api, int centers, int gpuBoxes) {
    return new OperatorHarness(api, centers, gpuBoxes, 20, 150);
  }

  /** On a server the test made (e.g. one that answers expectations); the test closes it. */
  OperatorHarness(KubernetesClient client, int centers, int gpuBoxes) throws Exception {
    this(null, client, centers, gpuBoxes, 20, 150);
    client.apiextensions().v1().customResourceDefinitions()
        .resource(CrdYaml.load(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)))).create();
  }

  private OperatorHarness(EmbeddedApiServer api, int centers, int gpuBoxes, long minPodDelayMs, long maxPodDelayMs) {
    this(api, api.client(), centers, gpuBoxes, minPodDelayMs, maxPodDelayMs);
  }

  private OperatorHarness(EmbeddedApiServer api, KubernetesClient client, int centers, int gpuBoxes,
      long minPodDelayMs, long maxPodDelayMs) {
    this(api, client, centers, gpuBoxes, minPodDelayMs, maxPodDelayMs, 10);
  }

  /** Nodes spread over {@code sites} sites (the other constructors use 10). */
  static OperatorHarness sites(int centers, int gpuBoxes, int sites) throws Exception {
    return new OperatorHarness(new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME))),
        null, centers, gpuBoxes, 20, 150, sites);
  }

  private OperatorHarness(EmbeddedApiServer api, KubernetesClient client, int centers, int gpuBoxes,
      long minPodDelayMs, long maxPodDelayMs, int sites) {
    this.api = api;
    this.client = client == null ? api.client() : client;
    nodes = SimulatedFleet.nodes(centers, gpuBoxes, sites);
    SimulatedFleet.create(this.client, nodes);
    kubelet = new SimulatedKubelet(this.client, clock, 42, minPodDelayMs, maxPodDelayMs, 0).start();
  }

  /** The product as 'edgewave run' starts it, without leader election or a broker, on this harness's API and clock. */
  OperatorHarness startOperator() {
    return startOperator(Map.of(), Assembly.Wiring.on(client, clock).sharing(metrics, facts));
  }

  /** With heartbeats from a broker, tuned for tests, and a sink of the test's. */
  OperatorHarness startOperator(HeartbeatSubscriber.Settings heartbeats, FleetSink extra) {
    return startOperator(Map.of("mqtt-broker", heartbeats.broker()),
        Assembly.Wiring.on(client, clock).sharing(metrics, facts).heartbeats(heartbeats).alsoTelling(extra));
  }

  OperatorHarness startOperator(Map<String, String> flags, Assembly.Wiring wiring) {
    operator = Assembly.start(config(flags), wiring);
    return this;
  }

  /** The config of a test replica: no leader election, any free port, a 30 s resync; the flags given win. */
  public static OperatorConfig config(Map<String, String> flags) {
    Map<String, String> all = new HashMap<>(Map.of("leader-election", "false", "port", "0", "resync", "30s"));
    all.putAll(flags);
    return OperatorConfig.parse(all, Map.of("POD_NAME", "operator-it"));
  }

  void stopOperator() {
    operator.close();
    operator = null;
  }

  EdgeRelease apply(String name, EdgeReleaseSpec spec) {
    EdgeRelease er = new EdgeRelease();
    er.getMetadata().setName(name);
    er.getMetadata().setNamespace(NS);
    er.setSpec(spec);
    return client.resources(EdgeRelease.class).inNamespace(NS).resource(er).create();
  }

  EdgeRelease get(String name) {
    return client.resources(EdgeRelease.class).inNamespace(NS).withName(name).get();
  }

  /** As kubectl edit would: on a conflict with the operator's own status write, read again and redo the change. */
  void edit(String name, java.util.function.UnaryOperator<EdgeRelease> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(EdgeRelease.class).inNamespace(NS).withName(name).edit(change);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) throw e;
      }
    }
  }

  EdgeRelease awaitPhase(String name, Phase phase, Duration timeout) {
    return awaitRelease(name, er -> er.getStatus() != null && er.getStatus().getPhase() == phase, timeout,
        "phase " + phase);
  }

  EdgeRelease awaitRelease(String name, Predicate<EdgeRelease> p, Duration timeout, String what) {
    await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
      EdgeRelease er = get(name);
      return er != null && p.test(er);
    });
    return get(name);
  }

  /** Node name to the revision its Deployment of this release is on. */
  Map<String, String> revisions(String release) {
    Map<String, String> out = new HashMap<>();
    for (Deployment d : client.apps().deployments().inNamespace(NS).withLabel(Labels.RELEASE, release).list().getItems()) {
      out.put(d.getMetadata().getAnnotations().get(Labels.NODE_NAME), d.getMetadata().getLabels().get(Labels.REVISION));
    }
    return out;
  }

  /** (node, revision) pairs dispatched more than once: must always be empty. */
  Map<String, Long> duplicateDispatches() {
    return kubelet.dispatches().stream()
        .collect(Collectors.groupingBy(d -> d.node() + "@" + d.revision(),
            Collectors.mapping(SimulatedKubelet.Dispatch::dispatchedAt, Collectors.toSet())))
        .entrySet().stream().filter(e -> e.getValue().size() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
  }

  List<String> nodeNames(Predicate<Node> p) {
    return nodes.stream().filter(p).map(n -> n.getMetadata().getName()).toList();
  }

  static boolean inSite(Node n, String site) {
    return site.equals(n.getMetadata().getLabels().get("edgewave.io/site"));
  }

  static boolean isCenter(Node n) {
    return "transit-center".equals(n.getMetadata().getLabels().get("edgewave.io/class"));
  }

  /** Touches an annotation so the operator reconciles now, as any edit would. */
  void poke(String name) {
    edit(name, er -> {
      er.getMetadata().getAnnotations().put("test/poke", String.valueOf(System.nanoTime()));
      return er;
    });
  }

  /**
   * Pokes the release and waits for a reconcile, twice. A reconcile already running at the first poke may end
   * after it without having seen it; the one after it cannot have started before the first poke was in the cache
   * (JOSDK runs one reconcile per release at a time). "Nothing happened" can then be asserted without a fixed sleep.
   */
  void pokeAndAwaitReconciles(String name) {
    for (int round = 0; round < 2; round++) {
      long before = metrics.reconcileCount();
      poke(name);
      await("a reconcile after the poke").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
          .until(() -> metrics.reconcileCount() > before);
    }
  }

  public static EdgeReleaseSpec spec(String yaml) {
    return Serialization.unmarshal(yaml, EdgeReleaseSpec.class);
  }

  @Override
  public void close() {
    if (operator != null) operator.close();
    kubelet.close();
    if (api != null) api.close();
  }
}
