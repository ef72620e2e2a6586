package io.edgewave.probe.mqtt;

import io.edgewave.probe.check.LocalCheck;
import io.edgewave.probe.config.ProbeConfig;
import io.edgewave.probe.facts.GpuFacts;
import io.edgewave.probe.facts.HostFacts;
import io.edgewave.protocol.Backoff;
import io.edgewave.protocol.DaemonThreads;
import io.edgewave.protocol.Heartbeat;
import io.edgewave.protocol.HeartbeatCodec;
import io.edgewave.protocol.StatusMessage;
import io.edgewave.protocol.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe: keeps one MQTT connection up for as long as it runs, announces itself with a retained "online"
 * (the broker publishes the retained will "offline" if the connection dies), and publishes a heartbeat every
 * interval. All MQTT calls happen on one scheduler thread; Paho's callbacks only hand work to it (calling the
 * client from inside a callback deadlocks). It never exits on its own: a broker that is down, refuses or drops
 * it is retried with jittered exponential backoff.
 */
public final class Probe implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Probe.class);
  private final ProbeConfig config;
  private final Clock clock;
  private final HostFacts host = new HostFacts(Path.of("/proc"));
  private final GpuFacts gpu;
  private final String bootId;
  private final AtomicLong seq = new AtomicLong();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("probe-mqtt"));
  private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("probe-checks"));
  private final Backoff backoff;
  private volatile List<Heartbeat.Check> lastChecks = List.of();
  private volatile boolean closing;
  private MqttClient client;
  private ScheduledFuture<?> beat;
  private int attempt;

  public Probe(ProbeConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.gpu = new GpuFacts(config.nvidiaSmi());
    this.bootId = host.bootId();
    this.backoff = new Backoff(config.backoffMin(), config.backoffMax());
  }

  public Probe start() {
    if (!config.checks().isEmpty()) {
      checks.scheduleWithFixedDelay(this::runChecks, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
    }
    loop.execute(this::connect);
    return this;
  }

  private void connect() {
    if (closing) return;
    try {
      if (client == null) {
        MqttClient fresh = config.session().client();
        client = fresh;
        // Paho's synchronous calls wait forever by default; a publish caught in a dying connection then blocks this
        // thread, the reconnect queued behind it never runs, and the probe goes silent for good
        client.setTimeToWait(Math.max(1000, Math.min(config.interval().toMillis(), 10_000)));
        client.setCallback(new MqttCallback() {
          @Override public void connectionLost(Throwable cause) {
            loop.execute(() -> {
              if (client == fresh) lost(cause); // news of a client already replaced is old news
            });
          }
          @Override public void messageArrived(String topic, MqttMessage message) { }
          @Override public void deliveryComplete(IMqttDeliveryToken token) { }
        });
      }
      client.connect(config.session().options());
      client.publish(Topics.status(config.node()), StatusMessage.ONLINE.bytes(), 1, true);
      log.info("connected to {} as {}; heartbeat every {}s", config.broker(), config.node(), config.interval().toSeconds());
      attempt = 0;
      beat = loop.scheduleAtFixedRate(this::heartbeat, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
    } catch (MqttException | RuntimeException e) {
      discard();
      retry("cannot connect to " + config.broker() + ": " + e.getMessage());
    }
  }

  /**
   * Drops the client after a failure: the next attempt starts from a new one. A Paho client whose connection timed
   * out can stay in a state where every later connect is refused (seen after an uplink cut: the probe stayed silent
   * for good once the link was back).
   */
  private void discard() {
    MqttClient old = client;
    client = null;
    if (old == null) return;
    try {
      old.disconnectForcibly(0, 500);
    } catch (MqttException | RuntimeException ignored) {
      // it is being replaced anyway
    }
    try {
      old.close(true);
    } catch (MqttException | RuntimeException ignored) {
      // idem
    }
  }

  private void lost(Throwable cause) {
    if (beat != null) beat.cancel(false);
    discard();
    retry("connection to " + config.broker() + " lost: " + (cause == null ? "closed" : cause.getMessage()));
  }

  private void retry(String why) {
    if (closing) return;
    long delay = backoff.delay(attempt++, ThreadLocalRandom.current()).toMillis();
    // the first failure is news; the rest of a long outage is noise
    if (attempt == 1) log.warn("{}; retrying with backoff", why);
    else log.debug("{}; retry {} in {} ms", why, attempt, delay);
    loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void heartbeat() {
    try {
      if (client == null || !client.isConnected()) return;
      client.publish(Topics.heartbeat(config.node()), HeartbeatCodec.encode(build()), 0, false);
    } catch (MqttException e) {
      log.debug("heartbeat not sent: {}", e.getMessage());
      if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT || !client.isConnected()) {
        // the connection is gone or stuck: do not wait for Paho to notice, reconnect now
        lost(e);
      }
    } catch (RuntimeException e) {
      log.debug("heartbeat not sent: {}", e.getMessage());
    }
  }

  Heartbeat build() {
    Long[] mem = host.memory();
    return new Heartbeat(Heartbeat.VERSION, config.node(), seq.getAndIncrement(), bootId, clock.millis(),
        config.interval().toMillis(), host.uptimeSeconds(), host.load1(), mem[0], mem[1],
        HostFacts.diskFree(config.diskPath()), gpu.read(), lastChecks, revisions());
  }

  private void runChecks() {
    List<Heartbeat.Check> out = new ArrayList<>();
    for (LocalCheck.Spec s : config.checks()) out.add(LocalCheck.run(s));
    lastChecks = List.copyOf(out);
  }

  /** release=revision lines in a file the node's tooling keeps up to date; absent means unknown. */
  private Map<String, String> revisions() {
    Path f = config.revisionsFile();
    if (f == null || !Files.isReadable(f)) return Map.of();
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    for (String k : p.stringPropertyNames()) if (out.size() < 32) out.put(k, p.getProperty(k));
    return out;
  }

  /** A graceful stop says "offline" itself, so the operator knows at once rather than after the keep-alive. */
  @Override
  public void close() {
    closing = true;
    checks.shutdownNow();
    var done = loop.submit(() -> {
      try {
        if (beat != null) beat.cancel(false);
        if (client != null && client.isConnected()) {
          client.publish(Topics.status(config.node()), StatusMessage.SHUTDOWN.bytes(), 1, true);
          client.disconnect(2000);
        }
        if (client != null) client.close();
      } catch (MqttException e) {
        log.debug("while stopping: {}", e.getMessage());
      }
    });
    try {
      done.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("stop did not finish cleanly: {}", e.toString());
    }
    loop.shutdownNow();
  }
}
