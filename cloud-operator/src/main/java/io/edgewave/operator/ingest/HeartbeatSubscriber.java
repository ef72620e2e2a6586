package io.edgewave.operator.ingest;

import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.fleet.FleetSink;
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
 * it) and the loop feeds the {@link FailureDetector} and tells the {@link FleetSink}. Heartbeats never get past the loop;
 * only transitions, acceptances and verdicts do.
 */
public final class HeartbeatSubscriber implements AutoCloseable {
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

  public HeartbeatSubscriber(Settings settings, Clock clock, FleetSink sink) {
    this(settings, clock, sink, new EdgewaveMetrics());
  }

  public HeartbeatSubscriber(Settings settings, Clock clock, FleetSink sink, EdgewaveMetrics metrics) {
    this(settings, clock, sink, metrics, new FleetFacts());
  }

  /** @param facts where each node's latest facts go, for the reconciler's preflight rules and gates */
  public HeartbeatSubscriber(Settings settings, Clock clock, FleetSink sink, EdgewaveMetrics metrics, FleetFacts facts) {
    this(settings, clock, System::nanoTime, sink, metrics, facts);
  }

  /**
   * @param clock wall clock, for the times shown and written
   * @param nanoTime monotonic clock that silence is measured on, so a wall-clock step changes no verdict
   */
  public HeartbeatSubscriber(Settings settings, Clock clock, LongSupplier nanoTime, FleetSink sink, EdgewaveMetrics metrics,
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

  /** Runs a convergence pass now instead of at the next period: what a replica that just took the Lease does. */
  public void convergeNow() { loop.convergeNow(); }

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
