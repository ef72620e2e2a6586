package io.edgewave.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.fleet.ProbeProcess;
import io.edgewave.protocol.Topics;
import io.edgewave.protocol.MqttSession;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker exactly as shipped (deploy/base/mosquitto: mosquitto.conf and acl) with credentials made by
 * scripts/mqtt-credentials.sh, on a real Mosquitto: only the file paths and the port are changed for the test.
 */
class ShippedBrokerIT {
  @TempDir static Path dir;
  static Process broker;
  static int port;
  static Path cred;

  @BeforeAll
  static void start() throws Exception {
    cred = dir.resolve("cred");
    var r = Tools.run("scripts/mqtt-credentials.sh", cred.toString(), "localhost", "tc-a-001", "tc-b-001");
    assertEquals(0, r.code(), r.out() + r.err());
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String conf = Files.readString(Tools.ROOT.resolve("deploy/base/mosquitto/mosquitto.conf"));
    Map<String, String> local = Map.of(
        "password_file /mosquitto/auth/passwd", "password_file " + cred.resolve("passwd"),
        "acl_file /mosquitto/config/acl", "acl_file " + Tools.ROOT.resolve("deploy/base/mosquitto/acl"),
        "listener 8883", "listener " + port + " 127.0.0.1",
        "certfile /mosquitto/certs/tls.crt", "certfile " + cred.resolve("tls.crt"),
        "keyfile /mosquitto/certs/tls.key", "keyfile " + cred.resolve("tls.key"),
        "persistence_location /mosquitto/data/", "persistence_location " + dir + "/",
        "log_dest stdout", "log_dest file " + dir.resolve("mosquitto.log"));
    for (var e : local.entrySet()) {
      assertTrue(conf.contains(e.getKey()), "the shipped config changed: no \"" + e.getKey() + "\"");
      conf = conf.replace(e.getKey(), e.getValue());
    }
    // started as root (CI is), mosquitto would switch to the user "mosquitto", who cannot read the temp folder
    Files.writeString(dir.resolve("mosquitto.conf"), "user root\n" + conf);
    broker = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException e) {
        if (!broker.isAlive() || Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("stdout.log")));
        }
        Thread.sleep(50);
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (broker != null) {
      broker.destroy();
      broker.waitFor();
    }
  }

  static String url() { return "ssl://localhost:" + port; }

  static String password(String user) throws IOException {
    Path f = user.equals("edgewave-operator") ? cred.resolve("operator/password") : cred.resolve("nodes/" + user + "/password");
    return Files.readString(f).strip();
  }

  static MqttClient connect(String user, String password) throws Exception {
    MqttClient c = new MqttClient(url(), user + "-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(user);
    if (password != null) o.setPassword(password.toCharArray());
    o.setSocketFactory(MqttSession.trusting(cred.resolve("ca.crt")));
    o.setConnectionTimeout(5);
    c.connect(o);
    return c;
  }

  @Test
  void aNodePublishesItsOwnTopicsOnlyAndTheOperatorReadsThem() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    MqttClient operator = connect("edgewave-operator", password("edgewave-operator"));
    operator.subscribe(new String[] {Topics.HEARTBEAT_FILTER, Topics.STATUS_FILTER}, new int[] {0, 1},
        new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {
            (t, m) -> seen.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)),
            (t, m) -> seen.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8))});
    MqttClient a = connect("tc-a-001", password("tc-a-001"));
    // a node posing as another: Mosquitto drops the publish (MQTT 3.1.1 has no way to say so)
    a.publish(Topics.heartbeat("tc-b-001"), "forged".getBytes(StandardCharsets.UTF_8), 1, false);
    a.publish(Topics.heartbeat("tc-a-001"), "own".getBytes(StandardCharsets.UTF_8), 1, false);
    assertEquals(Topics.heartbeat("tc-a-001") + " own", seen.poll(10, TimeUnit.SECONDS));
    assertNull(seen.poll(1, TimeUnit.SECONDS), "the forged heartbeat was delivered");

    // nodes read nothing, not even each other's heartbeats
    BlockingQueue<String> spied = new LinkedBlockingQueue<>();
    a.subscribe(Topics.HEARTBEAT_FILTER, 0, (t, m) -> spied.add(t));
    MqttClient b = connect("tc-b-001", password("tc-b-001"));
    b.publish(Topics.heartbeat("tc-b-001"), "b".getBytes(StandardCharsets.UTF_8), 1, false);
    assertEquals(Topics.heartbeat("tc-b-001") + " b", seen.poll(10, TimeUnit.SECONDS));
    assertNull(spied.poll(1, TimeUnit.SECONDS), "a node read another node's heartbeat");
    // and the operator writes nothing
    operator.publish(Topics.heartbeat("tc-a-001"), "from-operator".getBytes(StandardCharsets.UTF_8), 1, false);
    assertNull(seen.poll(1, TimeUnit.SECONDS), "the operator's publish was delivered");
    for (MqttClient c : new MqttClient[] {a, b, operator}) c.disconnect();
  }

  @Test
  void aWrongPasswordAnAnonymousClientAndPlainTcpAreRefused() throws Exception {
    var wrong = assertThrows(MqttSecurityException.class, () -> connect("tc-a-001", password("tc-b-001")));
    assertTrue(wrong.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
        || wrong.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED, wrong.toString());
    assertThrows(MqttSecurityException.class, () -> connect("tc-a-001", null));
    MqttClient plain = new MqttClient("tcp://localhost:" + port, "plain", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName("tc-a-001");
    o.setPassword(password("tc-a-001").toCharArray());
    o.setConnectionTimeout(3);
    assertThrows(MqttException.class, () -> plain.connect(o));
  }

  @Test
  void theRealProbeConnectsOverTlsWithItsNodePasswordAndItsWillIsAccepted() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    MqttClient operator = connect("edgewave-operator", password("edgewave-operator"));
    operator.subscribe(new String[] {Topics.HEARTBEAT_FILTER, Topics.STATUS_FILTER}, new int[] {0, 1},
        new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {(t, m) -> seen.add(t), (t, m) -> seen.add(t)});
    Path pw = cred.resolve("nodes/tc-b-001/password");
    try (ProbeProcess probe = new ProbeProcess(url(), "tc-b-001", "--username", "tc-b-001", "--password-file",
        pw.toString(), "--ca-file", cred.resolve("ca.crt").toString())) {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      boolean beat = false;
      boolean status = false;
      while (!(beat && status) && Instant.now().isBefore(deadline)) {
        String t = seen.poll(1, TimeUnit.SECONDS);
        if (Topics.heartbeat("tc-b-001").equals(t)) beat = true;
        if (Topics.status("tc-b-001").equals(t)) status = true;
      }
      assertTrue(beat && status, "heartbeat " + beat + ", status " + status + "; probe log:\n" + probe.log());
    }
    operator.disconnect();
  }
}
