package io.edgewave.operator.demo;

import io.edgewave.protocol.DaemonThreads;
import io.edgewave.protocol.Heartbeat;
import io.edgewave.protocol.HeartbeatCodec;
import io.edgewave.protocol.StatusMessage;
import io.edgewave.protocol.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real MQTT heartbeats, in the real wire format, for every simulated node, over a few shared connections (one per
 * node would be 10,000 sockets). Each node beats at its own phase within the interval. A killed node simply goes
 * silent, as a box that loses power or network does; the operator has to notice by itself.
 */
public final class SimulatedProbes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedProbes.class);
  private static final int CONNECTIONS = 4;
  private final List<MqttClient> clients = new ArrayList<>();
  private final ScheduledExecutorService loop = Executors.newScheduledThreadPool(2, new DaemonThreads("simulated-probes"));
  private final Set<String> silent = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> seq = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration interval;
  private final String bootId = UUID.randomUUID().toString();

  public SimulatedProbes(String broker, List<String> nodes, Set<String> gpuBoxes, Duration interval, Clock clock,
      long seed) throws MqttException {
    this.clock = clock;
    this.interval = interval;
    for (int i = 0; i < CONNECTIONS; i++) {
      MqttClient c = new MqttClient(broker, "simulated-probes-" + i, new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setAutomaticReconnect(true); // as real probes do after a broker restart
      o.setMaxReconnectDelay(2000);
      c.connect(o);
      // a publish must never block a beat thread on a connection that is going away (two threads beat for every
      // node: one blocked publish froze a node's heartbeats for seconds after a broker restart in BrokerOutageIT)
      c.setTimeToWait(1000);
      clients.add(c);
    }
    Random r = new Random(seed);
    for (int i = 0; i < nodes.size(); i++) {
      String node = nodes.get(i);
      MqttClient c = clients.get(i % CONNECTIONS);
      boolean gpu = gpuBoxes.contains(node);
      publish(c, Topics.status(node), StatusMessage.ONLINE.bytes(), 1, true);
      long phase = (long) (r.nextDouble() * interval.toMillis());
      loop.scheduleAtFixedRate(() -> {
        try {
          beat(c, node, gpu);
        } catch (RuntimeException e) {
          log.debug("simulated probe {} skipped a beat: {}", node, e.toString());
        }
      }, phase, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The node stops sending anything, as if its power or network were cut. */
  public void kill(String node) { silent.add(node); }

  private void beat(MqttClient c, String node, boolean gpu) {
    if (silent.contains(node)) return;
    long n = seq.merge(node, 1L, Long::sum);
    List<Heartbeat.Gpu> gpus = gpu ? List.of(new Heartbeat.Gpu(0, "NVIDIA T4", "535.104.05", 35.0 + (n % 40), 2048L,
        15360L, 50.0 + (n % 10))) : List.of();
    List<Heartbeat.Check> checks = gpu ? List.of(new Heartbeat.Check("camera", true, 2, null)) : List.of();
    Heartbeat h = new Heartbeat(Heartbeat.VERSION, node, n, bootId, clock.millis(), interval.toMillis(),
        (double) n * interval.toSeconds(), 0.3, 8L << 30, 5L << 30, 80L << 30, gpus, checks, Map.of());
    publish(c, Topics.heartbeat(node), HeartbeatCodec.encode(h), 0, false);
  }

  private static void publish(MqttClient c, String topic, byte[] payload, int qos, boolean retained) {
    try {
      c.publish(topic, payload, qos, retained);
    } catch (MqttException | RuntimeException e) {
      // whatever Paho throws while it reconnects, the next beat must still run: an exception escaping a periodic
      // task would silently cancel it, and the node would look dead for good (BrokerOutageIT caught this)
      log.debug("simulated probe could not publish on {}: {}", topic, e.toString());
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
    for (MqttClient c : clients) {
      try {
        c.disconnect(500);
        c.close();
      } catch (MqttException e) {
        log.debug("closing simulated probe connection: {}", e.getMessage());
      }
    }
  }
}
