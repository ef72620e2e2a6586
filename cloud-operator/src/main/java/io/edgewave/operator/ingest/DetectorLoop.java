package io.edgewave.operator.ingest;

import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.fleet.FleetSink;
import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.protocol.DaemonThreads;
import io.edgewave.protocol.Heartbeat;
import io.edgewave.protocol.StatusMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread the {@link FailureDetector} lives on (named "heartbeat-subscriber": benchmarks and the demo measure
 * its CPU by that name). It feeds the detector what was heard, ticks it, runs the convergence pass, and tells the
 * {@link FleetSink} (facts and metrics are kept here too). Heartbeats stop here; only transitions,
 * acceptances and verdicts go on. The detector calls that come from outside ({@link #onHeartbeat}, {@link #onStatus},
 * {@link #brokerConnection}) must run on {@link #executor()}.
 */
final class DetectorLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DetectorLoop.class);
  static final String THREAD = "heartbeat-subscriber";

  private final FailureDetector.Settings settings;
  private final Duration tick;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final FleetSink sink;
  private final EdgewaveMetrics metrics;
  private final FleetFacts facts;
  private final FailureDetector detector;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(new DaemonThreads(THREAD));
  private boolean degraded;
  private Runnable everyTick = () -> { };

  /**
   * @param clock wall clock, for the times shown and written
   * @param nanoTime monotonic clock that silence is measured on, so a wall-clock step changes no verdict
   */
  DetectorLoop(FailureDetector.Settings settings, Duration tick, Clock clock, LongSupplier nanoTime,
      FleetSink sink, EdgewaveMetrics metrics, FleetFacts facts) {
    this.settings = settings;
    this.tick = tick;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.sink = sink;
    this.metrics = metrics;
    this.facts = facts;
    this.detector = new FailureDetector(settings, nanoTime.getAsLong());
  }

  /** The loop's thread, for work that must be ordered with the detector's (connecting, draining the inbox). */
  ScheduledExecutorService executor() { return executor; }

  /** Ticks every {@code tick}, plus {@code also} (periodic bookkeeping of the caller); converges every T. */
  void start(Runnable also) {
    everyTick = also;
    executor.scheduleAtFixedRate(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    // the first pass once every live probe has had time to beat; then every T, a bound on how long a condition
    // another writer removed stays missing
    long first = settings.defaultInterval().plus(settings.jitter()).toMillis();
    executor.scheduleAtFixedRate(this::converge, first, settings.tolerance(settings.defaultInterval()).toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** A heartbeat was heard: its facts kept, the detector fed, the sinks told. */
  void onHeartbeat(Heartbeat h, long mono, Instant at) {
    facts.put(h.node(), NodeFacts.of(h, at));
    List<FailureDetector.Transition> out = detector.onHeartbeat(h.node(), h.bootId(), h.intervalMs(), mono, at);
    sink.accepted(h, clock.instant());
    deliver(out);
  }

  void onStatus(String node, StatusMessage s, long mono, Instant at) {
    deliver(detector.onStatus(node, switch (s) {
      case ONLINE -> FailureDetector.Status.ONLINE;
      case SHUTDOWN -> FailureDetector.Status.SHUTDOWN;
      case WILL -> FailureDetector.Status.WILL;
    }, mono, at));
  }

  /** While the broker is away no node is judged; once back, facts start arriving and their grace begins. */
  void brokerConnection(boolean up) {
    detector.brokerConnection(up, nanoTime.getAsLong());
    if (up) facts.listening(clock.instant());
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
      everyTick.run();
    } catch (RuntimeException e) {
      log.error("detector tick failed", e);
    }
  }

  final FleetSink.Feedback feedback = new FleetSink.Feedback() {
    @Override public void forget(String node) {
      executor.execute(() -> {
        if (detector.forget(node)) log.info("node {} deleted: no longer watched", node);
      });
    }

    @Override public void expect(String node) {
      executor.execute(() -> detector.expect(node, nanoTime.getAsLong(), clock.instant()));
    }
  };

  /** A convergence pass now, ordered with the detector's other work (a new leader sets Node conditions at once). */
  void convergeNow() {
    executor.execute(this::converge);
  }

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

  /** Reads detector state on the loop's thread. */
  <T> T inspect(Function<FailureDetector, T> read) {
    try {
      return executor.submit(() -> read.apply(detector)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Entries kept per node, on the loop's thread: the detector's and the facts'. */
  int footprint() {
    return inspect(FailureDetector::size) + facts.view().size();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
