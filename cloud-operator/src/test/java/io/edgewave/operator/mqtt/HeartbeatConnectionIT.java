package io.edgewave.operator.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.fleet.MosquittoBroker;
import io.edgewave.protocol.Backoff;
import io.edgewave.protocol.DaemonThreads;
import io.edgewave.protocol.MqttSession;
import io.edgewave.protocol.StatusMessage;
import io.edgewave.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** The subscription against a real Mosquitto: both topics arrive, on the executor; a broker restart is survived. */
class HeartbeatConnectionIT {
  @Test
  void deliversHeartbeatsAndStatusesAndReconnectsAfterTheBrokerRestarts() throws Exception {
    var executor = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("connection-it"));
    List<String> events = new CopyOnWriteArrayList<>();
    List<String> topics = new CopyOnWriteArrayList<>();
    try (MosquittoBroker broker = new MosquittoBroker().start()) {
      Inbox inbox = new Inbox(executor, System::nanoTime, Clock.systemUTC(), m -> {
        assertEquals("connection-it", Thread.currentThread().getName());
        topics.add(m.topic());
      });
      var connection = new HeartbeatConnection(new MqttSession(broker.url(), "connection-it", null, null, null,
          Duration.ofSeconds(2), Duration.ofSeconds(2), null), new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)),
          executor, inbox, new HeartbeatConnection.Listener() {
            @Override public void connected() { events.add("connected"); }

            @Override public void lost() { events.add("lost"); }
          }).start();
      try {
        await().atMost(Duration.ofSeconds(10)).until(connection::connected);
        publish(broker, Topics.heartbeat("tc-a"), "{}".getBytes(StandardCharsets.UTF_8));
        publish(broker, Topics.status("tc-a"), StatusMessage.SHUTDOWN.bytes());
        publish(broker, "edgewave/v1/elsewhere", new byte[1]);
        await().atMost(Duration.ofSeconds(10)).until(() -> topics.size() == 2);
        assertEquals(List.of(Topics.heartbeat("tc-a"), Topics.status("tc-a")), topics, "only the two filters");

        broker.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> events.contains("lost"));
        broker.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> events.equals(List.of("connected", "lost", "connected")));
        publish(broker, Topics.heartbeat("tc-b"), "{}".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> topics.contains(Topics.heartbeat("tc-b")));
        assertTrue(connection.connected());
      } finally {
        connection.close();
      }
    } finally {
      executor.shutdownNow();
    }
  }

  static void publish(MosquittoBroker broker, String topic, byte[] payload) throws Exception {
    MqttClient c = new MqttClient(broker.url(), "connection-it-publisher", new MemoryPersistence());
    c.connect();
    c.publish(topic, payload, 1, false);
    c.disconnect();
    c.close();
  }
}
