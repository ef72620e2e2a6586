package io.edgewave.operator.fleet;

import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.rollout.OperatorHarness;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.protocol.Topics;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real subscriber, detector and Node writer against the mock API server and a real Mosquitto, with heartbeats
 * published by a plain MQTT client (the wire format is the probe's; HeartbeatDetectionIT runs real probes). A new
 * leader is a fresh subscriber: it finds on the Nodes what "the previous leader" left. Timings tenfold compressed
 * as in HeartbeatDetectionIT: h = 1 s, T = 3.5 s, so the first pass runs 1.5 s after start and then every 3.5 s.
 */
class NodeConditionConvergenceIT {
  static final FailureDetector.Settings FAST = HeartbeatDetectionIT.FAST;
  static final Duration PASS = HeartbeatDetectionIT.T;

  MosquittoBroker broker;
  EmbeddedApiServer api;
  Assembly product;
  HeartbeatSubscriber subscriber;
  MqttClient publisher;
  final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
  final Set<String> beating = ConcurrentHashMap.newKeySet();
  final AtomicLong seq = new AtomicLong();
  List<String> names;

  @BeforeEach
  void start() throws Exception {
    broker = new MosquittoBroker().start();
    api = new EmbeddedApiServer();
    List<Node> fleet = SimulatedFleet.nodes(6, 0, 2);
    SimulatedFleet.create(api.client(), fleet);
    names = fleet.stream().map(n -> n.getMetadata().getName()).toList();
    publisher = new MqttClient(broker.url(), "fake-probes", new MemoryPersistence());
    publisher.connect();
    beats.scheduleAtFixedRate(() -> {
      for (String node : beating) {
        String hb = "{\"v\":1,\"node\":\"%s\",\"seq\":%d,\"sentMs\":%d,\"intervalMs\":1000}"
            .formatted(node, seq.incrementAndGet(), System.currentTimeMillis());
        try {
          publisher.publish(Topics.heartbeat(node), hb.getBytes(StandardCharsets.UTF_8), 0, false);
        } catch (Exception e) {
          // the next beat tries again; a missed beat is what the detector tolerates
        }
      }
    }, 0, 1000, TimeUnit.MILLISECONDS);
  }

  /** A new leader: the product as 'edgewave run --mqtt-broker ...' starts it, detector timings compressed. */
  void startLeader() {
    product = Assembly.start(OperatorHarness.config(Map.of("mqtt-broker", broker.url())),
        Assembly.Wiring.on(api.client(), Clock.systemUTC()).heartbeats(new HeartbeatSubscriber.Settings(broker.url(),
            "operator-it", null, null, Duration.ofMillis(250), Duration.ofMillis(200), Duration.ofSeconds(1), FAST)));
    subscriber = product.subscriber();
    await().atMost(Duration.ofSeconds(10)).until(subscriber::connected);
  }

  @AfterEach
  void stop() throws Exception {
    beats.shutdownNow();
    if (product != null) product.close();
    publisher.disconnect();
    api.close();
    broker.close();
  }

  NodeCondition probeCondition(String node) {
    Node n = api.client().nodes().withName(node).get();
    return n.getStatus().getConditions().stream().filter(c -> NodeReadiness.PROBE_CONDITION.equals(c.getType()))
        .findFirst().orElse(null);
  }

  String probeStatus(String node) {
    NodeCondition c = probeCondition(node);
    return c == null ? null : c.getStatus();
  }

  /** Another writer's status: conditions replaced, ours among them, as a leader or cloudcore would leave them. */
  void setConditions(String node, NodeCondition probe) {
    Node n = api.client().nodes().withName(node).get();
    List<NodeCondition> conditions = new ArrayList<>(List.of(SimulatedFleet.ready(true)));
    if (probe != null) conditions.add(probe);
    n.getStatus().setConditions(conditions);
    api.client().nodes().resource(n).updateStatus();
  }

  static NodeCondition staleFalse() {
    return new NodeConditionBuilder().withType(NodeReadiness.PROBE_CONDITION).withStatus("False")
        .withReason("EdgeProbeLost").withMessage("written by the previous leader")
        .withLastTransitionTime("2026-11-30T00:00:00Z").withLastHeartbeatTime("2026-11-30T00:00:00Z").build();
  }

  @Test
  void aStaleFalseFromThePreviousLeaderIsClearedOnceTheNodeBeatsAndAnUnheardNodeIsLeftAlone() {
    String revived = names.get(0);
    String silent = names.get(1);
    setConditions(revived, staleFalse());
    setConditions(silent, staleFalse());
    beating.add(revived);
    startLeader();
    // its first heartbeat is no transition for the new detector: only the convergence pass clears it
    await("stale False cleared").atMost(PASS.multipliedBy(2).plusSeconds(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> "True".equals(probeStatus(revived)));
    assertEquals(NodeConditionPlanner.HEARTBEAT, probeCondition(revived).getReason());
    assertEquals("False", probeStatus(silent), "a node the new leader never heard from keeps what it had");
    assertEquals("written by the previous leader", probeCondition(silent).getMessage());
  }

  @Test
  void aConditionAnotherWriterRemovedIsWrittenAgain() {
    String node = names.get(2);
    String bare = names.get(3);
    beating.add(node);
    startLeader();
    await("written").atMost(PASS.multipliedBy(2).plusSeconds(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> "True".equals(probeStatus(node)));
    setConditions(node, null); // cloudcore's deprecated path: the edge's report replaces the whole status
    assertNull(probeCondition(node));
    await("written again").atMost(PASS.plusSeconds(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> "True".equals(probeStatus(node)));
    assertEquals("True", probeCondition(node).getStatus());
    assertNull(probeCondition(bare), "a node without a probe gets no condition");
  }

  @Test
  void aNodeMarkedHealthyByThePreviousLeaderThatNeverBeatsIsLostAndADeletedNodeIsForgotten() {
    String dead = names.get(4);
    setConditions(dead, new NodeConditionBuilder().withType(NodeReadiness.PROBE_CONDITION).withStatus("True")
        .withReason("EdgeProbeHeartbeat").withMessage("written by the previous leader").build());
    startLeader();
    await("held to the previous leader's word, then lost").atMost(PASS.multipliedBy(3).plusSeconds(3))
        .pollInterval(Duration.ofMillis(100)).until(() -> "False".equals(probeStatus(dead)));
    assertEquals(NodeConditionPlanner.LOST, probeCondition(dead).getReason());
    assertEquals(FailureDetector.State.LOST, subscriber.inspect(d -> d.state(dead)));
    api.client().nodes().withName(dead).delete();
    await("forgotten").atMost(PASS.multipliedBy(2).plusSeconds(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> subscriber.inspect(d -> d.state(dead)) == null);
    assertEquals(0, (int) subscriber.inspect(d -> d.counts().get(FailureDetector.State.LOST)));
  }
}
