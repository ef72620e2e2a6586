package io.edgewave.operator.fleet;

import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.operator.mqtt.HeartbeatConnection;
import io.edgewave.operator.mqtt.Inbox;
import io.edgewave.protocol.Backoff;
import io.edgewave.protocol.Heartbeat;
import io.edgewave.protocol.HeartbeatCodec;
import io.edgewave.protocol.MqttSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Heartbeat detection, put together from its parts: the MQTT {@link HeartbeatConnection} leaves each message in an
 * {@link Inbox}; on the {@link DetectorLoop}'s one thread, {@link HeartbeatIngest} decodes it (or drops and counts
 * it) and the loop feeds the {@link FailureDetector} and tells the {@link Sink}. Heartbeats never get past the loop;
 * only transitions, acceptances and verdicts do.
 */
public final class HeartbeatSubscriber implements AutoCloseable {
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

    MqttSession session() {
      return new MqttSession(broker, clientId, username, password, caFile, Duration.ofSeconds(10),
          Duration.ofSeconds(10), null);
    }
  }

  private final Clock clock;
  private final LongSupplier nanoTime;
  private final HeartbeatIngest ingest;
  private final DetectorLoop loop;
  private final Inbox inbox;
  private final HeartbeatConnection connection;

  public HeartbeatSubscriber(Settings settings, Clock clock, Sink sink) {
    this(settings, clock, sink, new EdgewaveMetrics());
  }

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
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.ingest = new HeartbeatIngest(metrics);
    this.loop = new DetectorLoop(settings.detector(), settings.tick(), clock, nanoTime, sink, metrics, facts);
    this.inbox = new Inbox(loop.executor(), nanoTime, clock,
        m -> handle(m.topic(), m.payload(), m.receivedNanos(), m.receivedAt()));
    this.connection = new HeartbeatConnection(settings.session(), new Backoff(settings.backoffMin(),
        settings.backoffMax()), loop.executor(), inbox, new HeartbeatConnection.Listener() {
          @Override public void connected() { loop.brokerConnection(true); }

          @Override public void lost() { loop.brokerConnection(false); }
        });
  }

  public HeartbeatSubscriber start() {
    connection.start();
    loop.start(() -> ingest.logRejects(clock.instant()));
    return this;
  }

  /** One message, on the loop thread only; package-private so the fuzz test can drive ingest without a broker. */
  void handle(String topic, byte[] payload, Instant at) {
    handle(topic, payload, nanoTime.getAsLong(), at);
  }

  private void handle(String topic, byte[] payload, long mono, Instant at) {
    try {
      HeartbeatIngest.Decoded d = ingest.decode(topic, payload, at);
      if (d instanceof HeartbeatIngest.Beat b) loop.onHeartbeat(b.heartbeat(), mono, at);
      else if (d instanceof HeartbeatIngest.Status s) loop.onStatus(s.node(), s.status(), mono, at);
    } catch (RuntimeException e) {
      // whatever a message does, ingest goes on; a throw past the decoder is our bug too, not the sender's
      ingest.failed(topic, e, at);
    }
  }

  public boolean connected() { return connection.connected(); }

  public long received() { return ingest.received(); }

  public long rejected(HeartbeatCodec.Reason reason) { return ingest.rejected(reason); }

  /** Messages dropped because our own code threw on them (the INTERNAL_ERROR reject reason). */
  public long internalErrors() { return ingest.internalErrors(); }

  /** Reads detector state on the subscriber's thread. */
  public <T> T inspect(Function<FailureDetector, T> read) {
    return loop.inspect(read);
  }

  /** Entries the subscriber keeps (per node, per reason, queued): what must not grow with garbage. */
  int footprint() {
    return loop.footprint() + ingest.footprint() + inbox.size();
  }

  @Override
  public void close() {
    connection.close();
    loop.close();
  }
}
