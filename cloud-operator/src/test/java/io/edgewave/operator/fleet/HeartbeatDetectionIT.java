package io.edgewave.operator.fleet;

import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.rollout.OperatorHarness;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.fleet.FailureDetector.State;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.operator.fleet.FailureDetector.Transition;
import io.edgewave.protocol.Heartbeat;
import io.edgewave.protocol.HeartbeatCodec;
import io.edgewave.protocol.Topics;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real Mosquitto, real probe processes, the real subscriber and detector. Timings are compressed tenfold with the
 * same k: h = 1 s, k = 2, J = 0.5 s, so T = 3.5 s (production: h = 10 s, J = 2 s, T = 32 s).
 */
class HeartbeatDetectionIT {
  static final FailureDetector.Settings FAST = new FailureDetector.Settings(Duration.ofSeconds(1), 2,
      Duration.ofMillis(500), 0.2, 10);
  static final Duration T = FAST.tolerance(Duration.ofSeconds(1));

  MosquittoBroker broker;
  EmbeddedApiServer api;
  Assembly product;
  HeartbeatSubscriber subscriber;
  final EdgewaveMetrics metrics = new EdgewaveMetrics();
  final List<Transition> transitions = new CopyOnWriteArrayList<>();
  final List<String> degraded = new CopyOnWriteArrayList<>();
  final List<ProbeProcess> probes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    broker = new MosquittoBroker().start();
    api = new EmbeddedApiServer();
    SimulatedFleet.create(api.client(), SimulatedFleet.nodes(12, 0, 3));
    // the product as 'edgewave run --mqtt-broker ...' starts it, with the detector's timings compressed
    product = Assembly.start(OperatorHarness.config(Map.of("mqtt-broker", broker.url())),
        Assembly.Wiring.on(api.client(), Clock.systemUTC()).sharing(metrics, new FleetFacts())
            .heartbeats(new HeartbeatSubscriber.Settings(broker.url(), "operator-test", null, null,
                Duration.ofMillis(250), Duration.ofMillis(200), Duration.ofSeconds(1), FAST))
            .alsoTelling(new FleetSink() {
              @Override public void transitions(List<Transition> t) { transitions.addAll(t); }

              @Override public void ingestDegraded(boolean d, String reason) { degraded.add(d + ":" + reason); }
            }));
    subscriber = product.subscriber();
    await().atMost(Duration.ofSeconds(10)).until(subscriber::connected);
  }

  @AfterEach
  void stop() throws Exception {
    for (ProbeProcess p : probes) p.close();
    product.close();
    api.close();
    broker.close();
  }

  List<String> nodeNames(int n) {
    return SimulatedFleet.nodes(12, 0, 3).stream().limit(n).map(x -> x.getMetadata().getName()).toList();
  }

  void startProbes(int n) throws Exception {
    for (String node : nodeNames(n)) probes.add(new ProbeProcess(broker.url(), node));
    await("all probes online").atMost(Duration.ofSeconds(30)).until(() ->
        subscriber.inspect(d -> nodeNames(n).stream().allMatch(x -> d.state(x) == State.ONLINE)));
  }

  Transition awaitTransition(String node, State to, Duration within) {
    await(node + " " + to).atMost(within).pollInterval(Duration.ofMillis(50))
        .until(() -> transitions.stream().anyMatch(t -> t.node().equals(node) && t.to() == to));
    return transitions.stream().filter(t -> t.node().equals(node) && t.to() == to).findFirst().orElseThrow();
  }

  @Test
  void heartbeatsArriveAndDecodeWithTheirFacts() throws Exception {
    BlockingQueue<byte[]> seen = new ArrayBlockingQueue<>(10);
    MqttClient raw = new MqttClient(broker.url(), "raw-reader", new MemoryPersistence());
    raw.connect();
    raw.subscribe(Topics.HEARTBEAT_FILTER, 0, (topic, msg) -> seen.offer(msg.getPayload()));
    startProbes(1);
    byte[] payload = seen.poll(10, TimeUnit.SECONDS);
    assertNotNull(payload);
    Heartbeat h = HeartbeatCodec.decode(nodeNames(1).get(0), payload);
    assertEquals(1000, h.intervalMs());
    assertNotNull(h.bootId());
    assertNotNull(h.uptimeSeconds(), "read from /proc/uptime");
    assertNotNull(h.memTotalBytes());
    assertNotNull(h.diskFreeBytes());
    assertEquals(List.of(), h.gpus(), "no nvidia-smi here: no GPU facts, and no error");
    raw.disconnect();
    await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.received() >= 2);
  }

  @Test
  void killNineGivesLostWithinToleranceAndMarksTheNode() throws Exception {
    startProbes(3);
    ProbeProcess victim = probes.get(0);
    Instant killed = Instant.now();
    victim.kill9();
    Transition lost = awaitTransition(victim.node, State.LOST, T.plusSeconds(2));
    assertTrue(Duration.between(killed, lost.at()).compareTo(T.plusSeconds(2)) <= 0);
    await("Node condition").atMost(Duration.ofSeconds(5)).until(() -> probeCondition(victim.node) != null
        && "False".equals(probeCondition(victim.node).getStatus()));
    assertEquals("EdgeProbeLost", probeCondition(victim.node).getReason());
    assertTrue(api.client().v1().events().inNamespace("default").list().getItems().stream()
        .anyMatch(e -> e.getInvolvedObject().getName().equals(victim.node) && "EdgeProbeLost".equals(e.getReason())));
    assertTrue(transitions.stream().noneMatch(t -> !t.node().equals(victim.node)), "the others stay online");
    {
      String text = new String(java.net.URI.create("http://127.0.0.1:" + product.port() + "/metrics").toURL()
          .openStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(text.contains("edgewave_node_lost{node=\"" + victim.node + "\"} 1.0"), text);
      assertTrue(text.contains("edgewave_detection_latency_seconds_count 1"), text);
      assertTrue(text.contains("edgewave_heartbeats_received_total"), text);
    }
  }

  @Test
  void frozenProbeWithItsConnectionOpenIsLostByItsSilenceThenBackOnline() throws Exception {
    startProbes(3);
    ProbeProcess victim = probes.get(1);
    Instant frozen = Instant.now();
    victim.signal("STOP");
    Transition lost = awaitTransition(victim.node, State.LOST, T.plusSeconds(2));
    assertTrue(Duration.between(frozen, lost.at()).compareTo(T.plusSeconds(2)) <= 0);
    Thread.sleep(2000); // past 1.5 x keep-alive: the broker drops the frozen client and fires its will
    victim.signal("CONT");
    try {
      awaitTransition(victim.node, State.ONLINE, Duration.ofSeconds(15));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("probe did not come back; its log:\n" + victim.log(), e);
    }
  }

  @Test
  void gracefulStopGivesOfflineWithinThreeSeconds() throws Exception {
    startProbes(3);
    ProbeProcess victim = probes.get(2);
    Instant stopped = Instant.now();
    victim.stopGracefully();
    Transition offline = awaitTransition(victim.node, State.OFFLINE, Duration.ofSeconds(3));
    assertTrue(Duration.between(stopped, offline.at()).toMillis() <= 3000);
    await().atMost(Duration.ofSeconds(5)).until(() -> probeCondition(victim.node) != null
        && "EdgeProbeOffline".equals(probeCondition(victim.node).getReason()));
    // two T of the detector's own time: an inspect runs on its thread after every tick due by then
    Thread.sleep(T.toMillis() * 2);
    assertEquals(State.OFFLINE, subscriber.inspect(d -> d.state(victim.node)));
    assertTrue(transitions.stream().noneMatch(t -> t.to() == State.LOST), "an offline node is not also lost");
  }

  @Test
  void brokerOutageDeclaresNobodyLostRaisesDegradedAndRecovers() throws Exception {
    startProbes(12);
    broker.stop();
    // 6 s of outage at h = 1 s is the 60 s outage at h = 10 s
    await("degraded").atMost(Duration.ofSeconds(5)).until(() -> degraded.stream().anyMatch(d -> d.startsWith("true")));
    Thread.sleep(6000);
    broker.start();
    await("subscriber back").atMost(Duration.ofSeconds(10)).until(subscriber::connected);
    // the detector resets every node's silence when its own connection returns, so "online" proves nothing here:
    // watch the wire for a heartbeat from each probe after the restart
    java.util.Set<String> beating = java.util.concurrent.ConcurrentHashMap.newKeySet();
    MqttClient watcher = new MqttClient(broker.url(), "watcher", new MemoryPersistence());
    watcher.connect();
    watcher.subscribe(Topics.HEARTBEAT_FILTER, 0, (topic, msg) -> beating.add(Topics.parse(topic).node()));
    await("every probe reconnected and beating").atMost(Duration.ofSeconds(20))
        .until(() -> beating.containsAll(nodeNames(12)));
    watcher.disconnect();
    await("recovered").atMost(Duration.ofSeconds(10)).until(() -> !subscriber.inspect(FailureDetector::degraded));
    Thread.sleep(T.toMillis() + 1000);
    assertEquals(0, (int) subscriber.inspect(d -> d.counts().getOrDefault(State.LOST, 0)), "the detector's own count");
    assertEquals(List.of(), transitions.stream().filter(t -> t.to() == State.LOST).toList());
    assertTrue(degraded.get(degraded.size() - 1).startsWith("false"), degraded.toString());
  }

  @Test
  void probeStartedWhileTheBrokerIsDownKeepsRetryingAndConnectsWhenItComesBack() throws Exception {
    broker.stop();
    ProbeProcess early = new ProbeProcess(broker.url(), nodeNames(1).get(0));
    probes.add(early);
    Thread.sleep(4000); // refused again and again, with backoff
    assertTrue(early.process.isAlive(), "the probe never exits on its own");
    broker.start();
    await("probe connects").atMost(Duration.ofSeconds(20)).until(() ->
        subscriber.inspect(d -> d.state(early.node) == State.ONLINE));
    assertTrue(early.log().contains("retrying with backoff"), early.log());
  }

  @Test
  void garbageIsDroppedCountedAndChangesNoNode() throws Exception {
    startProbes(1);
    String node = nodeNames(1).get(0);
    MqttClient evil = new MqttClient(broker.url(), "evil", new MemoryPersistence());
    evil.connect(new MqttConnectOptions());
    String valid = "{\"v\":1,\"node\":\"%s\",\"seq\":1,\"sentMs\":1,\"intervalMs\":1000}";
    evil.publish(Topics.heartbeat("tc-someone-else"), valid.formatted(node).getBytes(StandardCharsets.UTF_8), 0, false);
    evil.publish(Topics.heartbeat(node), "{not json".getBytes(StandardCharsets.UTF_8), 0, false);
    evil.publish(Topics.heartbeat(node), new byte[HeartbeatCodec.MAX_BYTES + 10], 0, false);
    evil.publish(Topics.heartbeat(node), "{\"v\":9,\"node\":\"x\"}".getBytes(StandardCharsets.UTF_8), 0, false);
    evil.publish("edgewave/v1/nodes/NOT_A_NODE/heartbeat", valid.formatted("x").getBytes(StandardCharsets.UTF_8), 0, false);
    evil.publish(Topics.status(node), "perhaps".getBytes(StandardCharsets.UTF_8), 1, false);
    evil.disconnect();
    await("all counted").atMost(Duration.ofSeconds(5)).until(() ->
        subscriber.rejected(HeartbeatCodec.Reason.NODE_MISMATCH) == 1
            && subscriber.rejected(HeartbeatCodec.Reason.MALFORMED_JSON) == 2
            && subscriber.rejected(HeartbeatCodec.Reason.OVERSIZED) == 1
            && subscriber.rejected(HeartbeatCodec.Reason.UNSUPPORTED_VERSION) == 1
            && subscriber.rejected(HeartbeatCodec.Reason.BAD_TOPIC) == 1);
    assertEquals(State.ONLINE, subscriber.inspect(d -> d.state(node)));
    assertEquals((State) null, subscriber.inspect(d -> d.state("tc-someone-else")), "a forged heartbeat creates no node");
    assertEquals(List.of(), transitions);
  }

  NodeCondition probeCondition(String node) {
    var n = api.client().nodes().withName(node).get();
    return n.getStatus().getConditions().stream().filter(c -> NodeReadiness.PROBE_CONDITION.equals(c.getType()))
        .findFirst().orElse(null);
  }
}
