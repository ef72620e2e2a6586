package io.edgewave.operator.fleet;

import io.edgewave.protocol.DaemonThreads;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.protocol.Heartbeat;
import io.edgewave.protocol.HeartbeatCodec;
import io.edgewave.protocol.StatusMessage;
import io.edgewave.protocol.Topics;
import io.edgewave.protocol.Backoff;
import io.edgewave.protocol.MqttSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT edge of detection: subscribes (clean session) to every node's heartbeat and status, decodes, feeds the
 * {@link FailureDetector} and hands its transitions to a {@link Sink}. Heartbeats never leave this class; only
 * transitions do. All detector calls run on one thread; Paho's callbacks only enqueue (calling the client from a
 * callback deadlocks). Garbage is dropped, counted by reason, and logged at most once per 10 s.
 */
public final class HeartbeatSubscriber implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatSubscriber.class);
  private static final long REJECT_LOG_EVERY_MS = 10_000;

  /** Where transitions go: the Kubernetes writer, alerts, metrics. Called on the subscriber's thread. */
  public interface Sink {
    void transitions(List<FailureDetector.Transition> transitions);

    default void ingestDegraded(boolean degraded, String reason) { }

    /** A heartbeat was accepted and the node's last-seen time set, at {@code at}; for benchmarks and tracing. */
    default void accepted(Heartbeat heartbeat, Instant at) { }

    /**
     * Every convergence period (the first one h + J after start), on the subscriber's thread: what the detector
     * knows of every node, for sinks that keep state elsewhere in step with it (the Node condition). What they learn
     * back goes through {@code feedback}; they must not block.
     */
    default void converge(Map<String, FailureDetector.Verdict> verdicts, Feedback feedback) { }

    /** Every sink gets every transition, in order. */
    static Sink all(List<Sink> sinks) {
      return new Sink() {
        @Override public void transitions(List<FailureDetector.Transition> t) {
          for (Sink s : sinks) s.transitions(t);
        }

        @Override public void ingestDegraded(boolean d, String reason) {
          for (Sink s : sinks) s.ingestDegraded(d, reason);
        }

        @Override public void accepted(Heartbeat h, Instant at) {
          for (Sink s : sinks) s.accepted(h, at);
        }

        @Override public void converge(Map<String, FailureDetector.Verdict> v, Feedback f) {
          for (Sink s : sinks) s.converge(v, f);
        }
      };
    }
  }

  /** What a sink hands back to the detector; safe from any thread (it runs on the subscriber's). */
  public interface Feedback {
    /** The node's Node object was deleted. */
    void forget(String node);

    /** Another writer marked the node healthy; watch it although it has not beaten yet. */
    void expect(String node);
  }

  /** @param caFile PEM file of the CA that signed the broker's certificate (ssl://), or null for the JDK's */
  public record Settings(String broker, String clientId, String username, String password, Duration tick,
      Duration backoffMin, Duration backoffMax, FailureDetector.Settings detector, String caFile) {
    public Settings(String broker, String clientId, String username, String password, Duration tick,
        Duration backoffMin, Duration backoffMax, FailureDetector.Settings detector) {
      this(broker, clientId, username, password, tick, backoffMin, backoffMax, detector, null);
    }

    public static Settings of(String broker) {
      return new Settings(broker, "edgewave-operator-" + ProcessHandle.current().pid(), null, null,
          Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(5), FailureDetector.Settings.DEFAULTS);
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final Sink sink;
  private final FailureDetector detector;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("heartbeat-subscriber"));
  private final LongAdder received = new LongAdder();
  private final Map<HeartbeatCodec.Reason, LongAdder> rejected = new EnumMap<>(HeartbeatCodec.Reason.class);
  private final Map<HeartbeatCodec.Reason, Long> rejectedLogged = new EnumMap<>(HeartbeatCodec.Reason.class);
  private final Backoff backoff;
  private MqttClient client;
  private volatile boolean connected;
  private volatile boolean closing;
  private boolean degraded;
  private long lastRejectLogMs;
  private int attempt;

  private final EdgewaveMetrics metrics;

  public HeartbeatSubscriber(Settings settings, Clock clock, Sink sink) {
    this(settings, clock, sink, new EdgewaveMetrics());
  }

  private final FleetFacts facts;
  private final LongSupplier nanoTime;

  public HeartbeatSubscriber(Settings settings, Clock clock, Sink sink, EdgewaveMetrics metrics) {
    this(settings, clock, sink, metrics, new FleetFacts());
  }

  /** @param facts where each node's latest facts go, for the reconciler's preflight rules and gates */
  public HeartbeatSubscriber(Settings settings, Clock clock, Sink sink, EdgewaveMetrics metrics, FleetFacts facts) {
    this(settings, clock, System::nanoTime, sink, metrics, facts);
  }

  /**
   * @param clock wall clock, for the times shown and written
   * @param nanoTime monotonic clock that silence is measured on, so a wall-clock step changes no verdict
   */
  public HeartbeatSubscriber(Settings settings, Clock clock, LongSupplier nanoTime, Sink sink, EdgewaveMetrics metrics,
      FleetFacts facts) {
    this.nanoTime = nanoTime;
    this.facts = facts;
    this.metrics = metrics;
    this.settings = settings;
    this.clock = clock;
    this.sink = sink;
    this.detector = new FailureDetector(settings.detector(), nanoTime.getAsLong());
    this.backoff = new Backoff(settings.backoffMin(), settings.backoffMax());
    for (HeartbeatCodec.Reason r : HeartbeatCodec.Reason.values()) rejected.put(r, new LongAdder());
  }

  public HeartbeatSubscriber start() {
    loop.execute(this::connect);
    loop.scheduleAtFixedRate(this::tick, settings.tick().toMillis(), settings.tick().toMillis(), TimeUnit.MILLISECONDS);
    // the first pass once every live probe has had time to beat; then every T, a bound on how long a condition
    // another writer removed stays missing
    var d = settings.detector();
    long first = d.defaultInterval().plus(d.jitter()).toMillis();
    loop.scheduleAtFixedRate(this::converge, first, d.tolerance(d.defaultInterval()).toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void connect() {
    if (closing) return;
    try {
      if (client == null) {
        client = new MqttClient(settings.broker(), settings.clientId(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
          @Override public void connectionLost(Throwable cause) { loop.execute(() -> lost(cause)); }

          @Override public void messageArrived(String topic, MqttMessage message) {
            inbox.add(new Inbound(topic, message.getPayload(), nanoTime.getAsLong(), clock.instant()));
            // one hand-over per burst, not per message: at tens of thousands of messages a second, waking the
            // loop thread for each one costs more than handling it
            if (draining.compareAndSet(false, true)) loop.execute(HeartbeatSubscriber.this::drain);
          }

          @Override public void deliveryComplete(IMqttDeliveryToken token) { }
        });
      }
      MqttConnectOptions o = new MqttSession(settings.broker(), settings.clientId(), settings.username(),
          settings.password(), settings.caFile(), Duration.ofSeconds(10), Duration.ofSeconds(10), null).options();
      o.setMaxInflight(1000);
      client.connect(o);
      client.subscribe(new String[] {Topics.HEARTBEAT_FILTER, Topics.STATUS_FILTER}, new int[] {0, 1});
      connected = true;
      attempt = 0;
      detector.brokerConnection(true, nanoTime.getAsLong());
      // facts start arriving now: until then plus a grace, their absence holds nodes instead of judging them
      facts.listening(clock.instant());
      log.info("subscribed to heartbeats on {}", settings.broker());
    } catch (MqttException | RuntimeException e) {
      retry("cannot subscribe on " + settings.broker() + ": " + e.getMessage());
    }
  }

  private void lost(Throwable cause) {
    connected = false;
    detector.brokerConnection(false, nanoTime.getAsLong());
    retry("heartbeat connection to " + settings.broker() + " lost: " + (cause == null ? "closed" : cause.getMessage()));
  }

  private void retry(String why) {
    if (closing) return;
    long delay = backoff.delay(attempt++, ThreadLocalRandom.current()).toMillis();
    if (attempt == 1) log.warn("{}; no node is declared lost until it is back", why);
    loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private record Inbound(String topic, byte[] payload, long mono, Instant at) {}

  private final java.util.concurrent.ConcurrentLinkedQueue<Inbound> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();

  /** Handles every message waiting, on the loop thread; messages are still handled one at a time, in order. */
  private void drain() {
    while (true) {
      Inbound m;
      while ((m = inbox.poll()) != null) {
        try {
          handle(m.topic(), m.payload(), m.mono(), m.at());
        } catch (RuntimeException e) {
          // whatever a message does, ingest goes on: count it as malformed and log it
          reject(HeartbeatCodec.Reason.MALFORMED_JSON, e.toString());
        }
      }
      draining.set(false);
      // a message that arrived after the last poll but before the flag was cleared found it set: take it now
      if (inbox.isEmpty() || !draining.compareAndSet(false, true)) return;
    }
  }

  /** One message, on the loop thread only; package-private so the fuzz test can drive ingest without a broker. */
  void handle(String topic, byte[] payload, Instant at) {
    handle(topic, payload, nanoTime.getAsLong(), at);
  }

  private void handle(String topic, byte[] payload, long mono, Instant at) {
    Topics.Parsed t = Topics.parse(topic);
    if (t == null) {
      reject(HeartbeatCodec.Reason.BAD_TOPIC, topic);
      return;
    }
    List<FailureDetector.Transition> out;
    if (t.kind() == Topics.Kind.HEARTBEAT) {
      Heartbeat h;
      try {
        h = HeartbeatCodec.decode(t.node(), payload);
      } catch (HeartbeatCodec.Rejected e) {
        reject(e.reason(), e.getMessage());
        return;
      }
      received.increment();
      metrics.heartbeatReceived();
      facts.put(h.node(), NodeFacts.of(h, at));
      out = detector.onHeartbeat(h.node(), h.bootId(), h.intervalMs(), mono, at);
      sink.accepted(h, clock.instant());
    } else {
      StatusMessage s = StatusMessage.parse(payload);
      if (s == null) {
        reject(HeartbeatCodec.Reason.MALFORMED_JSON, "status of " + t.node());
        return;
      }
      out = detector.onStatus(t.node(), switch (s) {
        case ONLINE -> FailureDetector.Status.ONLINE;
        case SHUTDOWN -> FailureDetector.Status.SHUTDOWN;
        case WILL -> FailureDetector.Status.WILL;
      }, mono, at);
    }
    deliver(out);
  }

  private void tick() {
    try {
      deliver(detector.tick(nanoTime.getAsLong(), clock.instant()));
      if (detector.degraded() != degraded) {
        degraded = detector.degraded();
        if (degraded) log.warn("heartbeat ingest degraded: {}; no node is declared lost meanwhile", detector.degradedReason());
        else log.info("heartbeat ingest recovered");
        metrics.ingestDegraded(degraded);
        facts.ingestDegraded(degraded ? detector.degradedReason() : null);
        sink.ingestDegraded(degraded, detector.degradedReason());
      }
      metrics.fleet(detector.counts());
      logRejects();
    } catch (RuntimeException e) {
      log.error("detector tick failed", e);
    }
  }

  private final Feedback feedback = new Feedback() {
    @Override public void forget(String node) {
      loop.execute(() -> {
        if (detector.forget(node)) log.info("node {} deleted: no longer watched", node);
      });
    }

    @Override public void expect(String node) {
      loop.execute(() -> detector.expect(node, nanoTime.getAsLong(), clock.instant()));
    }
  };

  private void converge() {
    try {
      sink.converge(detector.verdicts(nanoTime.getAsLong()), feedback);
    } catch (RuntimeException e) {
      log.error("convergence pass failed", e);
    }
  }

  private void deliver(List<FailureDetector.Transition> out) {
    if (out.isEmpty()) return;
    out.forEach(metrics::transition);
    try {
      sink.transitions(out);
    } catch (RuntimeException e) {
      log.error("transition sink failed", e);
    }
  }

  private void reject(HeartbeatCodec.Reason reason, String detail) {
    rejected.get(reason).increment();
    metrics.heartbeatRejected(reason);
    log.debug("dropped message: {} ({})", reason, detail);
  }

  private void logRejects() {
    long now = clock.millis();
    if (now - lastRejectLogMs < REJECT_LOG_EVERY_MS) return;
    lastRejectLogMs = now;
    for (var e : rejected.entrySet()) {
      long total = e.getValue().sum();
      long before = rejectedLogged.getOrDefault(e.getKey(), 0L);
      if (total > before) log.warn("dropped {} messages as {} in the last {}s", total - before, e.getKey(), REJECT_LOG_EVERY_MS / 1000);
      rejectedLogged.put(e.getKey(), total);
    }
  }

  public boolean connected() { return connected; }

  public long received() { return received.sum(); }

  public long rejected(HeartbeatCodec.Reason reason) { return rejected.get(reason).sum(); }

  /** Reads detector state on the subscriber's thread. */
  public <T> T inspect(java.util.function.Function<FailureDetector, T> read) {
    try {
      return loop.submit(() -> read.apply(detector)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      loop.submit(() -> {
        try {
          if (client != null && client.isConnected()) client.disconnect(1000);
          if (client != null) client.close();
        } catch (MqttException e) {
          log.debug("closing: {}", e.getMessage());
        }
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("close did not finish: {}", e.toString());
    }
    loop.shutdownNow();
  }
}
