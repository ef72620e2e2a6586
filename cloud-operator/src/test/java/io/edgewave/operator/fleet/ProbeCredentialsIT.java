package io.edgewave.operator.fleet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** A broker that wants passwords: the probe's credentials work, and a refused probe keeps trying without exiting. */
class ProbeCredentialsIT {
  @Test
  void probeWithItsPasswordConnectsAndAWrongOneIsRefusedButKeepsRetrying() throws Exception {
    try (MosquittoBroker broker = new MosquittoBroker(Map.of("tc-a-001", "s3cret", "operator", "op-pass")).start()) {
      BlockingQueue<String> heartbeats = new ArrayBlockingQueue<>(100);
      MqttClient reader = new MqttClient(broker.url(), "reader", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setUserName("operator");
      o.setPassword("op-pass".toCharArray());
      reader.connect(o);
      reader.subscribe(Topics.HEARTBEAT_FILTER, 0, (t, m) -> heartbeats.offer(t));

      Path pw = Files.createTempFile("pw", "");
      Files.writeString(pw, "s3cret\n");
      try (ProbeProcess good = new ProbeProcess(broker.url(), "tc-a-001", "--username", "tc-a-001",
               "--password-file", pw.toString());
           ProbeProcess bad = new ProbeProcess(broker.url(), "tc-b-001", "--username", "tc-a-001",
               "--password", "guess")) {
        String topic = heartbeats.poll(15, TimeUnit.SECONDS);
        assertTrue(Topics.heartbeat("tc-a-001").equals(topic), String.valueOf(topic));
        Thread.sleep(3000);
        assertTrue(heartbeats.stream().noneMatch(t -> t.contains("tc-b-001")), "the wrong password publishes nothing");
        assertTrue(bad.process.isAlive(), "a refused probe does not exit");
        await().atMost(Duration.ofSeconds(5)).until(() -> bad.log().contains("retrying with backoff"));
      }
      reader.disconnect();
    }
  }
}
